"""Every write of training: one `do_<verb>(..., actor)` per state change, in one transaction,
by subject (pretix's base/services): modules (and groups), trainees, sessions, attendance,
e_learning.

A refused step raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one, and writes nothing. Views, the demo and the tests call these.
No other app imports them.
"""
