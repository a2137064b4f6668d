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

A figure read by a query is counted with `per_day(key, compute, as_of)`, where `compute(days)`
gives the figure of each of many days in one query: a live call counts its one day, a monthly
series (monitoring.series, inside `counting_days`) counts every month end with the first call
and reads the others from the memo. The rules of what held on a day are lending.queries'
`*_per_day` (the days each record holds on, lebork_einclusion.day_spans).
"""

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.day_spans import count_on_days, lit, span
from lebork_einclusion.models import Project, PublicUnit
from lending import queries as lending_queries
from procurement.models import Contract
from recruitment import domain
from recruitment.models import Application, RankingEntry, RankingVersion
from training.queries import training_figures

from . import indicator_summary
from .models import LabReport, LabSlot, MonitoringVisit, PlannedVisit

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


# The days a monthly series asks for (monitoring.series sets them): a figure counted by a query
# for many days at once is counted for all of them with the first day asked, the others read
# from the memo. A live figure counts its one day with the same query.
_days: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("days", default=None)


def per_day(key, compute: Callable[[list[datetime.date]], list], as_of: datetime.date):
    """compute(days)[i] is the figure at the end of days[i]; the figure of `as_of`, counted with
    the series' other days when a series is being counted."""
    days = _days.get()
    if days is None or as_of not in days:
        days = (as_of,)
    figures = shared((key, days), lambda: compute(list(days)))
    return figures[days.index(as_of)]


def counting_days(days, keep: bool = False):
    """Within `with counting_days(days):` (and one `shared` memo) the figures are counted for
    all `days` at once (monitoring.series). `keep`: within an outer counting_days, keep its
    memo and days (a series asked for alongside other days, see series.indicators_with_charts)."""
    return _Days(tuple(days), keep)


class _Days:
    def __init__(self, days, keep):
        self.days, self.keep = days, keep

    def __enter__(self):
        outer = _days.get()
        if self.keep and outer is not None:
            days = tuple(dict.fromkeys(outer + self.days))
            self.tokens = (_days.set(days), None)
        else:
            self.tokens = (_days.set(self.days), _shared.set({}))

    def __exit__(self, *exc):
        days, memo = self.tokens
        if memo is not None:
            _shared.reset(memo)
        _days.reset(days)


def _running_totals(queryset, day_field: str, amount, days) -> list:
    """The total of `amount` over the rows of `queryset` dated (`day_field`) on or before each
    day: one aggregate for one day, else one query grouped by day summed up in order."""
    if len(days) == 1:
        total = queryset.filter(**{f"{day_field}__lte": days[0]}).aggregate(total=amount)
        return [total["total"]]
    rows = (
        queryset.filter(**{f"{day_field}__lte": max(days)})
        .values(day_field)
        .annotate(amount=amount)
        .order_by(day_field)
        .values_list(day_field, "amount")
    )
    events = [(day, value) for day, value in rows if value is not None]
    totals, total, i = {}, None, 0
    for day in sorted(set(days)):  # the days in any order
        while i < len(events) and events[i][0] <= day:
            total = events[i][1] if total is None else total + events[i][1]
            i += 1
        totals[day] = total
    return [totals[day] for day in days]


def live_indicators(project: Project, as_of: datetime.date | None = None) -> list[Indicator]:
    """Every indicator with its target and its value at the end of `as_of` (default: today)."""
    as_of = as_of or clock.today()
    # Within counting_days (series.indicators_with_charts) its memo holds the figures counted.
    token = _shared.set({}) if _days.get() is None else None
    try:
        return [
            Indicator(d.code, d.name, d.target(project, as_of), d.value(project, as_of), d.unit)
            for d in INDICATORS
        ]
    finally:
        if token is not None:
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


