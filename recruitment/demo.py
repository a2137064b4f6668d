"""Demo data of the recruitment: call 2012 with 79 synthetic applications whose outcome matches
the real one (75 main, 3 reserve, 1 rejected on formal grounds), the committee's three meetings
and the approved lists of 21.09.2012. Made-up people with valid-checksum PESEL numbers.

Idempotent: nothing is added when call 2012 exists. The applications go through the same import
as `import_applications`, so the demo also exercises it.
"""

import datetime
import json
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from lebork_einclusion import roles
from lebork_einclusion.pesel import age_on, make_pesel

from . import domain
from .interchange import do_import
from .models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeMeeting,
    CommitteeMember,
    MeetingAttendance,
    Notification,
    RegulationOrder,
)
from .services.lists import do_approve_lists

CODE = "2012"
OPENS = datetime.date(2012, 8, 6)
DEADLINE = datetime.date(2012, 9, 5)
MEETINGS = [datetime.date(2012, 9, 14), datetime.date(2012, 9, 20), datetime.date(2012, 9, 21)]

# First names, surnames (stem, masculine and feminine ending) and Lębork's streets the
# synthetic households are drawn from (demo_data/names.json; the draw depends on their order).
NAMES = json.loads(
    (Path(__file__).resolve().parent / "demo_data" / "names.json").read_text("utf-8")
)
FEMALE = NAMES["female"]
MALE = NAMES["male"]
SURNAMES = [tuple(surname) for surname in NAMES["surnames"]]
STREETS = NAMES["streets"]
ALWAYS = list(domain.ALWAYS_REQUIRED)


class _People:
    def __init__(self, rnd):
        self.rnd = rnd
        self.serial = 0

    def person(self, born_from, born_to, female, surname, role, **flags):
        self.serial += 1
        days = (born_to - born_from).days
        born = born_from + datetime.timedelta(days=self.rnd.randrange(days))
        first = self.rnd.choice(FEMALE if female else MALE)
        return {
            "first_name": first,
            "last_name": surname,
            "pesel": make_pesel(born, self.serial, female),
            "role": role,
            "disability": flags.get("disability", domain.NO_DISABILITY),
            "school_scholarship": flags.get("school_scholarship", False),
            "foster_child": flags.get("foster_child", False),
            "family_home_child": flags.get("family_home_child", False),
        }


def _household(rnd, people, index):
    """One synthetic household with its criteria and documents (all eligible)."""
    female_applicant = rnd.random() < 0.7
    stem, male_end, female_end = rnd.choice(SURNAMES)
    family_female, family_male = stem + female_end, stem + male_end
    applicant = people.person(
        datetime.date(1962, 1, 1),
        datetime.date(1990, 12, 31),
        female_applicant,
        family_female if female_applicant else family_male,
        domain.APPLICANT,
    )
    members = [applicant]
    if rnd.random() < 0.55:
        members.append(
            people.person(
                datetime.date(1960, 1, 1),
                datetime.date(1990, 12, 31),
                not female_applicant,
                family_male if female_applicant else family_female,
                domain.SPOUSE,
            )
        )
    for _ in range(rnd.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])):
        girl = rnd.random() < 0.5
        members.append(
            people.person(
                datetime.date(1995, 1, 1),
                datetime.date(2011, 12, 31),
                girl,
                family_female if girl else family_male,
                domain.CHILD,
            )
        )
    if rnd.random() < 0.08:
        members.append(
            people.person(
                datetime.date(1935, 1, 1),
                datetime.date(1950, 12, 31),
                True,
                family_female,
                domain.OTHER,
            )
        )
    household = {
        "social_assistance": rnd.random() < 0.45,
        "family_benefits": rnd.random() < 0.5,
        "alimony_fund": rnd.random() < 0.1,
        "foster_family": False,
        "family_childrens_home": False,
    }
    documents = list(ALWAYS)
    children = [m for m in members if m["role"] == domain.CHILD]
    for child in children:
        if 7 <= age_on(child["pesel"], DEADLINE) < 19 and rnd.random() < 0.35:
            child["school_scholarship"] = True
    disabled = rnd.random() < 0.18
    if disabled:
        who = rnd.choice(members)
        who["disability"] = rnd.choice([domain.SEVERE, domain.MODERATE, domain.LIGHT])
        if who["role"] == domain.CHILD and age_on(who["pesel"], DEADLINE) < 16:
            who["disability"] = domain.CHILD_CERTIFICATE
        who["documents"] = [domain.DISABILITY_CERTIFICATE]  # the person's own certificate
    if index in (11, 47):
        household["foster_family"] = True
        for child in children[:2] or []:
            child["foster_child"] = True
        documents.append(domain.COURT_DECISION)
    if index == 63:
        household["family_childrens_home"] = True
        for child in children:
            child["family_home_child"] = True
        documents.append(domain.COURT_DECISION)
    if (
        not any(household.values())
        and not disabled
        and not any(c["school_scholarship"] for c in children)
    ):
        household["family_benefits"] = True
    if household["social_assistance"]:
        documents.append(domain.MOPS_SOCIAL_ASSISTANCE_CERTIFICATE)
    if household["family_benefits"] or household["alimony_fund"]:
        documents.append(domain.MOPS_FAMILY_BENEFITS_CERTIFICATE)
    for child in children:
        if child["school_scholarship"]:  # one confirmation per pupil
            child.setdefault("documents", []).append(domain.SCHOLARSHIP_CONFIRMATION)
    per_person = Decimal(rnd.randrange(350, 1500))
    income = min(per_person * len(members), Decimal("1650") * len(members)).quantize(
        Decimal("1.00")
    )
    return members, household, sorted(set(documents), key=domain.DOCUMENT_ORDER.index), income


