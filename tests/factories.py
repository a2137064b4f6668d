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
