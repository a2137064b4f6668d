"""Demo data of monitoring: the visit plan (call 2012: first visit within 4 months of the
handover, then yearly to the end of 2018) and the March 2013 round of home visits with a few
findings and their follow-ups, the units' lab hours for January-October 2013, a few
supervisors' reports, two frozen indicator snapshots, and the project page's chronicle
(seeds/000_…txt, "Informacje z realizacji projektu": 51 entries with their real dates).

The visits (made up, as everything personal here): most households visited between 1 and 28
March 2013 (the project page, entry 39); six are left for April and stay overdue, one of them
moved by the officer. Findings: a damaged monitor (a service record in lending, repaired under
the warranty: its follow-up closed), a connection that does not work (an outage reported to
lending, closed by the provider: its follow-up closed), a household whose computer was lent to
a neighbour (a proposal to exclude it for the coordinator, never an exclusion; follow-ups open),
one household not at home at the first try. Every visit goes through the same service as the
phone's form; each has a fixed key, so loading the demo again changes nothing.

Made up (the demo banner says so): the labs' hours, rooms, the reports' figures and problems,
the snapshots' references. The chronicle's wording is the project page's.

Chronicle decisions, also written in each entry's editorial note:
- entry 19 says "Zakończenie szkoleń 12.11.2012", a week before the training began (19.11):
  read as 12.12.2012, the first working days after the last session (07.12.2012);
- entry 32 is dated 15.01.2012 but stands among January 2013 entries, and the labs opened after
  the supervisors' contract of 14.01.2013: read as 15.01.2013;
- entry 51 begins with a stray "19.": dropped;
- entries 9, 13 and 38 have no date and entries 1, 12, 30, 36, 39, 43 and 49 give only a month:
  shown with the month only, placed where the page lists them.
Entries that tell of what procurement and recruitment record (the call, the approved lists, the
tenders' announcements, the annulment, the contracts) name those milestones in `covers`: the
chronicle shows each once, in the page's own words.

Idempotent: schedules and reports are matched by unit and month, snapshots by date and
purpose, chronicle entries by date and title.
"""

import datetime
import io
import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from lebork_einclusion import clock
from lebork_einclusion.models import Project, PublicUnit
from lending import demo as lending_demo
from lending import services as lending_services
from lending.models import ExclusionProposal, LoanAgreement, Participant
from lending.queries import active_connection, lent_assets
from procurement.demo import (
    LAB_SUPERVISION_CONTRACT,
)
from procurement.models import Contract, ProcedureEvent
from recruitment.models import Call, RankingVersion
from training.models import TrainingModule

from . import chronicle, photos, schedules
from .models import (
    AssetCheck,
    ChronicleEntry,
    FollowUp,
    IndicatorSnapshot,
    LabReport,
    LabSchedule,
    MonitoringVisit,
    PlannedVisit,
    VisitRule,
)
from .services.chronicle import do_save_chronicle_entry
from .services.follow_ups import do_close_follow_up
from .services.labs import do_save_report, do_save_schedule
from .services.plans import do_move_planned_visit, do_save_visit_rule, do_sync_plans
from .services.snapshots import do_freeze_indicators
from .services.visits import CheckInput, FollowUpInput, do_record_visit

D = datetime.date
T = datetime.time
DATA = Path(__file__).resolve().parent / "demo_data"


