"""Each indicator month by month: its value as it stood at the end of each month, the same
figure `live_indicators(project, as_of=month_end)` gives (and `export_indicators --as-of`), from
the first call to the end of durability, cut at today (the running month's point is today's).

Most indicators are counted for all the months at once: one or two queries grouped by day
(what was received, signed, decided, joined, left, done on each day) summed up in order over
the month ends, so the number of queries does not grow with the months:

- applications_received, contracts_signed, lab_hours_scheduled, lab_hours_open, lab_visits:
  one query grouped by day, a running total;
- applications_ranked, main_list_households: one query of the list versions with their counts,
  each call's latest version decided by each month end picked from them;
- participants: two queries (households joining by day, households leaving by day);
- visits_made and its target: one query grouped by (due day, cancellation day, day done);
- people_trained (women, men), training_hours: training's figures and standings read once,
  the modules ended by each month end picked from them;
- public_units: one count (the indicator does not depend on the day);
- households_connected, units_connected: the rows their conditions read (participants,
  agreements, connections, contract periods, outages; the labs' asset events) read once, each
  condition turned into the month ends it holds on (a bit mask), ANDed and counted: the same
  rules as lending.queries.connections_working_on and friends, written once more here (the
  tests compare them with live_indicators month by month);
- assets_in_working_order and its target: the assets' events read once in order and replayed.

An indicator registered later and not listed in FAST falls back to one call of its function
per month (each in its own `shared` memo, as `live_indicators` does); so does a target that is
neither listed nor read from the project record.
"""

import bisect
import calendar
import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DateField, F, Q, Sum, When
from django.db.models.functions import Greatest, TruncDate
from django.utils.translation import gettext as _

from lebork_einclusion import charts, clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project, PublicUnit
from lending.models import (
    AgreementAnnex,
    AssetEvent,
    Connection,
    ConnectionPeriod,
    LoanAgreement,
    Outage,
    Participant,
)
from procurement.models import Contract
from recruitment import domain
from recruitment.models import Application, Call, RankingVersion
from training.models import Trainee
from training.queries import standing, training_figures, with_hours

from . import indicators
from .indicators import INDICATORS, _shared
from .models import IndicatorSnapshot, LabReport, LabSlot, PlannedVisit

Values = list  # one value (a number or None) per month end


@dataclass
class Series:
    """One indicator month by month (`days[i]`: the day month i's value is counted on)."""

    code: str
    name: str
    unit: str
    months: list[datetime.date]
    days: list[datetime.date]
    values: Values
    targets: Values
    notes: list[str] = field(default_factory=list)


def month_range(
    project: Project, until: datetime.date | None = None
) -> tuple[list[datetime.date], list[str]]:
    """The months from the first call (or the project's start, if earlier) to today (or
    `until`), cut at the durability end (the notes say so). No month when that day is before
    the first one."""
    first_call = Call.objects.order_by("opens_on").values_list("opens_on", flat=True).first()
    first = min(d for d in (project.start_date, first_call) if d is not None)
    last = min(until or clock.today(), clock.today())
    if last < first:
        return [], []
    return charts.clamp_months(first, last, project.durability_end)


def month_ends(months: Sequence[datetime.date], until: datetime.date) -> list[datetime.date]:
    """The last day of each month, cut at `until` (today: the running month counts to today)."""
    return [
        min(month.replace(day=calendar.monthrange(month.year, month.month)[1]), until)
        for month in months
    ]


# --- helpers: running totals over events grouped by day -----------------------------------------


def _running(events: dict, days: Sequence[datetime.date], start=0) -> list:
    """events: day -> amount; the total of the amounts on or before each day (days ascending)."""
    ordered = sorted(events.items())
    totals, total, i = [], start, 0
    for day in days:
        while i < len(ordered) and ordered[i][0] <= day:
            total += ordered[i][1]
            i += 1
        totals.append(total)
    return totals