def lists_on_days(days) -> list[dict]:
    """Counts on the lists of every call as they stood at the end of each day (each call's
    latest version decided by then), counted from the versions and their entries (two
    queries): the summary's rule (indicator_summary.list_rows; the tests compare both)."""
    versions = list(
        RankingVersion.objects.filter(decided_on__lte=max(days))
        .order_by("call_id", "number")
        .values_list("pk", "call_id", "decided_on")
    )
    latest_by_day = []
    for day in days:
        latest = {}
        for pk, call, decided_on in versions:  # ascending numbers: the last one decided wins
            if decided_on <= day:
                latest[call] = pk
        latest_by_day.append(set(latest.values()))
    wanted = set().union(*latest_by_day)
    counts = {
        row["version_id"]: row
        for row in RankingEntry.objects.filter(version_id__in=wanted)
        .values("version_id")
        .annotate(
            main=Count("pk", filter=Q(status=domain.MAIN)),
            ranked=Count("pk", filter=Q(status__in=(domain.MAIN, domain.RESERVE))),
        )
        .order_by()
    }
    none = {"main": 0, "ranked": 0}
    return [
        {key: sum(counts.get(pk, none)[key] for pk in latest) for key in ("main", "ranked")}
        for latest in latest_by_day
    ]


def _lists_as_of(as_of):
    return per_day("lists", _summary("lists", None), as_of)


@indicator(
    "applications_received",
    _("Applications received"),
    pgettext_lazy("unit of measure", "applications"),
)
def applications_received(project, as_of):
    # A withdrawn application (registered by mistake) was never one the project received.
    return per_day("applications_received", _summary("applications_received"), as_of)


def applications_received_on_days(days) -> list[int]:
    """applications_received counted from the applications themselves (the summary's rule,
    indicator_summary.application_rows; the tests compare both)."""
    received = Application.objects.filter(withdrawn_at__isnull=True)
    return [n or 0 for n in _running_totals(received, "received_on", Count("pk"), days)]


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


def _summary(code: str, column: str | None = "spans"):
    """compute(days) of a figure kept in monitoring.indicator_summary (its `column`; None:
    every column): all its figures counted together, once per call."""

    def compute(days):
        every = shared(("summary", tuple(days)), lambda: indicator_summary.count_all(days))
        return [row[column] if column else row for row in every[code]]

    return compute


# --- lending ---------------------------------------------------------------------------------


@indicator(
    "participants",
    _("Households taking part (participants)"),
    pgettext_lazy("unit of measure", "households"),
    target=households_target,
)
def participants(project, as_of):
    return per_day("participants", _summary("participants"), as_of)


@indicator(
    "households_connected",
    _("Households with an active loan agreement and a working connection"),
    pgettext_lazy("unit of measure", "households"),
    target=households_target,
)
def households_connected(project, as_of):
    return per_day("households_connected", _summary("households_connected"), as_of)


# --- public units ----------------------------------------------------------------------------


@indicator(
    "public_units",
    _("Public units registered"),
    pgettext_lazy("unit of measure", "units"),
    target=units_target,
)
def public_units(project, as_of):
    return shared("public_units", PublicUnit.objects.count)


@indicator(
    "units_connected",
    _("Public units with a lab and a working connection"),
    pgettext_lazy("unit of measure", "units"),
    target=units_target,
)
def units_connected(project, as_of):
    return per_day("units_connected", _summary("units_connected"), as_of)


# Events that tell who holds an asset, and events that tell whether it works.
HOLDER_EVENTS = lending_queries.HOLDER_EVENTS
CONDITION_EVENTS = lending_queries.CONDITION_EVENTS


def equipment_in_use(as_of) -> dict:
    """Assets handed over to a household or placed in a unit's lab and not back in stock or
    written off at the end of `as_of` ("in_use"; "households", "units": in whose hands), and of
    them those in working order: no damage found, or serviced since ("working"). Read from the
    assets' history (lending.queries.equipment_per_day's rule, from the summary)."""
    return per_day("equipment", _summary("equipment", None), as_of)


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
    def compute(days):
        totals = _running_totals(LabSlot.objects.all(), "day", Sum(_slot_length()), days)
        return [_hours(total) if total else 0 for total in totals]

    return per_day("lab_hours_scheduled", compute, as_of)


