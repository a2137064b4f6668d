import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


# --- procurement ---


def valid_nip(seed: int) -> str:
    """A made-up NIP with a valid checksum (weights 6,5,7,2,3,4,5,6,7; mod 11 must not be 10)."""
    number = 100_000_000 + (seed * 7_919) % 900_000_000
    while True:
        digits = [int(c) for c in str(number)]
        check = sum(d * w for d, w in zip(digits, (6, 5, 7, 2, 3, 4, 5, 6, 7), strict=True)) % 11
        if check != 10:
            return f"{number}{check}"
        number += 1


def valid_regon(seed: int) -> str:
    """A made-up 9-digit REGON with a valid checksum (weights 8,9,2,3,4,5,6,7; 10 counts as 0)."""
    number = f"{(10_000_000 + seed * 104_729) % 100_000_000:08d}"
    check = sum(int(d) * w for d, w in zip(number, (8, 9, 2, 3, 4, 5, 6, 7), strict=True)) % 11
    return f"{number}{check % 10}"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "procurement.Supplier"

    name = factory.Sequence(lambda n: f"Wykonawca testowy {n} Sp. z o.o.")
    nip = factory.Sequence(lambda n: valid_nip(n + 1000))
    regon = factory.Sequence(lambda n: valid_regon(n + 1000))
    street = "ul. Testowa 1"
    postal_code = "84-300"
    city = "Lębork"


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A procedure in preparation; take it further with procurement.services."""

    class Meta:
        model = "procurement.Procedure"

    subject = factory.Sequence(lambda n: f"Zamówienie testowe nr {n}")
    kind = "supplies"
    procedure_type = "open_tender"
    estimated_value_net = Decimal("10000.00")
    estimated_value_gross = Decimal("12300.00")


# --- many households at once (list pages at scale: tests and bench/list_pages.py) ---


def add_households(
    count: int,
    *,
    officer=None,
    call=None,
    batch: int = 5_000,
    start: int = 1,
    visits: int | None = 6,
):
    """`count` applications (with their evaluation) in a call of their own; 75 of every 79 take
    part: applicant, participant, computer set lent (with its history), agreement, promissory
    note, connection, `visits` planned visits of the rule (None: the whole plan to the end of
    durability; the first one made). Bulk inserts, no audit: the caller rolls them back or runs
    them with the audit triggers off. Returns the call. The benchmarks use it too."""
    import datetime
    import uuid

    from django.utils import timezone

    from lebork_einclusion.models import Project
    from lending.models import (
        Asset,
        AssetEvent,
        Connection,
        LoanAgreement,
        Participant,
        PromissoryNote,
    )
    from monitoring import visit_rules
    from monitoring.models import MonitoringVisit, PlannedVisit
    from procurement.demo import EQUIPMENT_CONTRACT, INTERNET_CONTRACT
    from procurement.models import Contract
    from recruitment.models import Application, Call, Evaluation, HouseholdMember

    if call is None:
        call = Call.objects.create(
            code=f"BULK{uuid.uuid4().hex[:6]}",
            title="Bulk call",
            opens_on=datetime.date(2012, 8, 6),
            deadline=datetime.date(2012, 9, 5),
            average_salary=Decimal("3500"),
        )
    tag = call.code
    officer = officer or get_user_model().objects.get(username="monitoring")
    equipment = Contract.objects.get(number=EQUIPMENT_CONTRACT)
    internet = Contract.objects.get(number=INTERNET_CONTRACT)
    until = Project.current().durability_end
    handover = datetime.date(2012, 12, 3)
    plan = visit_rules.plan_dates(handover, 4, 12, until)[:visits]
    visited = timezone.make_aware(datetime.datetime(2013, 3, 20, 10))
    statuses = ["main", "reserve", "ineligible"]
    for first in range(start, start + count, batch):
        numbers = range(first, min(start + count, first + batch))
        applications = Application.objects.bulk_create(
            Application(
                call=call,
                number=f"{tag}/{i:06d}",
                sequence=i,
                channel="in_person",
                received_on=datetime.date(2012, 8, 6) + datetime.timedelta(days=i % 31),
                street="ul. Testowa",
                building=str(i % 200 + 1),
                postal_code="84-300",
                monthly_net_income=Decimal("1000"),
            )
            for i in numbers
        )
        Evaluation.objects.bulk_create(
            Evaluation(
                application=a,
                call=call,
                sequence=a.sequence,
                submitted_on=a.received_on,
                points=a.sequence % 17,
                status=statuses[a.sequence % 3],
                position=a.sequence if a.sequence % 3 < 2 else None,
            )
            for a in applications
        )
        members = HouseholdMember.objects.bulk_create(
            HouseholdMember(
                application=a,
                first_name="Jan",
                last_name=f"Testowy{a.sequence}",
                pesel=f"{80010100000 + a.sequence:011d}",
                role="applicant",
            )
            for a in applications
        )
        taking_part = [
            (a, m) for a, m in zip(applications, members, strict=True) if a.sequence % 79 < 75
        ]
        participants = Participant.objects.bulk_create(
            # The copies the database's triggers keep, given here too: the benchmarks insert
            # with the triggers off.
            Participant(
                application=a,
                signatory=m,
                joined_on=datetime.date(2012, 11, 14),
                sequence=a.sequence,
                has_open_agreement=True,  # each signs the agreement below
            )
            for a, m in taking_part
        )
        assets = Asset.objects.bulk_create(
            Asset(
                kind="computer_set",
                make_model="Bulk",
                serial_number=f"{tag}{p.application.sequence:07d}",
                value=Decimal("2433.88"),
                contract=equipment,
                delivered_on=datetime.date(2012, 11, 23),
                status="lent",
                participant=p,
            )
            for p in participants
        )
        AssetEvent.objects.bulk_create(
            AssetEvent(asset=a, kind=kind, date=day, participant=a.participant)
            for a in assets
            for kind, day in (("delivered", datetime.date(2012, 11, 23)), ("assigned", handover))
        )
        agreements = LoanAgreement.objects.bulk_create(
            LoanAgreement(
                number=f"{tag}/{p.application.sequence:07d}",
                participant=p,
                signatory=p.signatory,
                status="active",
                drafted_on=datetime.date(2012, 11, 26),
                signed_on=datetime.date(2012, 12, 2),
                handed_over_on=handover,
                ends_on=datetime.date(2015, 12, 3),
                obligations="§6",
            )
            for p in participants
        )
        PromissoryNote.objects.bulk_create(
            PromissoryNote(
                agreement=agreement,
                number=f"W/{tag}/{agreement.participant.application.sequence:07d}",
                issuer=agreement.signatory,
                issued_on=datetime.date(2012, 12, 2),
                max_amount=Decimal("2433.88"),
            )
            for agreement in agreements
        )
        Connection.objects.bulk_create(
            Connection(
                participant=p,
                household_sequence=p.sequence,
                contract=internet,
                installed_on=datetime.date(2012, 12, 20),
                ends_on=until,
                status_since=datetime.date(2012, 12, 20),
            )
            for p in participants
        )
        planned = PlannedVisit.objects.bulk_create(
            PlannedVisit(
                participant=p,
                household_sequence=p.sequence,
                due_on=day,
                rule_due_on=day,
                officer=officer,
                origin="rule",
                status="done" if index == 0 else "planned",
            )
            for p in participants
            for index, day in enumerate(plan)
        )
        MonitoringVisit.objects.bulk_create(
            MonitoringVisit(
                key=uuid.uuid4(),
                participant=p.participant,
                planned=p,
                officer=officer,
                visited_at=visited,
                outcome="made",
                recorded_by=officer,
            )
            for p in planned
            if p.status == "done"
        )
    return call


def add_access_log(count: int, *, user, batch: int = 10_000):
    """`count` entries of the personal-data access log (no personal data in them)."""
    from lebork_einclusion.models import PersonalDataAccess

    for first in range(0, count, batch):
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                user=user,
                view_name="recruitment:application_detail",
                object_type="recruitment.application",
                object_id=str(i),
                kinds="pesel",
            )
            for i in range(first, min(count, first + batch))
        )


# --- finance ---


def _current_agreement():
    from finance.models import FundingAgreement

    return FundingAgreement.current()


class PaymentClaimFactory(factory.django.DjangoModelFactory):
    """An interim claim of the current funding agreement (the demo's), a draft."""

    class Meta:
        model = "finance.PaymentClaim"

    agreement = factory.LazyFunction(_current_agreement)
    number = factory.Sequence(lambda n: 100 + n)
    kind = "interim"
    period_start = datetime.date(2013, 7, 1)
    period_end = datetime.date(2013, 9, 30)


class ExpenditureFactory(factory.django.DjangoModelFactory):
    """An invoice of a test supplier on the claim's agreement's first budget line."""

    class Meta:
        model = "finance.Expenditure"

    agreement = factory.LazyAttribute(lambda o: o.claim.agreement)
    number = factory.Sequence(lambda n: f"FV/TEST/{n}")
    issuer = factory.SubFactory(SupplierFactory)
    issued_on = datetime.date(2013, 8, 5)
    paid_on = datetime.date(2013, 8, 12)
    net = Decimal("1000.00")
    vat = Decimal("230.00")
    gross = Decimal("1230.00")
    eligible = Decimal("1230.00")
    line = factory.LazyAttribute(lambda o: o.agreement.lines.order_by("pk").first())
    description = "Dostawa testowa"
    claim = factory.SubFactory(PaymentClaimFactory)