def _by_day(queryset, day_field: str, amount) -> dict:
    return dict(
        queryset.values(day_field)
        .annotate(amount=amount)
        .order_by()
        .values_list(day_field, "amount")
    )


def _add(events: dict, day, amount):
    if day is not None:
        events[day] = events.get(day, 0) + amount


# --- fast series ----------------------------------------------------------------------------------


def _applications_received(project, days):
    events = _by_day(
        Application.objects.filter(received_on__lte=days[-1], withdrawn_at__isnull=True),
        "received_on",
        Count("pk"),
    )
    return _running(events, days)


def _contracts_signed(project, days):
    events = _by_day(Contract.objects.filter(signed_on__lte=days[-1]), "signed_on", Count("pk"))
    return _running(events, days)


def _lab_hours_scheduled(project, days):
    length = F("ends_at") - F("starts_at")
    events = _by_day(LabSlot.objects.filter(day__lte=days[-1]), "day", Sum(length))
    totals = _running(events, days, datetime.timedelta(0))
    return [indicators._hours(total) if total else 0 for total in totals]


def _lab_hours_open(project, days):
    events = _by_day(LabReport.objects.filter(month__lte=days[-1]), "month", Sum("hours_open"))
    return _running({d: v for d, v in events.items() if v is not None}, days)


def _lab_visits(project, days):
    events = _by_day(LabReport.objects.filter(month__lte=days[-1]), "month", Sum("visitors"))
    return [total or 0 for total in _running({d: v or 0 for d, v in events.items()}, days)]


def _public_units(project, days):
    count = PublicUnit.objects.count()
    return [count] * len(days)


def _lists(project, days) -> list[dict]:
    """Each call's latest list version decided by each day, summed (one query)."""

    def compute():
        versions = list(
            RankingVersion.objects.filter(decided_on__lte=days[-1])
            .annotate(
                main=Count("entries", filter=Q(entries__status=domain.MAIN)),
                ranked=Count(
                    "entries", filter=Q(entries__status__in=(domain.MAIN, domain.RESERVE))
                ),
            )
            .order_by()
            .values_list("call_id", "number", "decided_on", "main", "ranked")
        )
        figures = []
        for day in days:
            latest = {}
            for call, number, decided_on, main, ranked in versions:
                if decided_on <= day and (call not in latest or number > latest[call][0]):
                    latest[call] = (number, main, ranked)
            figures.append(
                {
                    "main": sum(v[1] for v in latest.values()),
                    "ranked": sum(v[2] for v in latest.values()),
                }
            )
        return figures

    return _memo(("lists", tuple(days)), compute)


def _applications_ranked(project, days):
    return [figures["ranked"] for figures in _lists(project, days)]


def _main_list_households(project, days):
    return [figures["main"] for figures in _lists(project, days)]


def _participants(project, days):
    """A household counts from the day it joined until the day it left (ended_on), or for good
    while it is active and has no end date (lending.queries.participants_on)."""
    counted = Participant.objects.filter(joined_on__lte=days[-1]).filter(
        Q(ended_on__isnull=False) | Q(status=Participant.Status.ACTIVE)
    )
    joined = _by_day(counted, "joined_on", Count("pk"))
    left = _by_day(
        counted.filter(ended_on__isnull=False).annotate(left_on=Greatest("joined_on", "ended_on")),
        "left_on",
        Count("pk"),
    )
    events: dict = {}
    for day, n in joined.items():
        _add(events, day, n)
    for day, n in left.items():
        _add(events, day, -n)
    return _running(events, days)


