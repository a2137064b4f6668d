"""Monitoring forms, by subject: labs, snapshots, chronicle, visits, plans, follow_ups."""