def _data(name: str):
    """One of the demo's tables (UTF-8 JSON in demo_data/, kept out of the code)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- the labs ----------------------------------------------------------------------------------

# Public holidays of 2013 and the schools' spring break (the labs of schools are closed).
HOLIDAYS = {
    D(2013, 1, 1),
    D(2013, 1, 6),
    D(2013, 4, 1),
    D(2013, 5, 1),
    D(2013, 5, 3),
    D(2013, 5, 30),
    D(2013, 8, 15),
}
SPRING_BREAK = {D(2013, 3, 28) + datetime.timedelta(days=n) for n in range(6)}
SUMMER = (D(2013, 6, 29), D(2013, 8, 31))  # school holidays: "Wakacje z Internetem"
LABS_OPEN = D(2013, 1, 15)  # the day after the supervisors' contract (14.01.2013)

# unit: (room, school-year hours [(weekdays, from, to)], summer hours), from
# demo_data/lab_hours.json; the day-care home (ŚDS) is open all year, mornings: no summer hours.
WEEKDAYS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4}


def _hours(rows):
    if rows is None:
        return None
    return [
        (
            tuple(WEEKDAYS[day] for day in row["weekdays"]),
            T.fromisoformat(row["from"]),
            T.fromisoformat(row["to"]),
        )
        for row in rows
    ]


LAB_HOURS = {
    unit: (hours["room"], _hours(hours["school_year"]), _hours(hours["summer"]))
    for unit, hours in _data("lab_hours.json").items()
}
SUMMER_NOTE = "Wakacje z Internetem: pracownia otwarta w czasie wakacji."


def _month_slots(short: str, month: D) -> tuple[str, list[schedules.Slot], str]:
    room, school_year, summer = LAB_HOURS[short]
    school = short != "ŚDS"
    closed = HOLIDAYS | (SPRING_BREAK if school else set())
    end = schedules.last_day(month)
    slots = []
    note = ""
    for weekdays, start, finish in school_year:
        for slot in schedules.weekly_slots(
            month, weekdays, start, finish, skip=closed, from_day=LABS_OPEN
        ):
            if not (school and SUMMER[0] <= slot.day <= SUMMER[1]):
                slots.append(slot)
    if school and month <= SUMMER[1] and end >= SUMMER[0]:
        note = SUMMER_NOTE
        for weekdays, start, finish in summer:
            slots += [
                s
                for s in schedules.weekly_slots(month, weekdays, start, finish, skip=closed)
                if SUMMER[0] <= s.day <= SUMMER[1]
            ]
    return room, slots, note


# (unit, month, hours open less than published, visits, problems, handed in on):
# demo_data/lab_reports.json
REPORTS = [
    (
        row["unit"],
        D.fromisoformat(row["month"]),
        Decimal(row["hours_lost"]),
        row["visitors"],
        row["problems"],
        D.fromisoformat(row["submitted_on"]),
    )
    for row in _data("lab_reports.json")
]


def _labs(actor) -> tuple[int, int]:
    contract = Contract.objects.filter(number=LAB_SUPERVISION_CONTRACT).first()
    units = {u.short_name: u for u in PublicUnit.objects.filter(short_name__in=LAB_HOURS)}
    added = 0
    for short, unit in units.items():
        for number in range(1, 11):
            month = D(2013, number, 1)
            if month > clock.today() or LabSchedule.objects.filter(unit=unit, month=month).exists():
                continue
            room, slots, note = _month_slots(short, month)
            do_save_schedule(
                unit, month, slots, actor=actor, room=room, notes=note, contract=contract
            )
            added += 1
    reports = 0
    for short, month, lost, visits, problems, handed_in in REPORTS:
        unit = units.get(short)
        if unit is None or handed_in > clock.today():
            continue
        if LabReport.objects.filter(unit=unit, month=month).exists():
            continue
        _room, slots, _note = _month_slots(short, month)
        hours = Decimal(str(schedules.total_hours(slots))) - Decimal(str(lost))
        do_save_report(
            LabReport(unit=unit, month=month),
            {
                "hours_open": hours,
                "visitors": visits,
                "problems": problems,
                "submitted_on": handed_in,
                "contract": contract,
            },
            actor=actor,
        )
        reports += 1
    return added, reports


# --- home visits ---------------------------------------------------------------------------------

VISIT_KEYS = uuid.UUID("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f")  # namespace of the demo's keys
FIRST_VISIT_MONTHS = 4
# Working days of March 2013 (29.03 was Good Friday) and the hours of a day's visits.
MARCH_DAYS = [D(2013, 3, day) for day in range(1, 29) if D(2013, 3, day).weekday() < 5]
HOURS = (T(9), T(10, 30), T(12), T(13, 30), T(16))
# Positions in registration order of the households taking part in March 2013.
LEFT_FOR_APRIL = (10, 25, 38, 50, 61, 70)
MOVED = 10  # the officer moved this one: the beneficiary in hospital
DAMAGED_MONITOR = 7
OUTAGE = 15
LENT_TO_NEIGHBOUR = 30
NOT_AT_HOME = 22
USES = [
    ("dzieci – nauka i zadania domowe; matka – oferty pracy", ["school", "work"]),
    ("cała rodzina – kontakt z krewnymi za granicą, dzieci – szkoła", ["communication", "school"]),
    ("beneficjent – e-PUAP, rejestracja do lekarza, bankowość", ["public_services"]),
    ("córka – nauka; ojciec – szukanie pracy w Internecie", ["school", "work"]),
    ("beneficjentka – poczta, komunikator, sprawy w ZUS", ["communication", "public_services"]),
]
PRESENT = (
    "beneficjent(ka) i dzieci",
    "beneficjent(ka)",
    "beneficjent(ka) i małżonek",
    "beneficjent(ka) i córka",
)


def _key(participant, attempt=1) -> uuid.UUID:
    return uuid.uuid5(VISIT_KEYS, f"{participant.application.number}/{attempt}")


def _picture(text: str, colour: str) -> photos.CleanImage:
    """A made-up photo (the demo has no real ones), through the same cleaning as the phone's."""
    picture = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((150, 120, 1050, 700), outline="black", width=12)
    for x in range(300, 1000, 90):
        draw.line((x, 130, x, 690), fill="white", width=6)
    draw.text((160, 760), text, fill="black", font_size=48)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return photos.clean_photo(SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg"))


def _signature() -> bytes:
    picture = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    points = [(40 + 8 * i, 120 + ((i * 37) % 50) - 25) for i in range(60)]
    draw.line(points, fill="black", width=4, joint="curve")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _at(day, hour) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, hour))