def _visits(project, days) -> list[dict | None]:
    """monitoring.indicators._visits_against_plan for every day from one grouped query: a
    planned visit is out from the day it was cancelled; it counts as planned from its due day
    or from the day it was done if earlier, as done from the day it was done."""

    def compute():
        rows = (
            PlannedVisit.objects.annotate(
                cancelled_day=Case(
                    When(status=PlannedVisit.Status.CANCELLED, then=F("cancelled_on")),
                    output_field=DateField(),
                ),
                done_day=Case(
                    When(
                        status=PlannedVisit.Status.DONE,
                        then=TruncDate("visit__visited_at"),
                    ),
                    output_field=DateField(),
                ),
            )
            .values("due_on", "cancelled_day", "done_day")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("due_on", "cancelled_day", "done_day", "n")
        )
        present, planned, done = {}, {}, {}
        total = 0
        for due_on, cancelled_day, done_day, n in rows:
            total += n
            out = cancelled_day  # None: never out
            if out is not None:
                _add(present, out, -n)
            # planned from the earlier of due_on and done_day, until `out`
            start = due_on if done_day is None else min(due_on, done_day)
            _add(planned, start, n)
            if out is not None:
                _add(planned, max(start, out), -n)
            if done_day is not None:
                _add(done, done_day, n)
                if out is not None:
                    _add(done, max(done_day, out), -n)
        any_ = _running(present, days, total)
        return [
            None if a == 0 else {"planned": p, "done": d}
            for a, p, d in zip(any_, _running(planned, days), _running(done, days), strict=True)
        ]

    return _memo(("visits", tuple(days)), compute)


def _visits_made(project, days):
    return [None if f is None else f["done"] for f in _visits(project, days)]


def _visits_target(project, days):
    return [None if f is None else f["planned"] for f in _visits(project, days)]


def _training(project, days) -> list[dict | None]:
    """indicators._modules_counted and _people_trained for every day: training's figures and
    its trainees' standings read once, the modules ended by each day picked from them (every
    module from today on)."""

    def compute():
        modules = training_figures(project)["modules"]
        if not modules:
            return [None] * len(days)
        people = []  # (module id, person key, sex) of every trainee who completed, in order
        trainees = with_hours(Trainee.objects.filter(module_id__in=[m["id"] for m in modules]))
        for trainee in trainees:
            if standing(trainee).completed:
                people.append(
                    (
                        trainee.module_id,
                        trainee.person_pesel or f"trainee:{trainee.pk}",
                        trainee.sex,
                    )
                )
        today = clock.today()
        figures = []
        for day in days:
            counted = modules if day >= today else [m for m in modules if m["ends_on"] <= day]
            ids = {m["id"] for m in counted}
            sexes: dict[str, str] = {}
            for module_id, key, sex in people:
                if module_id in ids:
                    sexes.setdefault(key, sex)
            values = list(sexes.values())
            # academic hours only, as indicators.training_hours (never clock hours added)
            academic = (m["hours_delivered"] for m in counted if m["hour_unit"] == "academic")
            hours = sum(academic, Decimal(0))
            figures.append(
                {
                    "all": len(values),
                    "F": values.count("F"),
                    "M": values.count("M"),
                    "hours": indicators._number(hours),
                }
            )
        return figures

    return _memo(("training", project.pk, tuple(days)), compute)


def _training_figure(key):
    def series(project, days):
        return [None if f is None else f[key] for f in _training(project, days)]

    return series


# --- connections: day masks ----------------------------------------------------------------------


def _mask(days, first, last_excluded=None) -> int:
    """The bits of the days in [first, last_excluded) (None: open-ended)."""
    lo = bisect.bisect_left(days, first)
    hi = len(days) if last_excluded is None else bisect.bisect_left(days, last_excluded)
    return ((1 << hi) - 1) ^ ((1 << lo) - 1) if hi > lo else 0


def _after(day):
    return day + datetime.timedelta(days=1)