@indicator(
    "lab_hours_open",
    _("Lab hours open, as the supervisors report"),
    pgettext_lazy("unit of measure", "hours"),
)
def lab_hours_open(project, as_of):
    def compute(days):
        totals = _running_totals(LabReport.objects.all(), "month", Sum("hours_open"), days)
        return [total if total is not None else 0 for total in totals]

    return per_day("lab_hours_open", compute, as_of)


@indicator(
    "lab_visits",
    _("Learners' visits to the labs, as the supervisors report"),
    pgettext_lazy("unit of measure", "visits"),
)
def lab_visits(project, as_of):
    def compute(days):
        totals = _running_totals(LabReport.objects.all(), "month", Sum("visitors"), days)
        return [total or 0 for total in totals]

    return per_day("lab_visits", compute, as_of)


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
        ids = {m["id"] for m in modules}
        people: dict[str, str] = {}
        for module_id, key, sex in _completed(project):
            if module_id in ids:
                people.setdefault(key, sex)
        sexes = list(people.values())
        return {"all": len(people), "F": sexes.count("F"), "M": sexes.count("M")}

    # Three indicators read it: counted once per day.
    return shared(("people", project.pk, as_of), compute)


def _completed(project) -> list[tuple]:
    """(module id, person, sex) of every trainee of every module who completed it, in order:
    training_figures()' own list, read with its other figures (a series picks the modules of
    each month from them)."""
    return _training(project)["completed"]


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


PV, MV = PlannedVisit._meta.db_table, MonitoringVisit._meta.db_table


# A planned visit is out of both figures from the day it was cancelled (a household that left);
# it counts as planned from its due day, or from the day it was done if earlier (the office's
# day of the visit), and as done from that day.
def visit_rows_sql(among: str | None = None) -> str:
    """Each planned visit's days (one row per visit, `id` its own) of the visits whose id is
    `IN among` (None: all); the office's time zone a parameter."""
    whose = f"pv.id IN {among}" if among else "TRUE"
    return f"""
    SELECT id, 1 AS n,
        {span("'-infinity'::date", "out_on")} AS present,
        {span("least(due_on, done_on)", "out_on")} AS planned,
        {span("done_on", "out_on")} AS done
    FROM (
        SELECT pv.id, pv.due_on,
            CASE WHEN pv.status = {lit(PlannedVisit.Status.CANCELLED)} THEN pv.cancelled_on END
                AS out_on,
            CASE WHEN pv.status = {lit(PlannedVisit.Status.DONE)}
                THEN (mv.visited_at AT TIME ZONE %s)::date END AS done_on
        FROM {PV} pv LEFT JOIN {MV} mv ON mv.planned_id = pv.id
        WHERE {whose}
    ) AS visits
"""  # noqa: S608 - model table names and our own codes; the values are parameters


VISIT_SPANS = f"""
    SELECT count(*) AS n, present, planned, done FROM ({visit_rows_sql()}) AS v
    GROUP BY present, planned, done
"""  # noqa: S608 - our own SQL


def _visits_on_days(days) -> list[dict | None]:
    figures = count_on_days(
        VISIT_SPANS,
        [timezone.get_current_timezone_name()],
        days,
        ["present", "planned", "done"],
        weight="n",
    )
    return [{"planned": f["planned"], "done": f["done"]} if f["present"] else None for f in figures]


def _visits_counted(days) -> list[dict | None]:
    return [
        {"planned": f["planned"], "done": f["done"]} if f["present"] else None
        for f in _summary("visits", None)(days)
    ]


def _visits_against_plan(as_of) -> dict | None:
    """Planned visits done by the end of `as_of` ("done"), against those due by then or done
    early ("planned"); visits cancelled by then (a household that left) are out of both. None
    while no visit is planned."""
    return per_day("visits", _visits_counted, as_of)


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
    def compute(days):
        totals = _running_totals(Contract.objects.all(), "signed_on", Count("pk"), days)
        return [total or 0 for total in totals]

    return per_day("contracts_signed", compute, as_of)
