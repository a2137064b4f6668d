"""The state rules of lending, as plain data: which action is possible in which status.

Loan agreements: draft → signed → in force (the equipment handed over) → ended, terminated or
(at the end of the durability period) transferred; a draft may be cancelled, an open agreement
(draft, signed, in force) may end, an agreement in force may be extended by an annex. Assets: in
stock ⇄ in a public unit, lent (through an agreement's handover), in service, written off.
Promissory notes: in custody until returned, destroyed or filled in to recover a claim (§6.8).

The services check every action here before writing anything; the pages use the same table to
decide which buttons to show (`possible_actions`). Rules that depend on more than the status
(equipment still out, an open claim, the dates) stay in the services.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Asset, LoanAgreement, PromissoryNote

AG = LoanAgreement.Status
AS = Asset.Status
NS = PromissoryNote.Status

# subject -> action -> (statuses in which it is possible, the message when it is not, and the
# message for a status that has its own). Messages take %(status)s (the status's label) and the
# record's %(number)s, %(serial)s or %(date)s.
STEPS = {
    "agreement": {
        "sign": (
            {AG.DRAFT},
            _("Agreement %(number)s is %(status)s: only a draft can be signed."),
            {},
        ),
        "cancel": (
            {AG.DRAFT},
            _("Only a draft can be cancelled; a signed agreement is ended instead."),
            {},
        ),
        "hand_over": (
            {AG.SIGNED},
            _("Agreement %(number)s is %(status)s: its equipment cannot be handed over now."),
            {
                AG.DRAFT: _(
                    "Agreement %(number)s is not signed yet: the equipment is handed over after the signature."
                )
            },
        ),
        "end": (
            set(LoanAgreement.OPEN_STATUSES),
            _("Agreement %(number)s has already ended (%(status)s, %(date)s)."),
            {},
        ),
        "annex": (
            {AG.ACTIVE},
            _(
                "Agreement %(number)s has ended (%(status)s): an annex cannot extend an agreement that is no longer in force."
            ),
            {
                AG.DRAFT: _(
                    "Agreement %(number)s is not in force yet: its term starts with the handover."
                ),
                AG.SIGNED: _(
                    "Agreement %(number)s is not in force yet: its term starts with the handover."
                ),
            },
        ),
        "transfer": (
            {AG.ACTIVE},
            _(
                "Agreement %(number)s is %(status)s: only equipment lent under an agreement in force can be handed over for ownership."
            ),
            {},
        ),
    },
    "asset": {
        "lend": (
            {AS.IN_STOCK},
            _("Serial number %(serial)s is not in stock (%(status)s)."),
            {},
        ),
        "place_in_unit": (
            {AS.IN_STOCK},
            _("Asset %(serial)s is not in stock (%(status)s): it cannot be placed in a unit."),
            {},
        ),
        "return_from_unit": (
            {AS.AT_UNIT},
            _("Asset %(serial)s is not in a public unit."),
            {},
        ),
        "write_off": (
            {AS.IN_STOCK, AS.AT_UNIT, AS.IN_SERVICE},
            _("The asset is already written off."),
            {
                AS.LENT: _("Asset %(serial)s is in a loan agreement: record its return first."),
                AS.TRANSFERRED: _(
                    "Asset %(serial)s was handed over for ownership: it is no longer in the register."
                ),
            },
        ),
        "record_service": (
            {AS.IN_STOCK, AS.LENT, AS.AT_UNIT, AS.IN_SERVICE},
            _("The asset is written off: it is not serviced any more."),
            {
                AS.TRANSFERRED: _(
                    "Asset %(serial)s was handed over for ownership: it is no longer in the register."
                )
            },
        ),
        "record_damage": (
            {AS.IN_STOCK, AS.LENT, AS.AT_UNIT, AS.IN_SERVICE},
            _("The asset is written off: no damage or loss can be recorded any more."),
            {
                AS.TRANSFERRED: _(
                    "Asset %(serial)s was handed over for ownership: it is no longer in the register."
                )
            },
        ),
    },
    "note": {
        "release": (
            {NS.IN_CUSTODY},
            _("The promissory note is no longer in custody (%(status)s)."),
            {},
        ),
        "fill_in": (
            {NS.IN_CUSTODY},
            _("The promissory note is no longer in custody (%(status)s)."),
            {},
        ),
        "notice": (
            {NS.IN_CUSTODY},
            _("The promissory note is no longer in custody (%(status)s)."),
            {},
        ),
    },
}

STATUSES = {"agreement": AG, "asset": AS, "note": NS}


def refusal(subject: str, action: str, status: str, **params) -> str | None:
    """Why `action` is impossible for a `subject` ("agreement", "asset", "note") in `status`,
    or None when it is possible. `params`: what the message names (number, serial, date)."""
    allowed, message, special = STEPS[subject][action]
    if status in allowed:
        return None
    message = special.get(status, message)
    return message % {"status": STATUSES[subject](status).label, **params}


def check(subject: str, action: str, status: str, *, field: str | None = None, **params):
    """Refuse (ValidationError, next to `field` when given) an action the status does not allow."""
    refused = refusal(subject, action, status, **params)
    if refused:
        raise ValidationError({field: refused} if field else refused)


def possible_actions(subject: str, status: str) -> set[str]:
    """The actions possible for a `subject` in `status`: what its page offers."""
    return {action for action, (allowed, *_rest) in STEPS[subject].items() if status in allowed}