def _working_masks(days, owner: str) -> dict[int, int]:
    """owner id -> the days (bits) on which one of its connections worked, as
    lending.queries.connections_working_on counts it: installed, neither ended nor suspended
    (since status_since), under a contract period whose contract's term covers the day, no
    outage open at the end of the day. Three queries."""
    every = (1 << len(days)) - 1
    connections = {}
    for pk, owner_id, installed_on, status, since in Connection.objects.filter(
        **{f"{owner}__isnull": False}, installed_on__lte=days[-1]
    ).values_list("pk", f"{owner}_id", "installed_on", "status", "status_since"):
        mask = _mask(days, installed_on)
        if status in (Connection.Status.ENDED, Connection.Status.SUSPENDED) and since:
            mask &= every ^ _mask(days, since)
        connections[pk] = (owner_id, mask)
    paid: dict[int, int] = {}
    for pk, since, until, term_start, term_end in ConnectionPeriod.objects.filter(
        connection_id__in=connections
    ).values_list("connection_id", "since", "until", "contract__term_start", "contract__term_end"):
        end = _after(term_end) if until is None else _after(min(until, term_end))
        paid[pk] = paid.get(pk, 0) | _mask(days, max(since, term_start), end)
    down: dict[int, int] = {}
    for pk, started_on, ended_on in Outage.objects.filter(
        connection_id__in=connections
    ).values_list("connection_id", "started_on", "ended_on"):
        down[pk] = down.get(pk, 0) | _mask(days, started_on, ended_on)
    owners: dict[int, int] = {}
    for pk, (owner_id, mask) in connections.items():
        mask &= paid.get(pk, 0) & (every ^ down.get(pk, 0))
        owners[owner_id] = owners.get(owner_id, 0) | mask
    return owners


def _count_bits(masks, days) -> list[int]:
    counts = [0] * len(days)
    for mask, n in Counter(masks).items():
        index = 0
        while mask:
            if mask & 1:
                counts[index] += n
            mask >>= 1
            index += 1
    return counts


def _agreement_masks(days):
    """(participant id, the days its agreement was in force) for each agreement handed over:
    lending.queries.agreements_in_force_on's rule, not ended (`ended_on`) and the day not after
    the agreement's end as it stood that day (the latest annex signed by then moved it; before
    any, the first signed annex's `previous_end`, else `ends_on`). Two queries."""
    annexes: dict[int, list] = {}
    for agreement_id, signed_on, new_end, previous_end in (
        AgreementAnnex.objects.filter(status=AgreementAnnex.Status.SIGNED)
        .order_by("agreement_id", "signed_on", "pk")
        .values_list("agreement_id", "signed_on", "new_end", "previous_end")
    ):
        annexes.setdefault(agreement_id, []).append((signed_on, new_end, previous_end))
    for pk, owner_id, handed_over_on, ended_on, ends_on in LoanAgreement.objects.filter(
        handed_over_on__lte=days[-1]
    ).values_list("pk", "participant_id", "handed_over_on", "ended_on", "ends_on"):
        signed = annexes.get(pk, [])
        # (from, end then): the end as it stood from each day an annex was signed
        stretches = [(None, signed[0][2] if signed else ends_on)]
        stretches += [(on, new_end) for on, new_end, _previous in signed if on is not None]
        mask = 0
        for index, (since, end_then) in enumerate(stretches):
            until = stretches[index + 1][0] if index + 1 < len(stretches) else None
            lo = handed_over_on if since is None else max(handed_over_on, since)
            hi = _after(end_then) if until is None else min(until, _after(end_then))
            if ended_on is not None:
                hi = min(hi, ended_on)
            mask |= _mask(days, lo, hi)
        yield owner_id, mask


def _households_connected(project, days):
    """Participants taking part, with an agreement in force and a working connection, each
    condition as day masks (lending.queries' rules), counted per day: five queries."""
    working = _working_masks(days, "participant")
    agreements: dict[int, int] = {}
    for owner_id, mask in _agreement_masks(days):
        agreements[owner_id] = agreements.get(owner_id, 0) | mask
    masks = []
    for pk, joined_on, ended_on, status in Participant.objects.filter(
        joined_on__lte=days[-1], pk__in=list(working)
    ).values_list("pk", "joined_on", "ended_on", "status"):
        if ended_on is not None:
            taking_part = _mask(days, joined_on, ended_on)
        elif status == Participant.Status.ACTIVE:
            taking_part = _mask(days, joined_on)
        else:
            continue
        masks.append(taking_part & agreements.get(pk, 0) & working[pk])
    return _count_bits(masks, days)