def build_file(seed: int = 2012) -> dict:
    rnd = random.Random(seed)
    people = _People(rnd)
    applications = []
    days = [
        OPENS + datetime.timedelta(days=rnd.randrange((DEADLINE - OPENS).days + 1))
        for _ in range(79)
    ]
    days.sort()
    for index, day in enumerate(days):
        members, household, documents, income = _household(rnd, people, index)
        post = rnd.random() < 0.2
        received = day + datetime.timedelta(days=rnd.choice([1, 2, 3])) if post else day
        street = rnd.choice(STREETS)
        applications.append(
            {
                "number": f"{CODE}/{index + 1:03d}",
                "received_on": received.isoformat(),
                "channel": domain.POST if post else domain.IN_PERSON,
                "postmarked_on": day.isoformat() if post else None,
                "address": {
                    "street": street,
                    "building": str(rnd.randrange(1, 60)),
                    "flat": str(rnd.randrange(1, 30)) if rnd.random() < 0.7 else "",
                    "postal_code": "84-300",
                    "city": "Lębork",
                },
                "has_computer": False,
                "has_internet": False,
                "monthly_net_income_pln": str(income),
                "household": household,
                "members": members,
                "documents": documents,
            }
        )
    # One application without the recommendation (annex 3): rejected on formal grounds.
    applications[40]["documents"].remove(domain.RECOMMENDATION)
    # Two households in one dwelling (a warning for the committee).
    applications[25]["address"] = dict(applications[8]["address"])
    # Criteria claimed without their documents (warnings; the other criteria still count).
    for index in (17, 52):
        applications[index]["household"]["social_assistance"] = True
        applications[index]["household"]["family_benefits"] = True
        applications[index]["documents"] = [
            d
            for d in applications[index]["documents"]
            if d != domain.MOPS_SOCIAL_ASSISTANCE_CERTIFICATE
        ]
        if domain.MOPS_FAMILY_BENEFITS_CERTIFICATE not in applications[index]["documents"]:
            applications[index]["documents"].append(domain.MOPS_FAMILY_BENEFITS_CERTIFICATE)
    return {
        "call": {
            "code": CODE,
            "deadline": DEADLINE.isoformat(),
            "places": 75,
            "average_salary_pln": "3399.52",
        },
        "applications": applications,
    }


def load(stdout=None):
    if Call.objects.filter(code=CODE).exists():
        return
    users = get_user_model().objects
    coordinator = users.get(username="koordynator")
    committee = list(
        users.filter(groups__name=roles.COMMITTEE, username__startswith="komisja").order_by(
            "username"
        )
    )
    call = Call.objects.create(
        code=CODE,
        title="Nabór do projektu „Przeciwdziałanie wykluczeniu cyfrowemu na terenie Gminy Miasto Lębork”",
        opens_on=OPENS,
        deadline=DEADLINE,
        places=75,
        average_salary=Decimal("3399.52"),
    )
    _call, problems, count = do_import(build_file(), CODE, actor=coordinator)
    if problems:
        raise RuntimeError("demo recruitment data is invalid: " + "; ".join(map(str, problems[:5])))
    # The committee verified the documents at its three meetings.
    tz = timezone.get_current_timezone()
    for position, application in enumerate(
        Application.objects.filter(call=call).order_by("sequence")
    ):
        meeting_day = MEETINGS[0] if position < 40 else MEETINGS[1]
        ApplicationDocument.objects.filter(application=application).update(
            verified_by=committee[position % len(committee)],
            verified_at=datetime.datetime.combine(
                meeting_day, datetime.time(10 + position % 6, 0), tz
            ),
            note="",
        )
    # The Regulation as adopted by the mayor's order (not amended during the call).
    RegulationOrder.objects.get_or_create(
        number="77/2012", defaults={"issued_on": datetime.date(2012, 7, 31)}
    )
    # The committee as the mayor's order 78/2012 appointed it: staff of the town office and of MOPS.
    CommitteeMember.objects.bulk_create(
        CommitteeMember(call=call, user=user, institution=institution, role=role)
        for user, institution, role in zip(
            [coordinator, *committee],
            ["um", "um", "mops", "mops"],
            ["chair", "secretary", "member", "member"],
            strict=False,
        )
    )
    for day in MEETINGS:
        meeting = CommitteeMeeting.objects.create(
            call=call,
            held_on=day,
            place="Urząd Miejski w Lęborku, pokój 208",
            notes="Weryfikacja formalna i merytoryczna wniosków."
            if day != MEETINGS[-1]
            else "Zatwierdzenie listy podstawowej i rezerwowej.",
            tie_resolution=""
            if day != MEETINGS[-1]
            else (
                "Regulamin nie rozstrzyga równej liczby punktów na granicy list. Komisja "
                "jednogłośnie postanowiła, że o miejscu decyduje wcześniejsza data złożenia "
                "wniosku (dla wniosków nadanych pocztą data stempla), a przy tej samej dacie "
                "niższy numer rejestracyjny."
            ),
        )
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, user=user) for user in [coordinator, *committee]
        )
    version = do_approve_lists(call, meeting, MEETINGS[-1], actor=coordinator)
    Notification.objects.bulk_create(
        Notification(
            application_id=entry.application_id,
            version=version,
            channel=Notification.Channel.PHONE
            if entry.pk % 9 == 0
            else Notification.Channel.LETTER,
            sent_on=datetime.date(2012, 9, 24),
            sent_by=coordinator,
        )
        for entry in version.entries.all()
    )
    if stdout:
        stdout.write(f"recruitment: call {CODE}, {count} applications, lists approved 21.09.2012")
