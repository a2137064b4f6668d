"""The order of a procedure's steps, as plain data: which step is possible in which status.

in preparation → announced → offers opened → awarded → contract signed; announced, offers opened
and awarded may also end in an annulment (art. 93 Pzp), and an annulled procedure may be announced
again as a new procedure. The services check every step here before writing anything; the pages
use the same table to decide which buttons to show.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import Contract, Procedure

S = Procedure.Status

# step -> (statuses in which it is possible, the message when it is not)
STEPS = {
    "edit": (
        {S.IN_PREPARATION, S.ANNOUNCED},
        _(
            "A procedure can be edited only before its offers are opened "
            "(current status: %(status)s)."
        ),
    ),
    "announce": (
        {S.IN_PREPARATION},
        _("Only a procedure in preparation can be announced (current status: %(status)s)."),
    ),
    "record_offer": (
        {S.ANNOUNCED, S.OFFERS_OPENED},
        _(
            "Offers can be recorded only while the procedure is announced or its offers are "
            "being examined (current status: %(status)s)."
        ),
    ),
    "open_offers": (
        {S.ANNOUNCED},
        _("Offers can be opened only in an announced procedure (current status: %(status)s)."),
    ),
    "evaluate_offer": (
        {S.OFFERS_OPENED},
        _(
            "Offers can be evaluated only after they have been opened and before the award "
            "(current status: %(status)s)."
        ),
    ),
    "award": (
        {S.OFFERS_OPENED},
        _(
            "The contract cannot be awarded before the offers have been opened "
            "(current status: %(status)s)."
        ),
    ),
    "sign_contract": (
        {S.AWARDED},
        _(
            "A contract can be signed only after the award, once per procedure "
            "(current status: %(status)s)."
        ),
    ),
    "annul": (
        {S.ANNOUNCED, S.OFFERS_OPENED, S.AWARDED},
        _(
            "Only an announced procedure without a signed contract can be annulled "
            "(current status: %(status)s)."
        ),
    ),
    "reannounce": (
        {S.ANNULLED},
        _("Only an annulled procedure can be announced again (current status: %(status)s)."),
    ),
}


def refusal(step: str, status: str) -> str | None:
    """The reason why `step` is impossible in `status`, or None when it is possible."""
    allowed, message = STEPS[step]
    if status in allowed:
        return None
    return message % {"status": S(status).label}


def possible_steps(status: str) -> set[str]:
    return {step for step, (allowed, _message) in STEPS.items() if status in allowed}


@dataclass(frozen=True)
class OfferFacts:
    """What the award rule needs to know of an offer."""

    key: int
    bidder: str
    price: Decimal
    score: Decimal | None
    rejected: bool


def award_refusal(chosen: OfferFacts, offers: list[OfferFacts], price_weight: int) -> str | None:
    """Why `chosen` may not win, or None. The most advantageous offer wins (art. 91 ust. 1 Pzp):
    the highest score; with the price as the only criterion and no scores, the lowest price."""
    if chosen.rejected:
        return _("A rejected offer cannot be chosen.")
    valid = [o for o in offers if not o.rejected]
    scored = [o for o in valid if o.score is not None]
    if scored:
        if chosen.score is None:
            return _("Enter the score of the chosen offer first: the other offers have scores.")
        best = max(scored, key=lambda o: o.score)
        if best.score > chosen.score:
            return _(
                "The chosen offer does not have the highest score: %(bidder)s has %(score)s points."
            ) % {"bidder": best.bidder, "score": number_format(best.score, 2)}
        return None
    if price_weight < 100:
        return _("Enter the offers' scores first: the price is not the only criterion.")
    cheapest = min(valid, key=lambda o: o.price)
    if cheapest.price < chosen.price:
        return _(
            "The price is the only criterion and the chosen offer is not the cheapest: "
            "%(bidder)s offered %(price)s PLN."
        ) % {
            "bidder": cheapest.bidder,
            "price": number_format(cheapest.price, 2, force_grouping=True),
        }
    return None


def locked_changes(signed: Mapping, proposed: Mapping) -> list[str]:
    """Core fields of a signed contract that `proposed` would change (only amendments may)."""
    return [
        name
        for name in Contract.CORE_FIELDS
        if name in proposed and proposed[name] != signed.get(name)
    ]
