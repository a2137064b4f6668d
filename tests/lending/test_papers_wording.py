"""The agreement and the promissory-note declaration read as a municipal lawyer asks (issue 15):
who signs for the town in the right case with the treasurer's countersignature, the legal person
alone at the holder's place, „zbycie” only, „weksel własny”, the issuer's identity document, the
spouse's consent, and everything lent, the router and the Internet service included."""

import pytest
from django.core.exceptions import ValidationError

from lebork_einclusion.models import Officeholder
from lending import papers
from lending.models import Asset, LoanAgreement, PromissoryNote
from lending.services import agreements
from tests.helpers import messages_of, snapshot

from .conftest import DAY
from .test_papers import pdf_text

REPRESENTATION_2012 = (
    "reprezentowaną przez: Burmistrza Miasta Lęborka — Andrzeja Wiśniewskiego, przy "
    "kontrasygnacie Skarbnika Miasta Lęborka — Stanisława Nowackiego"
)


@pytest.fixture
def first_agreement(db):
    return LoanAgreement.objects.order_by("number").first()


def test_the_agreement_names_who_signs_for_the_town_in_the_right_case(first_agreement):
    text = pdf_text(papers.agreement_pdf(first_agreement))
    assert "Umowa zostaje zawarta pomiędzy: 1. Gminą Miasto Lębork" in text
    assert REPRESENTATION_2012 in text
    assert "zwaną dalej „Użyczającym”" in text
    assert "reprezentowana przez" not in text
    # The signature block names them too.
    assert "Burmistrz Miasta Lęborka Andrzej Wiśniewski" in text
    assert "Kontrasygnata Skarbnik Miasta Lęborka Stanisław Nowacki" in text


def test_the_signatories_of_the_signing_day_stay_on_the_agreement(first_agreement):
    assert first_agreement.representative.name == "Andrzej Wiśniewski"
    assert first_agreement.countersigned_by.name == "Stanisław Nowacki"


def test_a_proxy_signs_the_agreement_of_february_2013_with_the_power_of_attorney(db):
    agreement = LoanAgreement.objects.get(signed_on="2013-02-20")
    text = pdf_text(papers.agreement_pdf(agreement))
    assert (
        "reprezentowaną przez: Zastępcę Burmistrza Miasta Lęborka — Marka Kowalczyka "
        "(pełnomocnictwo nr 4/2013 z dnia 15.02.2013), przy kontrasygnacie"
    ) in text


def test_the_agreement_lists_the_router_and_the_internet_service(first_agreement):
    text = pdf_text(papers.agreement_pdf(first_agreement))
    kinds = {item.asset.kind: item.asset for item in first_agreement.items.select_related("asset")}
    assert set(kinds) == {"computer_set", "router"}
    assert kinds["computer_set"].serial_number in text
    assert kinds["router"].serial_number in text and "router lub modem" in text
    assert "Dostęp do Internetu: szerokopasmowe łącze" in text
    supplier = papers._connection(first_agreement).contract.supplier
    assert f"Dostawca: {supplier}" in text
    assert "urządzenia sieciowe i dostęp do Internetu" in text  # § 1


def test_the_declaration_is_corrected_point_by_point(first_agreement):
    text = pdf_text(papers.declaration_pdf(first_agreement))
    # The legal person only, in the genitive, at its seat.
    assert "do dyspozycji Gminy Miasto Lębork z siedzibą: ul. Armii Krajowej 14" in text
    assert "Urząd Miejski" not in text
    # §6.4 names only „zbycie”.
    assert "w razie jego zbycia (§ 6 pkt 4 Regulaminu" in text
    assert "obciąż" not in text
    assert "weksel własny in blanco" in text
    # The issuer's identity document.
    assert "Dokument tożsamości dowód osobisty AWX100000" in text
    # The spouse's block: name, PESEL or document, signature.
    assert "Zgoda małżonka" in text and "PESEL małżonka" in text
    assert "Podpis małżonka" in text


def test_the_spouse_named_at_signature_is_printed_with_the_consent(
    bare_participant, stock, coordinator
):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    agreements.do_sign_agreement(
        agreement,
        DAY,
        actor=coordinator,
        issuer_document_type="passport",
        issuer_document_number="ez 1234567",
        spouse_name="Jan Małżonek",
        spouse_pesel="44051401359",
        spouse_consent=True,
    )
    note = PromissoryNote.objects.get(agreement=agreement)
    assert (note.issuer_document_number, note.spouse_consent) == ("EZ1234567", True)
    text = pdf_text(papers.declaration_pdf(agreement))
    assert "paszport EZ1234567" in text
    assert "Małżonek Jan Małżonek PESEL małżonka 44051401359" in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"spouse_name": "Jan Małżonek", "spouse_pesel": "44051401359"},
            "spouse_consent",
            "musi podpisać zgodę",
        ),
        (
            {"spouse_name": "Jan Małżonek", "spouse_consent": True},
            "spouse_pesel",
            "Podaj PESEL małżonka",
        ),
        ({"spouse_pesel": "44051401359"}, "spouse_name", "Podaj imię i nazwisko małżonka"),
        ({"issuer_document_number": "<b>1</b>"}, "__all__", "od 5 do 20 wielkich liter"),
        (
            {"issuer_document_type": "", "issuer_document_number": "ABC123456"},
            "issuer_document_type",
            "Podaj rodzaj i numer",
        ),
        (
            {"spouse_name": "Jan Małżonek", "spouse_pesel": "44051401358", "spouse_consent": True},
            "spouse_pesel",
            "PESEL",
        ),
    ],
)
def test_incomplete_identity_data_is_refused_and_nothing_is_signed(
    bare_participant, stock, coordinator, changes, field, message
):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    data = {"issuer_document_type": "id_card", "issuer_document_number": "ABC123456", **changes}
    before = snapshot(LoanAgreement, PromissoryNote)
    with pytest.raises(ValidationError) as caught:
        agreements.do_sign_agreement(agreement, DAY, actor=coordinator, **data)
    assert message in messages_of(caught.value)
    if field != "__all__":
        assert field in caught.value.message_dict
    assert snapshot(LoanAgreement, PromissoryNote) == before


def test_signing_on_a_day_without_a_treasurer_is_refused(bare_participant, stock, coordinator):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    Officeholder.objects.filter(office="treasurer", valid_from__lt="2013-01-31").update(
        valid_to="2013-01-31"
    )
    before = snapshot(LoanAgreement, PromissoryNote)
    with pytest.raises(ValidationError) as caught:
        agreements.do_sign_agreement(agreement, DAY, actor=coordinator)
    assert "Nikt nie pełni funkcji skarbnika w dniu 04.03.2013" in messages_of(caught.value)
    assert snapshot(LoanAgreement, PromissoryNote) == before


def test_only_a_network_device_is_lent_with_the_connection(first_agreement, stock, coordinator):
    before = snapshot(Asset, LoanAgreement)
    with pytest.raises(ValidationError) as caught:
        agreements.do_lend_network_device(first_agreement, stock[0], DAY, actor=coordinator)
    assert "tylko urządzenia sieciowego" in messages_of(caught.value)
    assert snapshot(Asset, LoanAgreement) == before


def test_the_provider_delivered_the_network_devices_into_the_register(db):
    routers = Asset.objects.filter(kind="router")
    assert routers.count() == 82
    assert routers.filter(status="lent").count() == 75
    assert routers.filter(status="at_unit").count() == 7
    assert {r.contract.number for r in routers} == {"RZP.272.19.2012"}
