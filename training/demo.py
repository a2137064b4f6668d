"""Demo data of training (synthetic people; trainers and rooms made up).

Module 1, basic use of a computer and the Internet: 8 groups × 12 academic hours between
19.11 and 07.12.2012 (six sessions of two hours per group, two a week), about 150 trainees from
the 75 demo households (the applicant and a second person of each household, and one adult who
moved in), realistic absences, a few excused, one trainee short of completion; every signed
sheet scanned, one correction after the scan. Module 2, e-learning (October-December 2013):
the opening meeting of 16.10.2013 with its attendance, logins handed over, and the provider's
progress export imported.

Everything goes through the services, so the demo also exercises their checks. Idempotent:
a module already present is left alone.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Q

from lebork_einclusion import clock
from lebork_einclusion.models import Project
from lebork_einclusion.pdf import html_to_pdf
from lebork_einclusion.pesel import age_on, make_pesel
from lending.models import Participant
from procurement.demo import TRAINING_CONTRACT
from procurement.models import Contract
from recruitment import domain

from .models import (
    Attendance,
    ELearningEnrolment,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)
from .services import attendance as attendance_services
from .services import e_learning as e_learning_services
from .services import modules as module_services
from .services import sessions as session_services
from .services import trainees as trainee_services

FIRST_DAY = datetime.date(2012, 11, 19)
WEEKS = 3
TRAINERS = ("Marta Szkoleniowa", "Tomasz Informatyczny")
ROOMS = (
    "Pracownia komputerowa, Szkoła Podstawowa nr 5",
    "Pracownia komputerowa, Gimnazjum nr 2",
)
# Slots in a room: (days of the week, start, end); 90 minutes = 2 academic hours.
SLOTS = (
    ((0, 2), datetime.time(15, 0), datetime.time(16, 30)),
    ((0, 2), datetime.time(16, 45), datetime.time(18, 15)),
    ((1, 3), datetime.time(15, 0), datetime.time(16, 30)),
    ((1, 3), datetime.time(16, 45), datetime.time(18, 15)),
)
TOPICS = (
    "Komputer i system operacyjny: mysz, klawiatura, pliki i foldery",
    "Edytor tekstu: pisanie, poprawianie i drukowanie dokumentów",
    "Internet: przeglądarka, wyszukiwanie informacji, wiarygodność źródeł",
    "Poczta elektroniczna i komunikatory",
    "Sprawy urzędowe, bankowość i zakupy w Internecie",
    "Bezpieczeństwo w sieci i ochrona dzieci; podsumowanie szkolenia",
)
EXCUSES = (
    "choroba",
    "opieka nad chorym dzieckiem",
    "zwolnienie lekarskie",
    "praca zmianowa (zaświadczenie pracodawcy)",
    "wyjazd rodzinny (pogrzeb)",
)
CERTIFICATE_1 = (
    "ukończył(a) szkolenie z zakresu podstawowej obsługi komputera i Internetu, realizowane "
    "w ramach projektu „Przeciwdziałanie wykluczeniu cyfrowemu na terenie Gminy Miasto Lębork” "
    "współfinansowanego przez Unię Europejską ze środków Europejskiego Funduszu Rozwoju "
    "Regionalnego w ramach Programu Operacyjnego Innowacyjna Gospodarka 2007-2013."
)
CERTIFICATE_2 = (
    "ukończył(a) szkolenie e-learningowe rozwijające umiejętności korzystania ze sprzętu "
    "komputerowego, realizowane w ramach projektu „Przeciwdziałanie wykluczeniu cyfrowemu na "
    "terenie Gminy Miasto Lębork” współfinansowanego przez Unię Europejską ze środków "
    "Europejskiego Funduszu Rozwoju Regionalnego w ramach Programu Operacyjnego Innowacyjna "
    "Gospodarka 2007-2013."
)
OPENING = datetime.date(2013, 10, 16)


def _scan() -> bytes:
    return html_to_pdf(
        "<p>Skan podpisanej listy obecności (dane demonstracyjne).</p>"
        "<p>Scan of the signed sign-in sheet (demonstration data).</p>"
    )


def _households(start: datetime.date, end: datetime.date):
    """Households taking part while a module ran, in the order of the main list, with their
    members: one that resigned later trained in module 1; one promoted from the reserve list
    afterwards did not, but joins module 2."""
    return list(
        Participant.objects.filter(joined_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("application")
        .prefetch_related("application__members")
        .order_by("application__sequence")
    )


def _second_person(members, on):
    """The applicant's spouse, or else the oldest child of ten or more."""
    spouse = next((m for m in members if m.role == domain.SPOUSE), None)
    if spouse:
        return spouse
    children = [m for m in members if m.role == domain.CHILD and age_on(m.pesel, on) >= 10]
    return max(children, key=lambda m: age_on(m.pesel, on), default=None)


