"""The project's chronicle: entries written by hand merged with the milestones the apps record.

A milestone is read from the app that records it, never typed in twice: the call (recruitment's
Call), the approved lists (RankingVersion), and each procurement step in
`ProcedureEvent.MILESTONES`. Each has a stable key ("procurement.event:12"). A hand-written entry
that tells of milestones names their keys in `ChronicleEntry.covers`; the chronicle then shows the
entry in their place, so the seed's "Ogłoszenie przetargu ... BZP 408664-2012" and procurement's
announcement appear once.

Sources of milestones are functions in MILESTONE_SOURCES (each: () -> list[ChronicleItem], a
fixed number of queries): also each training module held (training's figures) and each month's
round of monitoring visits (the visits made that month, counted; nobody is named).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from procurement.models import Contract, Procedure, ProcedureEvent
from recruitment import domain
from recruitment.models import Call, RankingVersion
from training.queries import format_hours, training_figures

from .models import ChronicleEntry, MonitoringVisit

RECRUITMENT, PROCUREMENT, TRAINING, VISITS = "recruitment", "procurement", "training", "visits"
MILESTONE_KINDS = {
    RECRUITMENT: gettext_lazy("recruitment"),
    PROCUREMENT: gettext_lazy("public procurement"),
    TRAINING: gettext_lazy("training"),
    VISITS: gettext_lazy("monitoring visits"),
}


@dataclass
class ChronicleItem:
    key: str
    date: datetime.date
    kind: str
    kind_label: str
    title: str
    end_date: datetime.date | None = None
    precision: str = ChronicleEntry.Precision.DAY
    source: str = ""
    link: str = ""
    description: str = ""
    is_milestone: bool = False
    entry: ChronicleEntry | None = None  # the hand-written entry, for the office's pages
    covers: list = field(default_factory=list)  # milestones an entry tells of
    covered_by: ChronicleEntry | None = None  # for a milestone an entry tells of

    @property
    def anchor(self) -> str:
        return self.key.replace(".", "-").replace(":", "-")

    @property
    def when(self) -> str:
        return when(self.date, self.end_date, self.precision)


def _month(day: datetime.date) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT").lower()


def when(start, end=None, precision=ChronicleEntry.Precision.DAY) -> str:
    """ "14.11.2012", "19.11.2012 – 07.12.2012", "czerwiec 2012", "październik – grudzień 2013"."""
    if precision == ChronicleEntry.Precision.MONTH:
        if end and (end.year, end.month) != (start.year, start.month):
            if end.year == start.year:
                return f"{date_format(start, 'F').lower()} – {_month(end)}"
            return f"{_month(start)} – {_month(end)}"
        return _month(start)
    text = date_format(start, "SHORT_DATE_FORMAT")
    if end and end != start:
        text += " – " + date_format(end, "SHORT_DATE_FORMAT")
    return text


# --- milestones from the apps ------------------------------------------------------------------


def call_milestones() -> list[ChronicleItem]:
    calls = Call.objects.annotate(received=Count("applications")).order_by("opens_on")
    return [
        ChronicleItem(
            key=f"recruitment.call:{call.pk}",
            date=call.opens_on,
            end_date=call.deadline,
            kind=RECRUITMENT,
            kind_label=str(MILESTONE_KINDS[RECRUITMENT]),
            title=call.title,
            description=_("Applications accepted from %(opens)s to %(deadline)s; received: %(n)d.")
            % {
                "opens": date_format(call.opens_on, "SHORT_DATE_FORMAT"),
                "deadline": date_format(call.deadline, "SHORT_DATE_FORMAT"),
                "n": call.received,
            },
            is_milestone=True,
        )
        for call in calls
    ]


def list_milestones() -> list[ChronicleItem]:
    """Lists approved by the committee (later versions, one household's change, are not news)."""
    versions = (
        RankingVersion.objects.filter(kind=RankingVersion.Kind.APPROVAL)
        .select_related("call")
        .annotate(
            main=Count("entries", filter=Q(entries__status=domain.MAIN)),
            reserve=Count("entries", filter=Q(entries__status=domain.RESERVE)),
            rejected=Count("entries", filter=Q(entries__status=domain.REJECTED)),
            ineligible=Count("entries", filter=Q(entries__status=domain.INELIGIBLE)),
        )
        .order_by("decided_on", "pk")
    )
    return [
        ChronicleItem(
            key=f"recruitment.lists:{version.pk}",
            date=version.decided_on,
            kind=RECRUITMENT,
            kind_label=str(MILESTONE_KINDS[RECRUITMENT]),
            title=_("The recruitment committee approved the lists of the call %(code)s")
            % {"code": version.call.code},
            description=_(
                "Main list: %(main)d, reserve list: %(reserve)d, ineligible: %(ineligible)d, "
                "rejected on formal grounds: %(rejected)d."
            )
            % {
                "main": version.main,
                "reserve": version.reserve,
                "ineligible": version.ineligible,
                "rejected": version.rejected,
            },
            is_milestone=True,
        )
        for version in versions
    ]


def _procedure_title(event: ProcedureEvent) -> str:
    procedure = event.procedure
    subject = procedure.subject
    kind = ProcedureEvent.Kind
    if event.kind == kind.ANNOUNCED:
        if procedure.procedure_type == Procedure.ProcedureType.OPEN_TENDER:
            return _("Open tender announced: %(subject)s (BZP %(number)s)") % {
                "subject": subject,
                "number": procedure.announcement_number,
            }
        return _("Request for quotation: %(subject)s") % {"subject": subject}
    if event.kind == kind.ANNULLED:
        return _("Procedure annulled: %(subject)s (%(label)s)") % {
            "subject": subject,
            "label": procedure.label,
        }
    if event.kind == kind.AWARDED:
        winner = procedure.winning_offer.bidder.name if procedure.winning_offer else ""
        return _("Contractor chosen: %(subject)s – %(supplier)s") % {
            "subject": subject,
            "supplier": winner,
        }
    contract = next(iter(procedure.contracts.all()), None)
    return _("Contract signed: %(subject)s – %(supplier)s") % {
        "subject": subject,
        "supplier": contract.supplier.name if contract else "",
    }


def procurement_milestones() -> list[ChronicleItem]:
    events = (
        ProcedureEvent.objects.filter(kind__in=ProcedureEvent.MILESTONES)
        .select_related("procedure__winning_offer__bidder")
        .prefetch_related(
            Prefetch("procedure__contracts", queryset=Contract.objects.select_related("supplier"))
        )
        .order_by("date", "pk")
    )
    return [
        ChronicleItem(
            key=f"procurement.event:{event.pk}",
            date=event.date,
            kind=PROCUREMENT,
            kind_label=str(MILESTONE_KINDS[PROCUREMENT]),
            title=_procedure_title(event),
            is_milestone=True,
        )
        for event in events
    ]


def training_milestones() -> list[ChronicleItem]:
    """Each training module held: one that has delivered hours or people who completed it."""
    items = []
    for module in training_figures()["modules"]:
        if not module["hours_delivered"] and not module["people_trained"]:
            continue
        items.append(
            ChronicleItem(
                key=f"training.module:{module['id']}",
                date=module["starts_on"],
                end_date=module["ends_on"],
                kind=TRAINING,
                kind_label=str(MILESTONE_KINDS[TRAINING]),
                title=_("Training module %(number)d held: %(name)s")
                % {"number": module["number"], "name": module["name"]},
                description=_(
                    "Groups: %(groups)d; hours delivered: %(hours)s; %(trained)d of "
                    "%(enrolled)d people completed it."
                )
                % {
                    "groups": len(module["groups"]),
                    "hours": format_hours(module["hours_delivered"]),
                    "trained": module["people_trained"],
                    "enrolled": module["people_enrolled"],
                },
                is_milestone=True,
            )
        )
    return items


def visit_milestones() -> list[ChronicleItem]:
    """Each month's round of monitoring visits at the households (one query)."""
    rounds = (
        MonitoringVisit.objects.filter(outcome=MonitoringVisit.Outcome.MADE)
        .annotate(month=TruncMonth("visited_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(
            visits=Count("pk"),
            households=Count("participant", distinct=True),
            first=Min("visited_at"),
            last=Max("visited_at"),
        )
        .order_by("month")
    )
    items = []
    for row in rounds:
        month = clock.day_of(row["month"]) if hasattr(row["month"], "hour") else row["month"]
        first = clock.day_of(row["first"])
        last = clock.day_of(row["last"])
        items.append(
            ChronicleItem(
                key=f"monitoring.visits:{month:%Y-%m}",
                date=first,
                end_date=last,
                precision=ChronicleEntry.Precision.MONTH,
                kind=VISITS,
                kind_label=str(MILESTONE_KINDS[VISITS]),
                title=_("Monitoring visits at the beneficiaries' homes"),
                description=_("Visits made: %(visits)d, households visited: %(households)d.")
                % {"visits": row["visits"], "households": row["households"]},
                is_milestone=True,
            )
        )
    return items


MILESTONE_SOURCES = [
    call_milestones,
    list_milestones,
    procurement_milestones,
    training_milestones,
    visit_milestones,
]


def milestones() -> list[ChronicleItem]:
    found = []
    for source in MILESTONE_SOURCES:
        found.extend(source())
    return found


# --- the merged chronicle --------------------------------------------------------------------


def entry_item(entry: ChronicleEntry) -> ChronicleItem:
    return ChronicleItem(
        key=f"entry:{entry.pk}",
        date=entry.date,
        end_date=entry.end_date,
        precision=entry.precision,
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        title=entry.title,
        source=entry.source,
        link=entry.link,
        description=entry.description,
        entry=entry,
    )


def chronicle(*, public: bool, year: int | None = None) -> list[ChronicleItem]:
    """The chronicle in date order. Public: published entries, and the milestones no published
    entry tells of. For the office: every entry, and every milestone with the entry (if any)
    that tells of it."""
    entries = ChronicleEntry.objects.order_by("date", "pk")
    if public:
        entries = entries.filter(published=True)
    entries = list(entries)
    found = {item.key: item for item in milestones()}
    covering = {}
    for entry in entries:
        for key in entry.covers:
            covering.setdefault(key, entry)
    items = []
    for entry in entries:
        item = entry_item(entry)
        item.covers = [found[key] for key in entry.covers if key in found]
        items.append(item)
    for key, milestone in found.items():
        if key in covering:
            if public:
                continue
            milestone.covered_by = covering[key]
        items.append(milestone)
    if year:
        items = [i for i in items if i.date.year == year]
    items.sort(key=lambda i: (i.date, i.is_milestone, i.entry.pk if i.entry else 0, i.key))
    return items


def years(items) -> list[int]:
    return sorted({item.date.year for item in items})


def milestone_choices(
    entry: ChronicleEntry | None = None, found: list[ChronicleItem] | None = None
) -> list[tuple[str, str]]:
    """Milestones an entry may tell of: those no other entry tells of, and its own.

    `found`: the milestones when the caller has them already (the demo adds 51 entries and
    computes them once); by default they are read from the apps."""
    taken = set()
    others = ChronicleEntry.objects.exclude(pk=entry.pk) if entry and entry.pk else None
    for covers in (others if others is not None else ChronicleEntry.objects).values_list(
        "covers", flat=True
    ):
        taken.update(covers)
    return [
        (item.key, f"{item.when} · {item.title}")
        for item in sorted(milestones() if found is None else found, key=lambda i: (i.date, i.key))
        if item.key not in taken
    ]
