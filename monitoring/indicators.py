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

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.models import Project, PublicUnit
from lending.models import Asset, AssetEvent
from lending.queries import agreements_in_force_on, connections_working_on, participants_on
from procurement.models import Contract
from recruitment import domain
from recruitment.models import Application, RankingEntry, RankingVersion
from training.models import Trainee
from training.queries import standing, training_figures, with_hours

from .models import LabReport, LabSlot, PlannedVisit

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


# Figures several indicators share (training's, the equipment's) are read once per
# live_indicators() call.
_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar("indicators", default=None)


def shared(key, compute: Callable):
    """compute() once per live_indicators() call (every call outside one computes afresh)."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def live_indicators(project: Project, as_of: datetime.date | None = None) -> list[Indicator]:
    """Every indicator with its target and its value at the end of `as_of` (default: today)."""
    as_of = as_of or clock.today()
    token = _shared.set({})
    try:
        return [
            Indicator(d.code, d.name, d.target(project, as_of), d.value(project, as_of), d.unit)
            for d in INDICATORS
        ]
    finally:
        _shared.reset(token)


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
    # A withdrawn application (registered by mistake) was never one the project received.
    return Application.objects.filter(received_on__lte=as_of, withdrawn_at__isnull=True).count()


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
    return participants_on(as_of).count()


@indicator(
    "households_connected",
    _("Households with an active loan agreement and a working connection"),
    pgettext_lazy("unit of measure", "households"),
    target=households_target,
)
def households_connected(project, as_of):
    return (
        participants_on(as_of)
        .filter(Exists(agreements_in_force_on(as_of).filter(participant=OuterRef("pk"))))
        .filter(Exists(connections_working_on(as_of).filter(participant=OuterRef("pk"))))
        .count()
    )


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
    # A unit has a lab at the end of `as_of` when an asset was placed in it by then and nothing
    # later by then (a return, a write-off, a placement elsewhere) took that asset away.
    later = AssetEvent.objects.filter(
        asset=OuterRef("asset"),
        kind__in=HOLDER_EVENTS,
        date__lte=as_of,
    ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
    placed = AssetEvent.objects.filter(
        public_unit=OuterRef("pk"), kind=AssetEvent.Kind.ASSIGNED, date__lte=as_of
    ).exclude(Exists(later))
    return (
        PublicUnit.objects.filter(Exists(placed))
        .filter(Exists(connections_working_on(as_of).filter(public_unit=OuterRef("pk"))))
        .count()
    )


# Events that tell who holds an asset, and events that tell whether it works.
# A transfer for ownership ends the holding too: the asset has left the register.
HOLDER_EVENTS = (
    AssetEvent.Kind.ASSIGNED,
    AssetEvent.Kind.RETURNED,
    AssetEvent.Kind.WRITTEN_OFF,
    AssetEvent.Kind.TRANSFERRED,
)
CONDITION_EVENTS = (AssetEvent.Kind.DAMAGED, AssetEvent.Kind.IN_SERVICE, AssetEvent.Kind.SERVICED)


def _latest_event(kinds, as_of, field="kind"):
    return Subquery(
        AssetEvent.objects.filter(asset=OuterRef("pk"), kind__in=kinds, date__lte=as_of)
        .order_by("-date", "-pk")
        .values(field)[:1]
    )


def equipment_in_use(as_of) -> dict:
    """Assets handed over to a household or placed in a unit's lab and not back in stock or
    written off at the end of `as_of` ("in_use"), and of them those in working order: no damage
    found, or serviced since ("working"). Read from the assets' history (AssetEvent)."""

    def compute():
        return (
            Asset.objects.annotate(
                holder=_latest_event(HOLDER_EVENTS, as_of),
                # who held it then: the household or the unit of that handover
                household_then=_latest_event(HOLDER_EVENTS, as_of, "participant"),
                unit_then=_latest_event(HOLDER_EVENTS, as_of, "public_unit"),
                condition_event=_latest_event(CONDITION_EVENTS, as_of),
            )
            .filter(holder=AssetEvent.Kind.ASSIGNED)
            .aggregate(
                in_use=Count("pk"),
                households=Count("pk", filter=Q(household_then__isnull=False)),
                units=Count("pk", filter=Q(unit_then__isnull=False)),
                working=Count(
                    "pk",
                    filter=Q(condition_event__isnull=True)
                    | Q(condition_event=AssetEvent.Kind.SERVICED),
                ),
            )
        )

    return shared(("equipment", as_of), compute)


def equipment_target(project, as_of):
    return equipment_in_use(as_of)["in_use"]


