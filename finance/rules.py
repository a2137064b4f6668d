"""Finance rules as plain functions over plain values: no ORM, no request."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Split:
    """The co-financing of an eligible amount: the EU's share, the state budget's, and the rest
    (the town's own contribution)."""

    eligible: Decimal
    eu: Decimal
    state: Decimal

    @property
    def own(self) -> Decimal:
        return self.eligible - self.eu - self.state

    @property
    def funding(self) -> Decimal:
        return self.eu + self.state


def split(eligible: Decimal, eu_rate: Decimal, state_rate: Decimal) -> Split:
    """Both shares are rates (percent) of the eligible cost, rounded to the grosz; the rounding
    remainder goes to the state budget's share when both together make 100%, so the shares always
    add up to the eligible amount."""
    eligible = money(eligible)
    eu = money(eligible * eu_rate / 100)
    full = eu_rate + state_rate == 100
    state = eligible - eu if full else money(eligible * state_rate / 100)
    return Split(eligible=eligible, eu=eu, state=state)


def overlaps(
    start: datetime.date, end: datetime.date, other_start: datetime.date, other_end: datetime.date
) -> bool:
    return start <= other_end and other_start <= end


def near_limit(spent: Decimal, budget: Decimal, share: Decimal = Decimal("0.9")) -> bool:
    """A budget line is near its limit when what is spent reaches 90% of it."""
    return budget > 0 and spent >= budget * share