def _visits(officer, coordinator) -> int:
    call = Call.objects.filter(code="2012").first()
    if call is None or not LoanAgreement.objects.filter(handed_over_on__isnull=False).exists():
        return 0
    if not VisitRule.objects.filter(call=call).exists():
        do_save_visit_rule(
            call,
            first_within_months=FIRST_VISIT_MONTHS,
            every_months=12,
            officer=officer,
            actor=coordinator,
        )
    do_sync_plans(actor=coordinator)
    # The households taking part in March 2013 (loading again after the exclusion of 2014 finds
    # the same ones at the same places: their visits are there, nothing is added).
    households = _march_households(call)
    slots = [(day, hour) for day in MARCH_DAYS for hour in HOURS[:4]]
    added = 0
    for index, participant in enumerate(households):
        if index in LEFT_FOR_APRIL:
            continue
        day, hour = slots[min(index, len(slots) - 1)]
        if max(day, D(2013, 3, 12) if index == NOT_AT_HOME else day) >= clock.today():
            continue  # a demo day on or before the visit's: not made yet (the time of day)
        if index == NOT_AT_HOME:
            added += _record(
                participant,
                officer,
                _at(D(2013, 3, 5), T(17)),
                attempt=1,
                outcome=MonitoringVisit.Outcome.NOBODY_HOME,
                findings="Nikogo nie zastano; zostawiono awizo z numerem telefonu Biura Projektu.",
            )
            day, hour = D(2013, 3, 12), HOURS[4]
        added += _record(
            participant,
            officer,
            _at(day, hour),
            index=index,
            attempt=2 if index == NOT_AT_HOME else 1,
            coordinator=coordinator,
        )
    if len(households) > MOVED:
        moving = (
            PlannedVisit.objects.filter(
                participant=households[MOVED], status=PlannedVisit.Status.PLANNED
            )
            .order_by("due_on")
            .first()
        )
        if (
            moving is not None
            and moving.due_on == moving.rule_due_on
            and D(2013, 3, 25) <= clock.today()
        ):
            do_move_planned_visit(
                moving,
                due_on=D(2013, 4, 22),
                officer=officer,
                note="Beneficjentka w szpitalu do połowy kwietnia (telefon od córki 25.03.2013).",
                actor=officer,
            )
    return added