def _units_connected(project, days):
    """Units with a lab (an asset whose latest holder event by the day placed it there) and a
    working connection, as day masks: four queries."""
    working = _working_masks(days, "public_unit")
    placed: dict[int, int] = {}
    events = list(
        AssetEvent.objects.filter(kind__in=indicators.HOLDER_EVENTS, date__lte=days[-1])
        .order_by("asset_id", "date", "pk")
        .values_list("asset_id", "kind", "date", "public_unit_id")
    )
    for index, (asset, kind, date, unit) in enumerate(events):
        if kind != AssetEvent.Kind.ASSIGNED or unit is None:
            continue
        following = events[index + 1] if index + 1 < len(events) else None
        until = following[2] if following and following[0] == asset else None
        placed[unit] = placed.get(unit, 0) | _mask(days, date, until)
    units = PublicUnit.objects.values_list("pk", flat=True)
    return _count_bits([placed.get(u, 0) & working.get(u, 0) for u in units], days)


def _equipment(project, days) -> list[dict]:
    """indicators.equipment_in_use for every day: the assets' holder and condition events read
    once in order (date, pk) and replayed, counting the assets in use and in working order."""

    def compute():
        events = (
            AssetEvent.objects.filter(
                kind__in=indicators.HOLDER_EVENTS + indicators.CONDITION_EVENTS,
                date__lte=days[-1],
            )
            .order_by("date", "pk")
            .values_list("asset_id", "kind", "date")
        )
        assigned: dict[int, bool] = {}
        sound: dict[int, bool] = {}
        in_use = working = 0
        figures, events = [], list(events)
        i = 0
        for day in days:
            while i < len(events) and events[i][2] <= day:
                asset, kind, _date = events[i]
                i += 1
                was_in_use = assigned.get(asset, False)
                was_working = was_in_use and sound.get(asset, True)
                if kind in indicators.HOLDER_EVENTS:
                    assigned[asset] = kind == AssetEvent.Kind.ASSIGNED
                else:
                    sound[asset] = kind == AssetEvent.Kind.SERVICED
                now_in_use = assigned.get(asset, False)
                in_use += now_in_use - was_in_use
                working += (now_in_use and sound.get(asset, True)) - was_working
            figures.append({"in_use": in_use, "working": working})
        return figures

    return _memo(("equipment", tuple(days)), compute)


def _assets_in_working_order(project, days):
    return [f["working"] if f["in_use"] else None for f in _equipment(project, days)]


def _equipment_target(project, days):
    return [f["in_use"] for f in _equipment(project, days)]


# code -> (value series, target series or None: the indicator's own target function per month)
FAST: dict[str, tuple[Callable, Callable | None]] = {
    "applications_received": (_applications_received, None),
    "applications_ranked": (_applications_ranked, None),
    "main_list_households": (_main_list_households, None),
    "participants": (_participants, None),
    "public_units": (_public_units, None),
    "lab_hours_scheduled": (_lab_hours_scheduled, None),
    "lab_hours_open": (_lab_hours_open, None),
    "lab_visits": (_lab_visits, None),
    "people_trained": (_training_figure("all"), None),
    "people_trained_women": (_training_figure("F"), None),
    "people_trained_men": (_training_figure("M"), None),
    "training_hours": (_training_figure("hours"), None),
    "visits_made": (_visits_made, _visits_target),
    "households_connected": (_households_connected, None),
    "units_connected": (_units_connected, None),
    "assets_in_working_order": (_assets_in_working_order, _equipment_target),
    "contracts_signed": (_contracts_signed, None),
}

# Targets read from the project record: the same every day, asked once.
PROJECT_TARGETS = {
    indicators.no_target,
    indicators.households_target,
    indicators.units_target,
    indicators.people_trained_target,
    indicators.training_hours_target,
}

_memo_store: dict | None = None


def _memo(key, compute):
    if _memo_store is None:
        return compute()
    if key not in _memo_store:
        _memo_store[key] = compute()
    return _memo_store[key]


