"""The demo reproduces the project page's procurement (DOMAIN.md's "Procurement" table)."""

import datetime
import io

import pytest
from django.core.management import call_command
from localflavor.pl.forms import PLNIPField, PLREGONField

from procurement import demo
from procurement.models import Contract, Procedure, ProcedureEvent, Supplier

D = datetime.date
S = Procedure.Status


@pytest.mark.parametrize(
    ("number", "announced", "status"),
    [
        ("408664-2012", D(2012, 10, 19), S.CONTRACT_SIGNED),
        ("235583-2012", D(2012, 11, 7), S.ANNULLED),
        ("460720-2012", D(2012, 11, 20), S.CONTRACT_SIGNED),
        ("510054-2012", D(2012, 12, 13), S.CONTRACT_SIGNED),
    ],
)
def test_every_tender_has_its_real_number_and_date(db, number, announced, status):
    procedure = Procedure.objects.get(announcement_number=number)
    assert procedure.announcement_date == announced
    assert procedure.status == status
    assert procedure.procedure_type == Procedure.ProcedureType.OPEN_TENDER


@pytest.mark.parametrize(
    ("supplier", "signed_on", "subject"),
    [
        ("MAXTO Sp. z o.o. S.K.A.", D(2012, 11, 14), "sprzętu komputerowego"),
        ("SCORPION-COMPUTER", D(2012, 12, 12), "szerokopasmowego Internetu"),
        ("DWCom s.c.", D(2013, 1, 14), "Opiekunowie sal komputerowych"),
        ("AP Edukacja", D(2012, 11, 14), "szkoleń"),
    ],
)
def test_the_real_contracts_have_their_real_signing_dates(db, supplier, signed_on, subject):
    contract = Contract.objects.get(supplier__name=supplier)
    assert contract.signed_on == signed_on
    assert subject in contract.procedure.subject


def test_the_broadband_tender_was_annulled_and_announced_again_the_same_day(db):
    annulled = Procedure.objects.get(announcement_number="235583-2012")
    again = Procedure.objects.get(announcement_number="460720-2012")
    assert annulled.annulled_on == D(2012, 11, 20)
    assert annulled.annulment_reason
    assert again.reannouncement_of == annulled
    assert again.subject == annulled.subject
    assert not annulled.contracts.exists()


@pytest.mark.parametrize(
    ("words", "announced"),
    [
        ("naklejek", D(2012, 11, 7)),
        ("Upominki", D(2012, 11, 13)),
        ("Ubezpieczenie sprzętu", D(2012, 11, 21)),
    ],
)
def test_the_requests_for_quotation_have_their_dates_and_made_up_contracts(db, words, announced):
    procedure = Procedure.objects.get(subject__icontains=words)
    assert procedure.procedure_type == Procedure.ProcedureType.REQUEST_FOR_QUOTATION
    assert procedure.announcement_number == ""
    assert procedure.announcement_date == announced
    assert procedure.contracts.count() == 1


def test_the_contracts_other_apps_link_to_exist(db):
    for number in (
        demo.EQUIPMENT_CONTRACT,
        demo.INTERNET_CONTRACT,
        demo.TRAINING_CONTRACT,
        demo.INSURANCE_CONTRACT,
        demo.LAB_SUPERVISION_CONTRACT,
    ):
        assert Contract.objects.filter(number=number).exists()
    assert Contract.objects.get(number=demo.TRAINING_CONTRACT).supplier.name == "AP Edukacja"


def test_every_supplier_has_a_valid_nip_and_regon(db):
    suppliers = list(Supplier.objects.all())
    assert len(suppliers) == 10
    for supplier in suppliers:
        assert PLNIPField().clean(supplier.nip) == supplier.nip
        assert PLREGONField().clean(supplier.regon) == supplier.regon
        supplier.full_clean()  # raises ValidationError on any invalid field


def test_the_timelines_hold_the_chronicles_milestones(db):
    milestones = ProcedureEvent.objects.filter(kind__in=ProcedureEvent.MILESTONES)
    dates = {(e.kind, e.date) for e in milestones}
    assert (ProcedureEvent.Kind.ANNOUNCED, D(2012, 10, 19)) in dates
    assert (ProcedureEvent.Kind.ANNULLED, D(2012, 11, 20)) in dates
    assert (ProcedureEvent.Kind.ANNOUNCED, D(2012, 11, 20)) in dates
    assert (ProcedureEvent.Kind.CONTRACT_SIGNED, D(2013, 1, 14)) in dates
    assert all(e.actor and e.actor.username == "finanse" for e in milestones)


def test_loading_the_demo_again_changes_nothing(db):
    counts = (
        Procedure.objects.count(),
        Supplier.objects.count(),
        Contract.objects.count(),
        ProcedureEvent.objects.count(),
    )
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    assert counts == (
        Procedure.objects.count(),
        Supplier.objects.count(),
        Contract.objects.count(),
        ProcedureEvent.objects.count(),
    )