def _people(members):
    people = [m for m in members if m.role == domain.APPLICANT][:1]
    second = _second_person(members, FIRST_DAY)
    if second:
        people.append(second)
    if len(members) >= 5:
        older = [
            m
            for m in members
            if m.role == domain.CHILD and m not in people and age_on(m.pesel, FIRST_DAY) >= 12
        ]
        if older:
            people.append(max(older, key=lambda m: age_on(m.pesel, FIRST_DAY)))
    return people


def _male_form(surname: str) -> str:
    for female, male in (("cka", "cki"), ("dzka", "dzki"), ("ska", "ski")):
        if surname.endswith(female):
            return surname[: -len(female)] + male
    return surname


def _module_1(coordinator, assistant, scan: bytes, stdout) -> None:
    contract = Contract.objects.filter(number=TRAINING_CONTRACT).first()
    module = module_services.do_save_module(
        None,
        {
            "number": 1,
            "name": "Podstawy obsługi komputera i Internetu",
            "form": TrainingModule.Form.CLASSROOM,
            "hour_unit": TrainingModule.HourUnit.ACADEMIC,
            "planned_groups": 8,
            "planned_hours_per_group": Decimal("12"),
            "starts_on": FIRST_DAY,
            "ends_on": datetime.date(2012, 12, 7),
            "contract": contract,
            "completion_percent": 80,
            "obligatory": True,
            "certificate_text": CERTIFICATE_1,
        },
        actor=coordinator,
    )
    groups = []
    for index in range(8):
        room = index // 4
        group = module_services.do_save_group(
            TrainingGroup(module=module),
            {
                "name": f"Grupa {index + 1}",
                "trainer": TRAINERS[room],
                "room": ROOMS[room],
                "capacity": 20,
            },
            actor=coordinator,
        )
        days, start, end = SLOTS[index % 4]
        number = 0
        for week in range(WEEKS):
            for weekday in days:
                day = FIRST_DAY + datetime.timedelta(days=7 * week + weekday)
                session_services.do_save_session(
                    TrainingSession(group=group),
                    {
                        "date": day,
                        "starts_at": start,
                        "ends_at": end,
                        "hours": Decimal("2"),
                        "topic": TOPICS[number],
                        "trainer": group.trainer,
                        "room": group.room,
                    },
                    actor=coordinator,
                )
                number += 1
        groups.append(group)

    # The applicant and a second person of every household (a third in large families with an
    # older child); each household in the emptiest group, so the groups stay even.
    enrolled_on = datetime.date(2012, 11, 14)
    households = _households(FIRST_DAY, datetime.date(2012, 12, 7))
    sizes = dict.fromkeys(range(8), 0)
    placed = {}
    for participant in households:
        people = _people(list(participant.application.members.all()))
        index = min(sizes, key=lambda i: (sizes[i], i))
        trainee_services.do_add_members(
            groups[index], people, actor=coordinator, enrolled_on=enrolled_on
        )
        sizes[index] += len(people)
        placed[participant.pk] = index
    # An adult son who moved back in: not yet a member in the application.
    household = households[12]
    applicant = next(m for m in household.application.members.all() if m.role == domain.APPLICANT)
    trainee_services.do_add_newcomer(
        groups[placed[household.pk]],
        household,
        first_name="Kamil",
        last_name=_male_form(applicant.last_name),
        pesel=make_pesel(datetime.date(1991, 5, 3), 917, female=False),
        reason=(
            "Dorosły syn wrócił do wspólnego gospodarstwa w październiku 2012 r.; zmiana składu "
            "gospodarstwa zgłoszona 12.11.2012, w trakcie potwierdzania."
        ),
        actor=coordinator,
        enrolled_on=enrolled_on,
    )

    # Attendance: most people came to every session; some missed one (a few excused); one
    # trainee missed two without excuse and falls short of the 80% needed.
    rnd = random.Random(2012)
    trainees = list(Trainee.objects.filter(module=module).order_by("group_id", "pk"))
    short = trainees[40]
    absences = {}
    for trainee in trainees:
        if trainee.pk == short.pk:
            absences[trainee.pk] = {1: ("absent", ""), 4: ("absent", "")}
        elif rnd.random() < 0.2:
            number = rnd.randrange(6)
            if rnd.random() < 0.3:
                absences[trainee.pk] = {number: ("excused", rnd.choice(EXCUSES))}
            else:
                absences[trainee.pk] = {number: ("absent", "")}
    for group in groups:
        members = [t for t in trainees if t.group_id == group.pk]
        for number, session in enumerate(group.sessions.order_by("date", "starts_at")):
            marks = {
                t.pk: absences.get(t.pk, {}).get(number, (Attendance.Status.PRESENT, ""))
                for t in members
            }
            attendance_services.do_record_attendance(session, marks, actor=assistant)
            attendance_services.do_attach_sheet(
                session, ContentFile(scan, name="skan.pdf"), actor=assistant
            )
    # A sick note delivered after the last sheet was scanned.
    late = (
        Attendance.objects.filter(session__group__module=module, status=Attendance.Status.ABSENT)
        .exclude(trainee=short)
        .order_by("-session__date", "pk")
        .select_related("session")
        .first()
    )
    if late:
        attendance_services.do_correct_attendance(
            late.session,
            {late.trainee_id: (Attendance.Status.EXCUSED, "zwolnienie lekarskie")},
            reason="Zwolnienie lekarskie dostarczone do biura projektu 10.12.2012 r.",
            actor=coordinator,
        )
    if stdout:
        stdout.write(
            f"training: module 1, {len(groups)} groups, {len(trainees)} trainees, "
            f"{TrainingSession.objects.filter(group__module=module).count()} sessions"
        )