def _record(participant, officer, when, *, index=0, attempt=1, coordinator=None, **fields):
    key = _key(participant, attempt)
    if MonitoringVisit.objects.filter(key=key).exists():
        return 0
    if fields.get("outcome") == MonitoringVisit.Outcome.NOBODY_HOME:
        do_record_visit(participant, key=key, actor=officer, visited_at=when, **fields)
        return 1
    asset = lent_assets(participant).get(kind="computer_set")
    # The other lent devices (the provider's router) are found in place.
    others = [
        CheckInput(other.serial_number, AssetCheck.State.PRESENT)
        for other in lent_assets(participant).exclude(pk=asset.pk)
    ]
    connection = active_connection(participant)
    used_by, purposes = USES[index % len(USES)]
    visit = {
        "outcome": MonitoringVisit.Outcome.MADE,
        "present": PRESENT[index % len(PRESENT)],
        "checks": [CheckInput(asset.serial_number, AssetCheck.State.PRESENT), *others],
        "connection_working": True if connection else None,
        "measured_speed": Decimal("1.8") + Decimal(index % 5) / 10 if connection else None,
        "used_by": used_by,
        "purposes": purposes,
        "not_sold": True,
        "not_lent": True,
        "lawful_use": True,
        "findings": "Sprzęt kompletny, w dobrym stanie, używany zgodnie z umową.",
    }
    follow_ups = []
    closing = []  # (what it closes, status, outcome, closed on)
    if index == DAMAGED_MONITOR:
        visit["checks"] = [
            CheckInput(
                asset.serial_number,
                AssetCheck.State.DAMAGED,
                AssetCheck.Action.SERVICE,
                'Monitor LCD 21,5": pionowe pasy na ekranie, obraz nieczytelny. Według domowników '
                "usterka pojawiła się sama, bez uderzenia.",
            ),
            *others,
        ]
        visit["findings"] = (
            "Uszkodzony monitor zestawu; jednostka centralna i Internet działają. Zgłoszono do "
            "serwisu gwarancyjnego MAXTO."
        )
        visit["photos"] = [
            _picture(f"Monitor, s/n {asset.serial_number}", "#9fb4c7"),
            _picture("Tabliczka znamionowa monitora", "#c7b89f"),
        ]
        visit["signature"] = _signature()
        visit["signed_by"] = f"{participant.signatory.first_name} {participant.signatory.last_name}"
        follow_ups.append(
            FollowUpInput(
                "Przekazać monitor do serwisu gwarancyjnego MAXTO i potwierdzić naprawę",
                officer,
                D(2013, 3, 29),
            )
        )
        closing.append(
            (
                "service",
                FollowUp.Status.DONE,
                "Serwis MAXTO wymienił monitor w ramach gwarancji 21.03.2013; sprawdzono "
                "telefonicznie u beneficjentki.",
                D(2013, 3, 22),
            )
        )
    elif index == OUTAGE:
        visit["connection_working"] = False
        visit["measured_speed"] = None
        visit["findings"] = (
            "Brak dostępu do Internetu od 3 dni: router nie łączy się z siecią (dioda WAN nie "
            "świeci). Komputer sprawny."
        )
        follow_ups.append(
            FollowUpInput(
                "Zgłosić awarię łącza SCORPION-COMPUTER i potwierdzić jej usunięcie",
                officer,
                D(2013, 3, 22),
            )
        )
        closing.append(
            (
                "outage",
                FollowUp.Status.DONE,
                "Dostawca wymienił router 15.03.2013; łącze działa (sprawdzono telefonicznie).",
                D(2013, 3, 15),
            )
        )
    elif index == LENT_TO_NEIGHBOUR:
        visit["checks"] = [
            CheckInput(
                asset.serial_number,
                AssetCheck.State.MISSING,
                AssetCheck.Action.NONE,
                "Zestawu nie ma w mieszkaniu: według beneficjenta od lutego jest u sąsiada, "
                "któremu go pożyczył.",
            ),
            *others,
        ]
        visit["not_lent"] = False
        visit["connection_working"] = True
        visit["compliance_note"] = (
            "Beneficjent przyznał, że w lutym 2013 r. pożyczył zestaw komputerowy sąsiadowi "
            "(osobie spoza gospodarstwa domowego) – naruszenie § 6 ust. 4 umowy użyczenia."
        )
        visit["findings"] = (
            "Komputer użyczony osobie trzeciej. Pouczono beneficjenta o obowiązkach z umowy; "
            "zestaw ma wrócić do mieszkania w ciągu tygodnia."
        )
        visit["next_visit_on"] = D(2013, 4, 5)
        visit["signature"] = _signature()
        visit["signed_by"] = f"{participant.signatory.first_name} {participant.signatory.last_name}"
        follow_ups += [
            FollowUpInput(
                "Sprawdzić, czy zestaw wrócił do gospodarstwa (wizyta kontrolna)",
                officer,
                D(2013, 4, 5),
            ),
            FollowUpInput(
                "Decyzja w sprawie wniosku o wykluczenie z projektu (§ 7 ust. 4)",
                coordinator,
                D(2013, 4, 15),
            ),
        ]
    elif index % 9 == 4:
        follow_ups.append(
            FollowUpInput(
                "Przekazać instrukcję konfiguracji kontroli rodzicielskiej", officer, D(2013, 4, 12)
            )
        )
        closing.append(
            (
                "any",
                FollowUp.Status.DONE,
                "Instrukcję przekazano przy okazji szkolenia.",
                D(2013, 4, 10),
            )
        )
    recorded, _created = do_record_visit(
        participant,
        key=key,
        actor=officer,
        visited_at=when,
        follow_ups=follow_ups,
        **visit,
    )
    for kind, status, outcome, closed_on in closing:
        do_close_follow_up(
            recorded.follow_ups.order_by("pk").first(),
            status=status,
            outcome=outcome,
            closed_on=closed_on,
            actor=officer,
        )
        if kind == "service":
            check = recorded.checks.select_related("service_record").first()
            lending_services.do_complete_service(
                check.service_record, D(2013, 3, 21), actor=officer
            )
        elif kind == "outage":
            lending_services.do_close_outage(
                recorded.outage, D(2013, 3, 15), "Wymiana routera przez dostawcę.", actor=officer
            )
    return 1


