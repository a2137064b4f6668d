"""The 5-year durability period: the yearly durability report, built from what the apps record.

One function per section of the report, each returning what can be measured now and saying so
when it cannot (never a made-up number):

- `places_kept_filled`: the main list's places at the start and end of the year, the changes of
  the lists in the year (recruitment's list versions: a place freed and filled from the reserve
  list, or left empty), and the households taking part at the end of the year (lending);
- `connections_active`, `assets_in_use`, `visits_made`: not measured until lending records the
  connections and the equipment, and the monitoring visits are recorded;
- `problems_and_resolution`: what the lab supervisors reported in the year (later also the
  visits' findings and their follow-ups).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.models import Project, add_years
from lending.models import Participant
from recruitment import domain
from recruitment.models import LEFT, RankingEntry, RankingVersion

from .indicators import live_indicators
from .models import LabReport


@dataclass(frozen=True)
class ProjectYear:
    """Year `number` (1-based) of the durability period: the 12 months after the project's end,
    then the next 12, and so on."""

    number: int
    start: datetime.date
    end: datetime.date

    @property
    def started(self) -> bool:
        return self.start <= timezone.localdate()

    @property
    def finished(self) -> bool:
        return self.end < timezone.localdate()

    @property
    def measured_on(self) -> datetime.date:
        """The day the report's figures are taken: the year's end, or today while it runs."""
        return min(self.end, timezone.localdate())


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
class Measure:
    """A figure of the report, or None with the reason it is not measured yet."""

    value: int | None
    not_measured: str = ""


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


def connections_active(project: Project, year: ProjectYear) -> Measure:
    """Households and units whose Internet connection worked at the end of the year."""
    return Measure(None, _("Not measured yet: lending does not record the connections yet."))


def assets_in_use(project: Project, year: ProjectYear) -> Measure:
    """Lent computers in use and in working order at the end of the year."""
    return Measure(None, _("Not measured yet: lending does not record the equipment yet."))


def visits_made(project: Project, year: ProjectYear) -> Measure:
    """Monitoring visits made in the year (against those planned)."""
    return Measure(None, _("Not measured yet: monitoring visits are not recorded yet."))


@dataclass(frozen=True)
class Problem:
    date: datetime.date
    where: str
    description: str


def problems_and_resolution(project: Project, year: ProjectYear) -> list[Problem]:
    """Problems reported in the year and what was done: the lab supervisors' reports."""
    reports = (
        LabReport.objects.filter(month__range=(year.start, year.end))
        .exclude(problems="")
        .select_related("unit")
        .order_by("month", "unit__name")
    )
    return [Problem(r.month, r.unit.name, r.problems) for r in reports]


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
