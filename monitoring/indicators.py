"""The project's indicators: targets from the project record beside live figures from the apps.

Monitoring is the top layer, so this is the one place that reads every app's figures, and
`live_indicators` is the one source of them: the home page, the indicators page, a frozen
snapshot, the durability report and `manage.py export_indicators` all call it.

Each indicator is a function registered with `@indicator(...)`, in the order they are shown:

    @indicator(
        "households_connected",
        _("..."),
        pgettext_lazy("unit of measure", "households"),  # units printed after a number
        target=households_target,
    )
    def households_connected(project, as_of):
        return <a number measured from the records as they stood at the end of `as_of`>

A value function takes the project and a date and returns a number, or None while the app that
measures it has no records to measure (then the pages say "not measured yet"; never a made-up
number). It counts what the records date on or before `as_of`: a snapshot frozen "as of
31.12.2012" shows the figures of that day even when it is frozen later. A `target` function has
the same arguments and returns the target or None (no target). Codes are stable: frozen
snapshots keep them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion.models import Project, PublicUnit
from lending.models import Participant
from procurement.models import Contract
from recruitment import domain
from recruitment.models import Application, RankingEntry, RankingVersion

from .models import LabReport, LabSlot

Number = int | Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    target: Number | None
    value: Number | None  # None: the app that measures it has no data yet
    unit: str

    @property
    def percent(self) -> int | None:
        if self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": str(self.name),
            "target": _plain(self.target),
            "value": _plain(self.value),
            "unit": str(self.unit),
        }


def _plain(number):
    """A number for JSON: an int when it is whole, else a float."""
    if number is None or isinstance(number, int):
        return number
    return int(number) if number == int(number) else float(number)


@dataclass(frozen=True)
class Definition:
    code: str
    name: Promise
    unit: Promise
    value: Callable[[Project, datetime.date], Number | None]
    target: Callable[[Project, datetime.date], Number | None]


INDICATORS: list[Definition] = []


def no_target(project, as_of):
    return None


def indicator(code: str, name: Promise, unit: Promise, *, target=no_target):
    """Register the decorated function as the value of indicator `code` (shown in order)."""

    def register(function):
        if any(d.code == code for d in INDICATORS):
            raise ValueError(f"indicator {code} is registered twice")
        INDICATORS.append(Definition(code, name, unit, function, target))
        return function

    return register


def live_indicators(project: Project, as_of: datetime.date | None = None) -> list[Indicator]:
    """Every indicator with its target and its value at the end of `as_of` (default: today)."""
    as_of = as_of or timezone.localdate()
    return [
        Indicator(d.code, d.name, d.target(project, as_of), d.value(project, as_of), d.unit)
        for d in INDICATORS
    ]


# --- targets from the project record ---------------------------------------------------------


def households_target(project, as_of):
    return project.target_households


def units_target(project, as_of):
    return project.target_public_units


def people_trained_target(project, as_of):
    return project.target_people_trained


def training_hours_target(project, as_of):
    return project.target_training_hours


# --- recruitment -----------------------------------------------------------------------------


def _lists_as_of(as_of):
    """Counts on the lists of every call as they stood on `as_of` (each call's latest version
    decided by then)."""
    latest = (
        RankingVersion.objects.filter(decided_on__lte=as_of)
        .order_by("call_id", "-number")
        .distinct("call_id")
        .values("pk")
    )
    return RankingEntry.objects.filter(version__in=latest).aggregate(
        main=Count("pk", filter=Q(status=domain.MAIN)),
        ranked=Count("pk", filter=Q(status__in=(domain.MAIN, domain.RESERVE))),
    )


@indicator(
    "applications_received",
    _("Applications received"),
    pgettext_lazy("unit of measure", "applications"),
)
def applications_received(project, as_of):
    return Application.objects.filter(received_on__lte=as_of).count()


@indicator(
    "applications_ranked",
    _("Applications ranked on the approved lists (main and reserve)"),
    pgettext_lazy("unit of measure", "applications"),
)
def applications_ranked(project, as_of):
    return _lists_as_of(as_of)["ranked"]


@indicator(
    "main_list_households",
    _("Households on the approved main list"),
    pgettext_lazy("unit of measure", "households"),
    target=households_target,
)
def main_list_households(project, as_of):
    return _lists_as_of(as_of)["main"]


# --- lending ---------------------------------------------------------------------------------


@indicator(
    "participants",
    _("Households taking part (participants)"),
    pgettext_lazy("unit of measure", "households"),
    target=households_target,
)
def participants(project, as_of):
    return (
        Participant.objects.filter(joined_on__lte=as_of)
        .filter(Q(ended_on__gt=as_of) | Q(ended_on__isnull=True, status=Participant.Status.ACTIVE))
        .count()
    )


@indicator(
    "households_connected",
    _("Households with an active loan agreement and a working connection"),
    pgettext_lazy("unit of measure", "households"),
    target=households_target,
)
def households_connected(project, as_of):
    """Lending's agreements and connections are not recorded yet: not measured."""
    return None


# --- public units ----------------------------------------------------------------------------


@indicator(
    "public_units",
    _("Public units registered"),
    pgettext_lazy("unit of measure", "units"),
    target=units_target,
)
def public_units(project, as_of):
    return PublicUnit.objects.count()


@indicator(
    "units_connected",
    _("Public units with a lab and a working connection"),
    pgettext_lazy("unit of measure", "units"),
    target=units_target,
)
def units_connected(project, as_of):
    """Lending's equipment and connections of the units are not recorded yet: not measured."""
    return None


def _slot_length():
    return ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


@indicator(
    "lab_hours_scheduled",
    _("Lab opening hours published"),
    pgettext_lazy("unit of measure", "hours"),
)
def lab_hours_scheduled(project, as_of):
    total = LabSlot.objects.filter(day__lte=as_of).aggregate(total=Sum(_slot_length()))["total"]
    return _hours(total) if total else 0


@indicator(
    "lab_hours_open",
    _("Lab hours open, as the supervisors report"),
    pgettext_lazy("unit of measure", "hours"),
)
def lab_hours_open(project, as_of):
    total = LabReport.objects.filter(month__lte=as_of).aggregate(total=Sum("hours_open"))["total"]
    return total if total is not None else 0


@indicator(
    "lab_visits",
    _("Learners' visits to the labs, as the supervisors report"),
    pgettext_lazy("unit of measure", "visits"),
)
def lab_visits(project, as_of):
    total = LabReport.objects.filter(month__lte=as_of).aggregate(total=Sum("visitors"))["total"]
    return total or 0


def _hours(duration: datetime.timedelta) -> Number:
    hours = Decimal(duration.total_seconds()) / 3600
    hours = hours.quantize(Decimal("0.01"))
    return int(hours) if hours == int(hours) else hours


# --- training --------------------------------------------------------------------------------


@indicator(
    "people_trained",
    _("People trained"),
    pgettext_lazy("unit of measure", "people"),
    target=people_trained_target,
)
def people_trained(project, as_of):
    """Training's attendance is not recorded yet: not measured."""
    return None


@indicator(
    "training_hours",
    _("Training hours delivered"),
    pgettext_lazy("unit of measure", "hours"),
    target=training_hours_target,
)
def training_hours(project, as_of):
    """Training's sessions are not recorded yet: not measured."""
    return None


# --- procurement -----------------------------------------------------------------------------


@indicator(
    "contracts_signed",
    _("Procurement contracts signed"),
    pgettext_lazy("unit of measure", "contracts"),
)
def contracts_signed(project, as_of):
    return Contract.objects.filter(signed_on__lte=as_of).count()