# --- the durability period (April 2013 - December 2018) -----------------------------------------

# Every visit the plan still has is made on a working day a few days before it is due (the six
# households left for April 2013 a few days late, the moved one on its new day), mostly without
# photos. The story around them:
# - 05.04.2013: the control visit finds the neighbour's set back; the coordinator rejects the
#   proposal to exclude the household on 15.04.2013 (a written warning);
# - 2014: the same household has lent the set out again: the visit proposes the exclusion, the
#   coordinator accepts it two weeks later and the first on the reserve list takes the place
#   (lending_demo.replace_excluded); the promoted household's visits follow its own handover;
# - 2015: a damaged set sent to the warranty service and repaired; 2016: a connection down,
#   reported to the provider and fixed two days later; 2017: two follow-ups on parental control;
# - 2018: one household not at home at two tries: its last visit stays overdue, a follow-up
#   (agree on a date with it) open;
# - 02.01.2019, the first working day after the durability end: the closure
#   (lending_demo.close_durability).
# Nothing dated after the office's today is recorded (a demo day, EINCLUSION_DEMO_TODAY).
CONTROL_VISIT = D(2013, 4, 5)
REJECTED_ON = D(2013, 4, 15)
APRIL_ROUND = D(2013, 4, 2)  # the first working day after Easter Monday 2013
DAMAGED_2015 = 11
DOWN_2016 = 19
PARENTAL_CONTROL_2017 = (3, 40)
NOT_REACHED_2018 = 60
WEEK = datetime.timedelta(days=7)


def _working_day_back(day: D) -> D:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _working_day_on(day: D) -> D:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _visit_day(plan, index: int) -> D:
    if plan.origin == PlannedVisit.Origin.OFFICER or plan.due_on != plan.rule_due_on:
        return plan.due_on
    day = _working_day_back(plan.due_on - datetime.timedelta(days=3 + index % 20))
    return _working_day_on(day) if day >= APRIL_ROUND else _working_day_on(APRIL_ROUND)


def _march_households(call):
    """The households of the March 2013 round, in the order of _visits (stable afterwards)."""
    return list(
        Participant.objects.filter(
            application__call=call, agreements__handed_over_on__lt=D(2013, 1, 1)
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=D(2013, 4, 1)))
        .select_related("application", "signatory")
        .order_by("application__sequence")
        .distinct()
    )