@indicator(
    "assets_in_working_order",
    _("Lent equipment in working order (of the equipment in use)"),
    pgettext_lazy("unit of measure", "items"),
    target=equipment_target,
)
def assets_in_working_order(project, as_of):
    figures = equipment_in_use(as_of)
    return figures["working"] if figures["in_use"] else None


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


def _training(project):
    return shared(("training", project.pk), lambda: training_figures(project))


def _modules_counted(project, as_of) -> list[dict] | None:
    """Training's modules whose figures count on `as_of`: every module when as_of is today or
    later (the live figures), else the modules that had ended by then (a module is completed
    or not at its end). None while training has no module."""
    modules = _training(project)["modules"]
    if not modules:
        return None
    if as_of >= clock.today():
        return modules
    return [m for m in modules if m["ends_on"] <= as_of]


def _people_trained(project, as_of) -> dict | None:
    """People who completed a module counted on `as_of`, each once whatever the number of
    modules, by sex: training's own standing (training.standings) of each trainee, as
    training_figures() counts them (its totals carry no split by sex across modules)."""
    modules = _modules_counted(project, as_of)
    if modules is None:
        return None

    def compute():
        people: dict[str, str] = {}
        trainees = with_hours(Trainee.objects.filter(module_id__in=[m["id"] for m in modules]))
        for trainee in trainees:
            if standing(trainee).completed:
                people.setdefault(trainee.person_pesel or f"trainee:{trainee.pk}", trainee.sex)
        sexes = list(people.values())
        return {"all": len(people), "F": sexes.count("F"), "M": sexes.count("M")}

    return shared(("people", project.pk, as_of), compute)


@indicator(
    "people_trained",
    _("People trained"),
    pgettext_lazy("unit of measure", "people"),
    target=people_trained_target,
)
def people_trained(project, as_of):
    people = _people_trained(project, as_of)
    return None if people is None else people["all"]


@indicator(
    "people_trained_women",
    _("People trained: women"),
    pgettext_lazy("unit of measure", "people"),
)
def people_trained_women(project, as_of):
    people = _people_trained(project, as_of)
    return None if people is None else people["F"]


@indicator(
    "people_trained_men",
    _("People trained: men"),
    pgettext_lazy("unit of measure", "people"),
)
def people_trained_men(project, as_of):
    people = _people_trained(project, as_of)
    return None if people is None else people["M"]


@indicator(
    "training_hours",
    _("Training hours delivered"),
    pgettext_lazy("unit of measure", "hours"),
    target=training_hours_target,
)
def training_hours(project, as_of):
    modules = _modules_counted(project, as_of)
    if modules is None:
        return None
    # The target counts academic hours (45 minutes); clock hours are never added to them.
    academic = (m["hours_delivered"] for m in modules if m["hour_unit"] == "academic")
    return _number(sum(academic, Decimal(0)))


def _number(value: Decimal) -> Number:
    value = Decimal(value).quantize(Decimal("0.01"))
    return int(value) if value == int(value) else value


# --- monitoring visits -----------------------------------------------------------------------


def _visits_against_plan(as_of) -> dict | None:
    """Planned visits done by the end of `as_of`, against those due by then (or done early);
    visits cancelled by then (a household that left) are out of both."""

    def compute():
        end = timezone.make_aware(
            datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
        )
        planned = PlannedVisit.objects.exclude(
            status=PlannedVisit.Status.CANCELLED, cancelled_on__lte=as_of
        )
        done = Q(status=PlannedVisit.Status.DONE, visit__visited_at__lt=end)
        figures = planned.aggregate(
            planned=Count("pk", filter=Q(due_on__lte=as_of) | done),
            done=Count("pk", filter=done),
            any=Count("pk"),
        )
        return figures if figures["any"] else None

    return shared(("visits", as_of), compute)


def visits_target(project, as_of):
    figures = _visits_against_plan(as_of)
    return None if figures is None else figures["planned"]


@indicator(
    "visits_made",
    _("Monitoring visits made (against those planned by then)"),
    pgettext_lazy("unit of measure", "visits"),
    target=visits_target,
)
def visits_made(project, as_of):
    figures = _visits_against_plan(as_of)
    return None if figures is None else figures["done"]


# --- procurement -----------------------------------------------------------------------------


@indicator(
    "contracts_signed",
    _("Procurement contracts signed"),
    pgettext_lazy("unit of measure", "contracts"),
)
def contracts_signed(project, as_of):
    return Contract.objects.filter(signed_on__lte=as_of).count()