def indicator_series(
    project: Project,
    months: Sequence[datetime.date] | None = None,
    until: datetime.date | None = None,
) -> list[Series]:
    """Every indicator (in the order they are shown) month by month over `months` (default:
    month_range); a month's value is counted at its end, or on today (or `until`, e.g. a
    snapshot's day) for the last month when that day comes first."""
    global _memo_store
    notes: list[str] = []
    if months is None:
        months, notes = month_range(project, until)
    months = list(months)
    days = month_ends(months, min(until or clock.today(), clock.today()))
    values: dict[str, list] = {}
    targets: dict[str, list] = {}
    if days:
        _memo_store = {}
        try:
            slow = []
            for definition in INDICATORS:
                value, target = FAST.get(definition.code, (None, None))
                if value is None:
                    slow.append(definition)
                    continue
                values[definition.code] = value(project, days)
                if target is not None:
                    targets[definition.code] = target(project, days)
                elif definition.target in PROJECT_TARGETS:
                    targets[definition.code] = [definition.target(project, days[-1])] * len(days)
                else:
                    slow.append(definition)
            for definition in slow:
                values.setdefault(definition.code, [])
                targets.setdefault(definition.code, [])
            _per_month(project, days, slow, values, targets)
        finally:
            _memo_store = None
    return [
        Series(
            d.code,
            d.name,
            d.unit,
            months,
            days,
            values.get(d.code, []),
            targets.get(d.code, []),
            notes,
        )
        for d in INDICATORS
    ]


def _per_month(project, days, slow, values, targets):
    """The fallback: each slow indicator's own function on each day, in one `shared` memo per
    day (as live_indicators), filling what the fast series left empty."""
    if not slow:
        return
    for day in days:
        token = _shared.set({})
        try:
            for definition in slow:
                if len(values[definition.code]) < len(days):
                    values[definition.code].append(definition.value(project, day))
                if len(targets[definition.code]) < len(days):
                    targets[definition.code].append(definition.target(project, day))
        finally:
            _shared.reset(token)


def charts_of(
    every: Sequence[Series], marks: Sequence[tuple[datetime.date, str]] = ()
) -> list[charts.Chart]:
    """One line chart per indicator against its target (when it has one), the frozen
    snapshots marked; an indicator not measured in a month is a gap."""
    drawn = []
    for one in every:
        period = ""
        if one.months:
            first, last = (
                charts.month_label(m, in_text=True) for m in (one.months[0], one.months[-1])
            )
            period = f", {first} – {last}"
        has_target = any(t is not None for t in one.targets)
        drawn.append(
            charts.line_chart(
                caption=f"{one.name} ({one.unit}){period}",
                months=one.months,
                series=[(_("value at the month's end"), one.values)],
                target=(_("target"), one.targets) if has_target else None,
                marks=[(day, label) for day, label in marks if one.months and day >= one.months[0]],
                notes=one.notes,
            )
        )
    return drawn


def snapshot_marks(until: datetime.date | None = None) -> list[tuple[datetime.date, str]]:
    """The frozen snapshots' days (to `until`), each labelled with its day."""
    snapshots = IndicatorSnapshot.objects.order_by("as_of").values_list("as_of", flat=True)
    if until is not None:
        snapshots = snapshots.filter(as_of__lte=until)
    return [(day, _("snapshot of %(day)s") % {"day": short_date(day)}) for day in snapshots]


def indicator_charts(
    project: Project, months=None, until: datetime.date | None = None
) -> list[charts.Chart]:
    """Every indicator's chart (see indicator_series and charts_of), snapshots marked."""
    return charts_of(indicator_series(project, months, until), snapshot_marks(until))


def series_by_code(project: Project, months=None) -> dict[str, Series]:
    return {s.code: s for s in indicator_series(project, months)}


__all__ = [
    "Series",
    "charts_of",
    "indicator_charts",
    "indicator_series",
    "month_ends",
    "month_range",
    "series_by_code",
    "snapshot_marks",
]
