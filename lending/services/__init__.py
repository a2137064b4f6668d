"""Every write of lending: one `do_*` service per state change (`lebork_einclusion.records.service`:
one transaction, the acting user keyword-only), split by capability:

- participation: enrolment, the end of participation (§7) with the promotion from the reserve
  list, exclusion proposals and decisions;
- agreements: loan agreements, promissory notes and their declarations, returns;
- equipment: the delivery, the units' labs, write-off, service and damage claims;
- connections: Internet connections and their outages.

A refused step raises ValidationError with a clear (translated) message, keyed by the form
field at fault where there is one; nothing is written then. Inside lending, import the
submodules. Other apps (monitoring records service, damage and outages, proposes exclusions and
builds its test data) import the names below, and only these; the reads they use are in
lending.queries (`lent_assets()` and `active_connection()`, also importable from here).
"""

from ..queries import active_connection, lent_assets
from .agreements import do_create_agreement, do_hand_over, do_sign_agreement
from .connections import do_close_outage, do_report_outage
from .equipment import (
    do_complete_service,
    do_open_damage_claim,
    do_record_service,
    do_return_from_unit,
)
from .participation import do_end_participation, do_propose_exclusion

__all__ = [
    "active_connection",
    "do_close_outage",
    "do_complete_service",
    "do_create_agreement",
    "do_end_participation",
    "do_hand_over",
    "do_open_damage_claim",
    "do_propose_exclusion",
    "do_record_service",
    "do_report_outage",
    "do_return_from_unit",
    "do_sign_agreement",
    "lent_assets",
]
