"""Training's rules as plain functions over plain values: no ORM, no request.

Completion (§6.7 "attend the training"): a classroom trainee completes a module by attending
at least the module's share (80% by default) of the group's planned hours; an excused absence
is not attendance, but it is not a breach of the duty either. An e-learning trainee completes
it when the provider reports at least that share of the course done.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MINUTES_PER_HOUR = {"academic": 45, "clock": 60}

# Age on the module's first day; the bands of the project's monitoring reports.
AGE_BANDS = (
    ("0-17", 0, 17, _("under 18")),
    ("18-24", 18, 24, _("18–24")),
    ("25-44", 25, 44, _("25–44")),
    ("45-64", 45, 64, _("45–64")),
    ("65+", 65, 200, _("65 and over")),
)
AGE_BAND_LABELS = {code: label for code, _low, _high, label in AGE_BANDS}
SEX_LABELS = {"F": _("women"), "M": _("men")}


def age_band(age: int) -> str:
    for code, low, high, _label in AGE_BANDS:
        if low <= age <= high:
            return code
    return AGE_BANDS[-1][0]


def overlaps(
    start_a: datetime.time, end_a: datetime.time, start_b: datetime.time, end_b: datetime.time
) -> bool:
    """Two sessions on one day overlap when each starts before the other ends (one ending at
    the minute the other starts does not)."""
    return start_a < end_b and start_b < end_a


def minutes_between(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def hours_in(start: datetime.time, end: datetime.time, unit: str) -> Decimal:
    """The hours a session from start to end can count, in the module's unit."""
    minutes = minutes_between(start, end)
    return (Decimal(minutes) / MINUTES_PER_HOUR[unit]).quantize(Decimal("0.01"))


def required_hours(planned: Decimal, percent: int) -> Decimal:
    return (planned * percent / 100).quantize(Decimal("0.01"))


def allowed_absence(planned: Decimal, percent: int) -> Decimal:
    """Hours a trainee may miss and still complete the module."""
    return planned - required_hours(planned, percent)


def completed_classroom(attended: Decimal, planned: Decimal, percent: int) -> bool:
    return planned > 0 and attended >= required_hours(planned, percent)


def completed_e_learning(progress: Decimal | None, percent: int) -> bool:
    return progress is not None and progress >= percent


@dataclass(frozen=True)
class Standing:
    """Where a trainee stands in a module, for pages, papers and the §6.7 list."""

    attended: Decimal
    absent: Decimal
    excused: Decimal
    planned: Decimal
    percent: int
    e_learning: bool = False
    progress: Decimal | None = None

    @property
    def required(self) -> Decimal:
        return required_hours(self.planned, self.percent)

    @property
    def allowed_absence(self) -> Decimal:
        return allowed_absence(self.planned, self.percent)

    @property
    def completed(self) -> bool:
        if self.e_learning:
            return completed_e_learning(self.progress, self.percent)
        return completed_classroom(self.attended, self.planned, self.percent)

    @property
    def missed_too_much(self) -> bool:
        """Unexcused absence beyond what the module allows: the duty of §6.7 is broken."""
        return not self.e_learning and self.absent > self.allowed_absence

    @property
    def share(self) -> int | None:
        """Attended hours as a percentage of the planned ones."""
        if self.e_learning:
            return None if self.progress is None else int(self.progress)
        return int(100 * self.attended / self.planned) if self.planned else None


def format_hours(value: Decimal) -> str:
    """12 -> "12", 2.5 -> "2,5" (in the active language's number format)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(value.quantize(Decimal(1)), 0)
    value = value.quantize(Decimal("0.01")).normalize()
    return number_format(value, max(0, -value.as_tuple().exponent))