def _module_2(coordinator, assistant, scan: bytes, stdout) -> None:
    module = module_services.do_save_module(
        None,
        {
            "number": 2,
            "name": "Szkolenie e-learningowe: sprawne korzystanie z komputera i Internetu",
            "form": TrainingModule.Form.E_LEARNING,
            "hour_unit": TrainingModule.HourUnit.CLOCK,
            "planned_groups": 1,
            "planned_hours_per_group": Decimal("1.5"),
            "starts_on": datetime.date(2013, 10, 1),
            "ends_on": datetime.date(2013, 12, 31),
            "completion_percent": 80,
            "obligatory": False,
            "certificate_text": CERTIFICATE_2,
        },
        actor=coordinator,
    )
    group = module_services.do_save_group(
        TrainingGroup(module=module),
        {
            "name": "E-learning 2013",
            "trainer": "Katarzyna Platformowa",
            "room": "Sala Rajców, Urząd Miejski w Lęborku",
            "capacity": 80,
        },
        actor=coordinator,
    )
    opening = session_services.do_save_session(
        TrainingSession(group=group),
        {
            "date": OPENING,
            "starts_at": datetime.time(16, 0),
            "ends_at": datetime.time(17, 30),
            "hours": Decimal("1.5"),
            "topic": "Spotkanie otwierające: logowanie do platformy, zasady szkolenia e-learningowego",
            "trainer": group.trainer,
            "room": group.room,
        },
        actor=coordinator,
    )
    people = []
    for index, participant in enumerate(_households(OPENING, datetime.date(2013, 10, 10))):
        if index % 15 == 7:  # five households did not sign up
            continue
        members = list(participant.application.members.all())
        teenagers = [
            m for m in members if m.role == domain.CHILD and 13 <= age_on(m.pesel, OPENING) <= 19
        ]
        if teenagers and index % 2 == 0:
            people.append(teenagers[0])
        else:
            people.append(next(m for m in members if m.role == domain.APPLICANT))
    trainees = trainee_services.do_add_members(
        group, people, actor=coordinator, enrolled_on=datetime.date(2013, 10, 10)
    )
    rnd = random.Random(2013)
    marks, collected = {}, {}
    for trainee in trainees:
        roll = rnd.random()
        if roll < 0.08:
            marks[trainee.pk] = (Attendance.Status.EXCUSED, rnd.choice(EXCUSES))
            collected[trainee.pk] = datetime.date(2013, 10, 21)
        elif roll < 0.15:
            marks[trainee.pk] = (Attendance.Status.ABSENT, "")
            collected[trainee.pk] = datetime.date(2013, 10, 23) if roll < 0.13 else None
        else:
            marks[trainee.pk] = (Attendance.Status.PRESENT, "")
            collected[trainee.pk] = OPENING
    attendance_services.do_record_attendance(opening, marks, actor=assistant)
    attendance_services.do_attach_sheet(
        opening, ContentFile(scan, name="skan.pdf"), actor=assistant
    )
    enrolments = ELearningEnrolment.objects.filter(trainee__in=trainees).select_related(
        "trainee__member"
    )
    rows = []
    for number, enrolment in enumerate(enrolments.order_by("trainee_id"), start=2):
        day = collected[enrolment.trainee_id]
        if day is None:
            continue
        e_learning_services.do_hand_over_login(enrolment, handed_over_on=day, actor=assistant)
        roll = rnd.random()
        percent = rnd.randint(85, 100) if roll < 0.75 else rnd.randint(40, 79) if roll < 0.92 else 5
        activity = datetime.date(2013, 12, 20) - datetime.timedelta(days=rnd.randrange(50))
        rows.append(
            {
                "login": enrolment.login,
                "imię i nazwisko": enrolment.trainee.full_name,
                "postęp": str(percent),
                "ostatnia aktywność": activity.strftime("%d.%m.%Y"),
                "_row": number,
            }
        )
    result = e_learning_services.do_import_progress(
        module, rows, file_name="platforma-postep-2013-12-20.xlsx", actor=coordinator
    )
    if result.problems:  # the demo's own export must import cleanly
        raise RuntimeError(f"demo progress import failed: {result.problems[:3]}")
    if stdout:
        stdout.write(
            f"training: module 2 (e-learning), {len(trainees)} enrolled, "
            f"progress of {result.imported} imported"
        )


def load(stdout=None):
    project = Project.current()
    if project is None or not Participant.objects.active().exists():
        return
    users = get_user_model().objects
    coordinator = users.get(username="koordynator")
    assistant = users.get(username="asystent")
    existing = set(TrainingModule.objects.filter(project=project).values_list("number", flat=True))
    if {1, 2} <= existing:
        return
    scan = _scan()
    if 1 not in existing:
        _module_1(coordinator, assistant, scan, stdout)
    if 2 not in existing and clock.today() >= datetime.date(2013, 10, 10):
        # the e-learning (October-December 2013): not on a demo day before its enrolment
        _module_2(coordinator, assistant, scan, stdout)