def _durability(officer, coordinator) -> int:
    call = Call.objects.filter(code="2012").first()
    if call is None or not VisitRule.objects.filter(call=call).exists():
        return 0
    households = _march_households(call)
    index_of = {p.pk: i for i, p in enumerate(households)}
    neighbour = households[LENT_TO_NEIGHBOUR] if len(households) > LENT_TO_NEIGHBOUR else None
    today = clock.today()
    end = Project.current().durability_end
    skipped: set[int] = set()
    added = 0
    while True:
        plan = (
            PlannedVisit.objects.filter(
                status=PlannedVisit.Status.PLANNED, participant__status=Participant.Status.ACTIVE
            )
            .exclude(pk__in=skipped)
            .select_related("participant__application", "participant__signatory")
            .order_by("due_on", "pk")
            .first()
        )
        if plan is None:
            break
        participant = plan.participant
        index = index_of.get(participant.pk, len(households))
        day = _visit_day(plan, index)
        if day >= today or day > end:  # on the demo day itself: not made yet (the time of day)
            skipped.add(plan.pk)
            continue
        story = (day.year, index)
        if story == (2018, NOT_REACHED_2018):
            for attempt, tried_on, hour in (("a", day, T(10)), ("b", day + WEEK, T(17))):
                if tried_on < today:
                    # After the second try: an open follow-up on the demo day.
                    follow_ups = [
                        FollowUpInput(
                            "Ustalić telefonicznie lub listownie termin wizyty z gospodarstwem",
                            officer,
                            tried_on + 2 * WEEK,
                        )
                    ]
                    added += _record(
                        participant,
                        officer,
                        _at(tried_on, hour),
                        attempt=f"{plan.due_on.isoformat()}{attempt}",
                        outcome=MonitoringVisit.Outcome.NOBODY_HOME,
                        findings="Nikogo nie zastano; zostawiono awizo. Telefon nie odpowiada.",
                        follow_ups=follow_ups if attempt == "b" else [],
                    )
            skipped.add(plan.pk)
            continue
        added += _yearly(participant, plan, officer, coordinator, day, index, neighbour, story)
    lending_demo.extend_to_durability_end(coordinator)  # after the exclusion of 2014
    lending_demo.close_durability(coordinator)
    return added


