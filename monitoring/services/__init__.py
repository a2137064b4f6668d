"""Every write of the monitoring app: one `do_<verb>(..., actor)` per change, in a transaction,
split by subject: labs, snapshots, chronicle, plans, visits, follow_ups.

Monitoring is the top layer: no other app imports it, so this package re-exports nothing.
"""
