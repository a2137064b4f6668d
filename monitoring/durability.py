"""The 5-year durability period: the yearly durability report, built from what the apps record.

One function per section of the report, each returning what can be measured now and saying so
when it cannot (never a made-up number):

- `places_kept_filled`: the main list's places at the start and end of the year, the changes of
  the lists in the year (recruitment's list versions: a place freed and filled from the reserve
  list, or left empty), and the households taking part at the end of the year (lending);
- `connections_active`: the households and units whose connection worked at the end of the
  year, and the outages of the year (lending);
- `assets_in_use`: the equipment lent or in the labs at the end of the year, in working order
  or not, and the damage claims and service of the year (lending);
- `visits_made`: the monitoring visits of the year against those planned (monitoring);
- `problems_and_resolution`: what the lab supervisors reported, what the visits found and the
  follow-up actions with their outcome.

The figures are the indicators' own (monitoring/indicators.py), counted at the year's end.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from lebork_einclusion import clock
from lebork_einclusion.models import Project, add_years
from lending.models import DamageClaim, Outage, Participant, ServiceRecord
from recruitment import domain
from recruitment.models import LEFT, RankingEntry, RankingVersion

from . import indicators
from .indicators import live_indicators
from .models import FollowUp, LabReport, MonitoringVisit, PlannedVisit


@dataclass(frozen=True)
class ProjectYear:
    """Year `number` (1-based) of the durability period: the 12 months after the project's end,
    then the next 12, and so on."""

    number: int
    start: datetime.date
    end: datetime.date

    @property
    def started(self) -> bool:
        return self.start <= clock.today()

    @property
    def finished(self) -> bool:
        return self.end < clock.today()

    @property
    def measured_on(self) -> datetime.date:
        """The day the report's figures are taken: the year's end, or today while it runs."""
        return min(self.end, clock.today())


def project_years(project: Project) -> list[ProjectYear]:
    first_day = project.end_date + datetime.timedelta(days=1)
    return [
        ProjectYear(
            number,
            add_years(first_day, number - 1),
            add_years(project.end_date, number),
        )
        for number in range(1, project.durability_years + 1)
    ]


def project_year(project: Project, number: int) -> ProjectYear | None:
    years = project_years(project)
    return years[number - 1] if 1 <= number <= len(years) else None


@dataclass(frozen=True)
class ListChange:
    decided_on: datetime.date
    kind: str
    reason: str
    left: list[str]
    joined: list[str]


@dataclass
class PlacesKeptFilled:
    target: int
    filled_at_start: int
    filled_at_end: int
    participants_at_end: int
    changes: list[ListChange] = field(default_factory=list)

    @property
    def replacements(self) -> int:
        return sum(1 for c in self.changes if c.kind == RankingVersion.Kind.PROMOTION)

    @property
    def vacancies(self) -> int:
        return sum(1 for c in self.changes if c.kind == RankingVersion.Kind.VACANCY)


def _main_list_on(day: datetime.date) -> int:
    latest = (
        RankingVersion.objects.filter(decided_on__lte=day)
        .order_by("call_id", "-number")
        .distinct("call_id")
        .values("pk")
    )
    return RankingEntry.objects.filter(version__in=latest, status=domain.MAIN).count()


def places_kept_filled(project: Project, year: ProjectYear) -> PlacesKeptFilled:
    """§7: a place freed by resignation, end of participation or exclusion goes to the first on
    the reserve list; each such change is a new version of the lists (recruitment)."""
    day_before = year.start - datetime.timedelta(days=1)
    versions = (
        RankingVersion.objects.filter(
            decided_on__range=(year.start, year.measured_on),
            kind__in=(RankingVersion.Kind.PROMOTION, RankingVersion.Kind.VACANCY),
        )
        .select_related("call")
        .order_by("decided_on", "number")
    )
    versions = list(versions)
    changes = [
        ListChange(v.decided_on, v.kind, v.reason, left, joined)
        for v, (left, joined) in zip(versions, _who_changed(versions), strict=True)
    ]
    participants_at_end = (
        Participant.objects.filter(joined_on__lte=year.measured_on)
        .filter(
            Q(ended_on__gt=year.measured_on)
            | Q(ended_on__isnull=True, status=Participant.Status.ACTIVE)
        )
        .count()
    )
    return PlacesKeptFilled(
        target=project.target_households,
        filled_at_start=_main_list_on(day_before),
        filled_at_end=_main_list_on(year.measured_on),
        participants_at_end=participants_at_end,
        changes=changes,
    )


def _who_changed(versions) -> list[tuple[list[str], list[str]]]:
    """For each version: the registration numbers that left the main list in it and those that
    joined it, against the version before (all in one query)."""
    if not versions:
        return []
    low = min(v.number for v in versions) - 1
    high = max(v.number for v in versions)
    rows = RankingEntry.objects.filter(
        version__call__in={v.call_id for v in versions},
        version__number__range=(low, high),
        status__in=(domain.MAIN, LEFT),
    ).values_list("version__call_id", "version__number", "status", "application__number")
    main: dict[tuple[int, int], set[str]] = {}
    left: dict[tuple[int, int], set[str]] = {}
    for call_id, number, status, application in rows:
        (main if status == domain.MAIN else left).setdefault((call_id, number), set()).add(
            application
        )
    result = []
    for v in versions:
        before = main.get((v.call_id, v.number - 1), set())
        now = main.get((v.call_id, v.number), set())
        gone = left.get((v.call_id, v.number), set()) & before
        result.append((sorted(gone), sorted(now - before)))
    return result


@dataclass(frozen=True)
class ConnectionsActive:
    households: int
    households_target: int
    units: int
    units_target: int
    outages: int
    outages_open: int


def connections_active(project: Project, year: ProjectYear) -> ConnectionsActive:
    """Households (with an agreement in force) and units whose Internet connection worked at
    the end of the year, and the outages that began in the year (still open at its end)."""
    day = year.measured_on
    outages = Outage.objects.filter(started_on__range=(year.start, day)).aggregate(
        all=Count("pk"),
        open=Count("pk", filter=Q(ended_on__isnull=True) | Q(ended_on__gt=day)),
    )
    return ConnectionsActive(
        households=indicators.households_connected(project, day),
        households_target=project.target_households,
        units=indicators.units_connected(project, day),
        units_target=project.target_public_units,
        outages=outages["all"],
        outages_open=outages["open"],
    )


@dataclass(frozen=True)
class AssetsInUse:
    in_use: int
    at_households: int
    in_units: int
    working: int
    claims: int
    services: int

    @property
    def not_working(self) -> int:
        return self.in_use - self.working


def assets_in_use(project: Project, year: ProjectYear) -> AssetsInUse:
    """Equipment lent to households or in the units' labs at the end of the year, in working
    order or not; damage claims and service recorded in the year."""
    day = year.measured_on
    figures = indicators.equipment_in_use(day)
    return AssetsInUse(
        in_use=figures["in_use"],
        at_households=figures["households"],
        in_units=figures["units"],
        working=figures["working"],
        claims=DamageClaim.objects.filter(occurred_on__range=(year.start, day)).count(),
        services=ServiceRecord.objects.filter(started_on__range=(year.start, day)).count(),
    )


@dataclass(frozen=True)
class VisitsMade:
    planned: int  # due in the year (not cancelled)
    planned_done: int  # of them, done
    made: int  # visits made in the year (planned or not)
    households: int  # households visited in the year
    not_made: int  # nobody at home, refused
    cancelled: int  # planned visits cancelled in the year (households that left)


def _year_bounds(year: ProjectYear):
    start = timezone.make_aware(datetime.datetime.combine(year.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(year.measured_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def visits_made(project: Project, year: ProjectYear) -> VisitsMade:
    """Monitoring visits of the year against the plan."""
    start, end = _year_bounds(year)
    planned = PlannedVisit.objects.filter(due_on__range=(year.start, year.end)).aggregate(
        due=Count("pk", filter=~Q(status=PlannedVisit.Status.CANCELLED)),
        done=Count("pk", filter=Q(status=PlannedVisit.Status.DONE, visit__visited_at__lt=end)),
        cancelled=Count("pk", filter=Q(status=PlannedVisit.Status.CANCELLED)),
    )
    made = MonitoringVisit.objects.filter(visited_at__gte=start, visited_at__lt=end).aggregate(
        made=Count("pk", filter=Q(outcome=MonitoringVisit.Outcome.MADE)),
        households=Count(
            "participant", filter=Q(outcome=MonitoringVisit.Outcome.MADE), distinct=True
        ),
        not_made=Count("pk", filter=~Q(outcome=MonitoringVisit.Outcome.MADE)),
    )
    return VisitsMade(
        planned=planned["due"],
        planned_done=planned["done"],
        made=made["made"],
        households=made["households"],
        not_made=made["not_made"],
        cancelled=planned["cancelled"],
    )


@dataclass(frozen=True)
class Problem:
    date: datetime.date
    where: str
    description: str
    resolution: str = ""
    month_only: bool = False  # a supervisor's monthly report


def problems_and_resolution(project: Project, year: ProjectYear) -> list[Problem]:
    """Problems found in the year and what was done: the lab supervisors' reports, the visits'
    findings that changed something (an asset damaged or missing, an outage, a broken
    obligation) and the follow-up actions set in the year with their outcome. Households are
    named by their application number only."""
    found = [
        Problem(r.month, r.unit.name, r.problems, month_only=True)
        for r in LabReport.objects.filter(month__range=(year.start, year.end))
        .exclude(problems="")
        .select_related("unit")
        .order_by("month", "unit__name")
    ]
    start, end = _year_bounds(year)
    visits = (
        MonitoringVisit.objects.filter(visited_at__gte=start, visited_at__lt=end)
        .filter(
            Q(checks__state__in=("damaged", "missing"))
            | Q(outage__isnull=False)
            | Q(exclusion_proposal__isnull=False)
        )
        .distinct()
        .select_related("participant__application", "exclusion_proposal", "outage")
        .prefetch_related("follow_ups")
        .order_by("visited_at", "pk")
    )
    for visit in visits:
        outcomes = [
            f"{f.what}: {f.get_status_display()}" + (f" – {f.outcome}" if f.outcome else "")
            for f in visit.follow_ups.all()
        ]
        if visit.exclusion_proposal:
            outcomes.append(str(visit.exclusion_proposal.get_status_display()))
        if visit.outage and visit.outage.ended_on:
            outcomes.append(f"{visit.outage.ended_on:%d.%m.%Y} {visit.outage.resolution}".strip())
        found.append(
            Problem(
                clock.day_of(visit.visited_at),
                visit.participant.application.number,
                visit.findings or visit.compliance_note,
                "; ".join(outcomes),
            )
        )
    follow_ups = (
        FollowUp.objects.filter(visit__isnull=True, created_at__gte=start, created_at__lt=end)
        .select_related("participant__application")
        .order_by("due_on", "pk")
    )
    for follow_up in follow_ups:
        found.append(
            Problem(
                follow_up.due_on,
                follow_up.participant.application.number,
                follow_up.what,
                f"{follow_up.get_status_display()}"
                + (f" – {follow_up.outcome}" if follow_up.outcome else ""),
            )
        )
    found.sort(key=lambda p: p.date)
    return found


def lab_activity(project: Project, year: ProjectYear) -> dict:
    """The units' labs in the year: hours open and visits the supervisors reported."""
    return LabReport.objects.filter(month__range=(year.start, year.end)).aggregate(
        reports=Count("pk"),
        units=Count("unit", distinct=True),
        hours=Sum("hours_open"),
        visits=Sum("visitors"),
    )


def report(project: Project, year: ProjectYear) -> dict:
    """Everything the yearly durability report prints."""
    return {
        "project": project,
        "year": year,
        "indicators": [
            i for i in live_indicators(project, year.measured_on) if i.value is not None
        ],
        "places": places_kept_filled(project, year),
        "connections": connections_active(project, year),
        "assets": assets_in_use(project, year),
        "visits": visits_made(project, year),
        "problems": problems_and_resolution(project, year),
        "labs": lab_activity(project, year),
    }