def _yearly(participant, plan, officer, coordinator, day, index, neighbour, story) -> int:
    key = _key(participant, plan.due_on.isoformat())
    if MonitoringVisit.objects.filter(key=key).exists():
        return 0
    lent = list(lent_assets(participant))
    connection = active_connection(participant)
    used_by, purposes = USES[index % len(USES)]
    checks = [CheckInput(asset.serial_number, AssetCheck.State.PRESENT) for asset in lent]
    visit = {
        "outcome": MonitoringVisit.Outcome.MADE,
        "present": PRESENT[index % len(PRESENT)],
        "checks": checks,
        "connection_working": True if connection else None,
        "measured_speed": Decimal("1.9") + Decimal(index % 5) / 10 if connection else None,
        "used_by": used_by,
        "purposes": purposes,
        "not_sold": True,
        "not_lent": True,
        "lawful_use": True,
        "findings": "Sprzęt kompletny, w dobrym stanie, używany zgodnie z umową.",
    }
    follow_ups = []
    computer = next((a for a in lent if a.kind == "computer_set"), None)
    others = [c for c in checks if computer is None or c.serial != computer.serial_number]
    is_neighbour = neighbour is not None and participant.pk == neighbour.pk
    if is_neighbour and plan.origin == PlannedVisit.Origin.OFFICER:
        visit["findings"] = (
            "Wizyta kontrolna: zestaw wrócił do mieszkania, kompletny i sprawny. Beneficjent "
            "ponownie pouczony o zakazie użyczania sprzętu."
        )
    elif is_neighbour and story[0] == 2014 and computer is not None:
        visit["checks"] = [
            CheckInput(
                computer.serial_number,
                AssetCheck.State.MISSING,
                AssetCheck.Action.NONE,
                "Zestawu ponownie nie ma w mieszkaniu: według beneficjenta jest u tego samego "
                "sąsiada od stycznia.",
            ),
            *others,
        ]
        visit["not_lent"] = False
        visit["compliance_note"] = (
            "Beneficjent ponownie użyczył zestaw komputerowy sąsiadowi mimo pouczenia z "
            "kwietnia 2013 r. – naruszenie § 6 ust. 4 umowy użyczenia."
        )
        visit["findings"] = "Komputer ponownie użyczony osobie trzeciej."
    elif story == (2015, DAMAGED_2015) and computer is not None:
        visit["checks"] = [
            CheckInput(
                computer.serial_number,
                AssetCheck.State.DAMAGED,
                AssetCheck.Action.SERVICE,
                "Komputer nie uruchamia się (zasilacz); bez śladów uszkodzenia mechanicznego.",
            ),
            *others,
        ]
        visit["findings"] = "Uszkodzony zasilacz jednostki centralnej; zgłoszono do serwisu."
        follow_ups.append(
            FollowUpInput(
                "Potwierdzić naprawę zestawu w serwisie gwarancyjnym",
                officer,
                day + datetime.timedelta(days=14),
            )
        )
    elif story == (2016, DOWN_2016) and connection is not None:
        visit["connection_working"] = False
        visit["measured_speed"] = None
        visit["findings"] = "Brak dostępu do Internetu od wczoraj; komputer sprawny."
    elif story[0] == 2017 and story[1] in PARENTAL_CONTROL_2017:
        follow_ups.append(
            FollowUpInput(
                "Przekazać instrukcję konfiguracji kontroli rodzicielskiej",
                officer,
                day + datetime.timedelta(days=14),
            )
        )
    recorded, _created = do_record_visit(
        participant,
        key=key,
        actor=officer,
        visited_at=_at(day, HOURS[index % 4]),
        planned=plan,
        follow_ups=follow_ups,
        **visit,
    )
    later = day + datetime.timedelta(days=7)
    today = clock.today()
    if is_neighbour and plan.origin == PlannedVisit.Origin.OFFICER:
        opened = FollowUp.objects.filter(participant=participant, status=FollowUp.Status.OPEN)
        for follow_up in opened.order_by("pk")[:1]:
            do_close_follow_up(
                follow_up,
                status=FollowUp.Status.DONE,
                outcome="Zestaw wrócił do mieszkania (wizyta kontrolna 05.04.2013).",
                closed_on=day,
                actor=officer,
            )
        proposal = ExclusionProposal.objects.filter(
            participant=participant, status=ExclusionProposal.Status.PENDING
        ).first()
        if proposal is not None and today >= REJECTED_ON:
            lending_demo.reject_exclusion(
                proposal,
                REJECTED_ON,
                "Zestaw wrócił do gospodarstwa; beneficjent pouczony na piśmie (pismo z "
                "15.04.2013).",
                coordinator,
            )
            for follow_up in opened.order_by("pk"):
                do_close_follow_up(
                    follow_up,
                    status=FollowUp.Status.DONE,
                    outcome="Koordynator odrzucił wniosek o wykluczenie; pouczenie na piśmie.",
                    closed_on=REJECTED_ON,
                    actor=coordinator,
                )
    elif recorded.exclusion_proposal_id:
        lending_demo.replace_excluded(
            recorded.exclusion_proposal,
            day + datetime.timedelta(days=lending_demo.EXCLUSION_DECIDED_AFTER),
            coordinator,
        )
        do_sync_plans(actor=coordinator)  # the promoted household's plan, from its handover
    elif follow_ups and later <= today:
        check = (
            recorded.checks.select_related("service_record")
            .filter(service_record__isnull=False)
            .first()
        )
        if check is not None:
            lending_services.do_complete_service(check.service_record, later, actor=officer)
        do_close_follow_up(
            recorded.follow_ups.order_by("pk").first(),
            status=FollowUp.Status.DONE,
            outcome="Zrobione; potwierdzono telefonicznie u beneficjenta.",
            closed_on=later,
            actor=officer,
        )
    elif recorded.outage_id and day + datetime.timedelta(days=2) <= today:
        lending_services.do_close_outage(
            recorded.outage,
            day + datetime.timedelta(days=2),
            "Wymiana routera przez dostawcę.",
            actor=officer,
        )
    return 1


# --- indicator snapshots -----------------------------------------------------------------------

SNAPSHOTS = [
    (
        D(2012, 12, 31),
        IndicatorSnapshot.Purpose.PAYMENT_CLAIM,
        "Wniosek o płatność nr 2 za okres 01.10.2012–31.12.2012",
    ),
    (
        D(2013, 12, 31),
        IndicatorSnapshot.Purpose.PAYMENT_CLAIM,
        "Wniosek o płatność końcową za okres 01.10.2013–31.12.2013",
    ),
]


def _snapshots(coordinator) -> int:
    project = Project.current()
    if project is None:
        return 0
    added = 0
    for as_of, purpose, reference in SNAPSHOTS:
        if as_of >= clock.today():
            continue
        if IndicatorSnapshot.objects.filter(as_of=as_of, purpose=purpose).exists():
            continue
        do_freeze_indicators(
            project, as_of=as_of, purpose=purpose, reference=reference, actor=coordinator
        )
        added += 1
    return added


# --- the chronicle ---------------------------------------------------------------------------

# Each: (number on the project page, date, fields, milestones it tells of), from
# demo_data/chronicle.json (the page's wording, UTF-8). Milestones:
# ("call", code), ("lists", code), ("announced", BZP number or case reference),
# ("annulled", BZP number), ("signed", contract number), ("module", training module number),
# ("visits", the month of a round of monitoring visits "YYYY-MM").


def _chronicle_row(row: dict) -> tuple:
    fields = {k: v for k, v in row.items() if k not in ("number", "date", "milestones")}
    if "end_date" in fields:
        fields["end_date"] = D.fromisoformat(fields["end_date"])
    milestones = [tuple(milestone) for milestone in row["milestones"]]
    return row["number"], D.fromisoformat(row["date"]), fields, milestones


CHRONICLE = [_chronicle_row(row) for row in _data("chronicle.json")]


def _milestone_key(kind: str, ref: str, found: set[str]) -> str | None:
    """The chronicle key of a milestone the apps record, or None when it is not there
    (`found`: the keys of the apps' milestones)."""
    if kind == "call":
        call = Call.objects.filter(code=ref).first()
        return f"recruitment.call:{call.pk}" if call else None
    if kind == "lists":
        version = (
            RankingVersion.objects.filter(call__code=ref, kind=RankingVersion.Kind.APPROVAL)
            .order_by("number")
            .first()
        )
        return f"recruitment.lists:{version.pk}" if version else None
    if kind == "module":
        module = TrainingModule.objects.filter(number=ref).order_by("pk").first()
        key = f"training.module:{module.pk}" if module else None
        return key if key in found else None
    if kind == "visits":
        key = f"monitoring.visits:{ref}"
        return key if key in found else None
    events = ProcedureEvent.objects.order_by("pk")
    if kind == "signed":
        event = events.filter(
            kind=ProcedureEvent.Kind.CONTRACT_SIGNED, procedure__contracts__number=ref
        ).first()
    else:
        event_kind = (
            ProcedureEvent.Kind.ANNULLED if kind == "annulled" else ProcedureEvent.Kind.ANNOUNCED
        )
        by = "procedure__announcement_number" if ref[0].isdigit() else "procedure__reference"
        event = events.filter(kind=event_kind, **{by: ref}).first()
    return f"procurement.event:{event.pk}" if event else None


def _chronicle(actor) -> int:
    # The apps' milestones, computed once: adding an entry changes none of them.
    milestones = chronicle.milestones()
    found = {item.key for item in milestones}
    added = 0
    for number, day, fields, covered in CHRONICLE:
        if day > clock.today():
            continue
        if ChronicleEntry.objects.filter(date=day, title=fields["title"]).exists():
            continue
        note = f"Strona projektu, „Informacje z realizacji projektu”, wpis nr {number}."
        if fields.get("editorial_note"):
            note += " " + fields["editorial_note"]
        covers = [key for key in (_milestone_key(*m, found) for m in covered) if key]
        do_save_chronicle_entry(
            None,
            {**fields, "date": day, "covers": covers, "editorial_note": note},
            actor=actor,
            milestones=milestones,
        )
        added += 1
    return added


def load(stdout=None):
    users = get_user_model().objects
    coordinator = users.filter(username="koordynator").first()
    monitoring_officer = users.filter(username="monitoring").first() or coordinator
    schedules_added, reports_added = _labs(monitoring_officer)
    visits_added = _visits(monitoring_officer, coordinator) if monitoring_officer else 0
    if monitoring_officer:
        visits_added += _durability(monitoring_officer, coordinator)
    entries_added = _chronicle(coordinator)
    snapshots_added = _snapshots(coordinator)
    if stdout:
        stdout.write(
            f"monitoring: {schedules_added} lab schedules, {reports_added} supervisors' reports, "
            f"{visits_added} home visits, {entries_added} chronicle entries, "
            f"{snapshots_added} indicator snapshots added"
        )
