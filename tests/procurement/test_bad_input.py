"""Refused steps (the issue's "Bad input" list and more): a clear Polish message, nothing saved.

Each test checks the message AND that the database is as it was (`snapshot`).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from procurement.forms import ContractEditForm, OfferEvaluationForm
from procurement.models import Contract, ContractAmendment, Offer, Procedure, Supplier
from procurement.services import contracts, procedures
from tests.factories import ProcedureFactory, SupplierFactory
from tests.helpers import messages_of

from .conftest import at, day, snapshot

# --- a contract before its award ------------------------------------------------------------


def sign(procedure, actor, **changes):
    data = {
        "number": "RZP.272.50.2024",
        "signed_on": day("2024-03-25"),
        "value_net": Decimal("73983.74"),
        "value_gross": Decimal("91000.00"),
        "scope": "Dostawa laptopów.",
        "term_start": day("2024-03-25"),
        "term_end": day("2024-12-31"),
    }
    data.update(changes)
    return procedures.do_sign_contract(procedure, actor=actor, **data)


def test_a_contract_before_the_award_is_refused(opened, finance):
    before = snapshot(opened)
    with pytest.raises(ValidationError) as caught:
        sign(opened, finance)
    assert messages_of(caught.value) == (
        "Umowę można zawrzeć dopiero po wyborze oferty, raz w postępowaniu "
        "(obecny stan: oferty otwarte)."
    )
    assert snapshot(opened) == before
    assert not Contract.objects.filter(number="RZP.272.50.2024").exists()


def test_the_contract_page_refuses_a_contract_before_the_award(finance_client, opened):
    before = snapshot(opened)
    url = reverse("procurement:procedure_sign_contract", args=[opened.pk])
    response = finance_client.post(
        url,
        {
            "number": "RZP.272.50.2024",
            "signed_on": "2024-03-25",
            "value_net": "73983.74",
            "value_gross": "91000.00",
            "scope": "Dostawa laptopów.",
            "term_start": "2024-03-25",
            "term_end": "2024-12-31",
            "confirm": "on",
        },
        follow=True,
    )
    assert "Umowę można zawrzeć dopiero po wyborze oferty" in response.content.decode()
    assert snapshot(opened) == before


def test_a_second_contract_in_the_same_procedure_is_refused(contract, finance):
    before = snapshot(contract.procedure)
    with pytest.raises(ValidationError) as caught:
        sign(contract.procedure, finance, number="RZP.272.51.2024")
    assert "obecny stan: umowa zawarta" in messages_of(caught.value)
    assert snapshot(contract.procedure) == before


def test_a_contract_signed_before_the_award_date_is_refused(awarded, finance):
    before = snapshot(awarded)
    with pytest.raises(ValidationError) as caught:
        sign(awarded, finance, signed_on=day("2024-03-14"))
    assert caught.value.message_dict["signed_on"] == [
        "Umowy nie można zawrzeć przed wyborem oferty (15.03.2024)."
    ]
    assert snapshot(awarded) == before


def test_a_duplicate_contract_number_is_refused(contract, finance, bidders):
    other = ProcedureFactory()
    procedures.do_announce(
        other,
        announcement_number="900009-2024",
        announcement_date=day("2024-04-01"),
        offers_deadline=at("2024-04-10T10:00"),
        actor=finance,
    )
    offer = procedures.do_record_offer(
        other,
        bidder=bidders[0],
        received_at=at("2024-04-05T10:00"),
        price=Decimal("1000"),
        actor=finance,
    )
    procedures.do_open_offers(other, opened_on=day("2024-04-10"), actor=finance)
    procedures.do_award(other, offer=offer, award_date=day("2024-04-11"), actor=finance)
    before = snapshot(other)
    with pytest.raises(ValidationError) as caught:
        sign(other, finance, number=contract.number, signed_on=day("2024-04-12"))
    assert caught.value.message_dict["number"] == ["Umowa o tym numerze jest już zarejestrowana."]
    assert snapshot(other) == before


# --- an award before the offers were opened -------------------------------------------------


def test_an_award_before_the_offers_were_opened_is_refused(announced, offers, finance):
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_award(announced, offer=offers[1], award_date=day("2024-03-15"), actor=finance)
    assert messages_of(caught.value) == (
        "Nie można wybrać oferty przed otwarciem ofert (obecny stan: ogłoszone)."
    )
    assert snapshot(announced) == before


def test_the_award_page_refuses_an_award_before_the_opening(finance_client, announced, offers):
    before = snapshot(announced)
    response = finance_client.post(
        reverse("procurement:procedure_award", args=[announced.pk]),
        {"offer": offers[1].pk, "award_date": "2024-03-15", "confirm": "on"},
    )
    assert response.status_code == 302
    page = finance_client.get(response["Location"]).content.decode()
    assert "Nie można wybrać oferty przed otwarciem ofert" in page
    assert snapshot(announced) == before


def test_a_rejected_offer_cannot_win(opened, offers, finance):
    offer = offers[1]
    Offer.objects.filter(pk=offer.pk).update(rejected=True, rejection_reason="Brak wadium.")
    before = snapshot(opened)
    with pytest.raises(ValidationError) as caught:
        procedures.do_award(opened, offer=offer, award_date=day("2024-03-15"), actor=finance)
    assert caught.value.message_dict["offer"] == ["Nie można wybrać odrzuconej oferty."]
    assert snapshot(opened) == before


def test_an_offer_that_is_not_the_cheapest_cannot_win_on_price_alone(opened, offers, finance):
    before = snapshot(opened)
    with pytest.raises(ValidationError) as caught:
        procedures.do_award(opened, offer=offers[0], award_date=day("2024-03-15"), actor=finance)
    message = caught.value.message_dict["offer"][0].replace("\xa0", " ")
    assert message == (
        "Cena jest jedynym kryterium, a wybrana oferta nie jest najtańsza: "
        "Beta s.c. zaoferował(a) 91 000,00 zł."
    )
    assert snapshot(opened) == before


def test_an_offer_without_the_highest_score_cannot_win(opened, offers, finance):
    Offer.objects.filter(pk=offers[0].pk).update(score=Decimal("100"))
    Offer.objects.filter(pk=offers[1].pk).update(score=Decimal("90.5"))
    before = snapshot(opened)
    with pytest.raises(ValidationError) as caught:
        procedures.do_award(opened, offer=offers[1], award_date=day("2024-03-15"), actor=finance)
    assert caught.value.message_dict["offer"] == [
        "Wybrana oferta nie ma najwyższej liczby punktów: Alfa Sp. z o.o. ma 100,00 pkt."
    ]
    assert snapshot(opened) == before


# --- an offer after the deadline --------------------------------------------------------------


def test_an_offer_after_the_deadline_is_refused(announced, bidders, finance):
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_record_offer(
            announced,
            bidder=bidders[0],
            received_at=at("2024-03-11T10:01"),
            price=Decimal("90000"),
            actor=finance,
        )
    assert caught.value.message_dict["received_at"] == [
        "Oferta wpłynęła 11.03.2024 10:01, po terminie składania ofert (11.03.2024 10:00): "
        "ofertę złożoną po terminie zwraca się bez otwierania i nie rejestruje jej."
    ]
    assert snapshot(announced) == before


def test_the_offer_page_refuses_a_late_offer_and_keeps_the_input(
    finance_client, announced, bidders
):
    before = snapshot(announced)
    response = finance_client.post(
        reverse("procurement:offer_new", args=[announced.pk]),
        {"bidder": bidders[0].pk, "received_at": "2024-03-11T10:30", "price": "90123.45"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "po terminie składania ofert" in content
    assert "Formularz zawiera błędy" in content
    assert 'value="90123.45"' in content
    assert snapshot(announced) == before


def test_a_second_offer_of_the_same_bidder_is_refused(announced, offers, bidders, finance):
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_record_offer(
            announced,
            bidder=bidders[0],
            received_at=at("2024-03-09T10:00"),
            price=Decimal("1"),
            actor=finance,
        )
    assert caught.value.message_dict["bidder"] == [
        "Alfa Sp. z o.o. ma już ofertę w tym postępowaniu."
    ]
    assert snapshot(announced) == before


def test_a_rejection_without_a_reason_is_refused(opened, offers, finance):
    offer = offers[0]
    form = OfferEvaluationForm(
        {"score": "", "criteria": "", "rejected": "on", "rejection_reason": " ", "version": 1},
        instance=offer,
    )
    assert form.is_valid()
    before = snapshot(opened)
    with pytest.raises(ValidationError) as caught:
        procedures.do_evaluate_offer(offer, form.cleaned_data, actor=finance)
    assert caught.value.message_dict["rejection_reason"] == [
        "Podaj przyczynę odrzucenia oferty (art. 89 Pzp)."
    ]
    assert snapshot(opened) == before


def test_offers_cannot_be_opened_before_the_deadline(announced, finance):
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_open_offers(announced, opened_on=day("2024-03-10"), actor=finance)
    assert caught.value.message_dict["opened_on"] == [
        "Ofert nie można otworzyć przed terminem składania ofert (11.03.2024)."
    ]
    assert snapshot(announced) == before


# --- an annulment without a reason ------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_annulment_without_a_reason_is_refused(announced, finance, reason):
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_annul(announced, annulled_on=day("2024-03-05"), reason=reason, actor=finance)
    assert caught.value.message_dict["reason"] == [
        "Podaj przyczynę unieważnienia – zamawiający zawiadamia o niej wykonawców "
        "(art. 93 ust. 3 Pzp)."
    ]
    assert snapshot(announced) == before


def test_the_annulment_page_shows_the_missing_reason_next_to_the_field(finance_client, announced):
    before = snapshot(announced)
    response = finance_client.post(
        reverse("procurement:procedure_annul", args=[announced.pk]),
        {"annulled_on": "2024-03-05", "reason": "", "confirm": "on"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Podaj przyczynę unieważnienia" in content
    assert 'href="#id_reason"' in content  # the summary links to the field
    assert snapshot(announced) == before


def test_a_signed_procedure_cannot_be_annulled(contract, finance):
    before = snapshot(contract.procedure)
    with pytest.raises(ValidationError) as caught:
        procedures.do_annul(
            contract.procedure, annulled_on=day("2024-04-01"), reason="x", actor=finance
        )
    assert "obecny stan: umowa zawarta" in messages_of(caught.value)
    assert snapshot(contract.procedure) == before


def test_only_an_annulled_procedure_is_announced_again_and_only_once(announced, finance):
    with pytest.raises(ValidationError) as caught:
        procedures.do_reannounce(
            announced,
            announcement_number="900003-2024",
            announcement_date=day("2024-03-05"),
            offers_deadline=at("2024-03-15T10:00"),
            actor=finance,
        )
    assert "Ponownie ogłosić można tylko unieważnione postępowanie" in messages_of(caught.value)
    procedures.do_annul(announced, annulled_on=day("2024-03-05"), reason="Wada.", actor=finance)
    procedures.do_reannounce(
        announced,
        announcement_number="900003-2024",
        announcement_date=day("2024-03-05"),
        offers_deadline=at("2024-03-15T10:00"),
        actor=finance,
    )
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_reannounce(
            announced,
            announcement_number="900004-2024",
            announcement_date=day("2024-03-06"),
            offers_deadline=at("2024-03-16T10:00"),
            actor=finance,
        )
    assert messages_of(caught.value) == (
        "To postępowanie zostało już ogłoszone ponownie: BZP 900003-2024."
    )
    assert snapshot(announced) == before


# --- an invalid NIP / REGON -------------------------------------------------------------------


def supplier_data(**changes):
    data = {
        "name": "Nowy Wykonawca Sp. z o.o.",
        "nip": "100-047-51-46",
        "regon": "",
        "street": "ul. Nowa 1",
        "postal_code": "84-300",
        "city": "Lębork",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "1753590893", "Błędna suma kontrolna numeru NIP."),
        ("nip", "12345", "Wprowadź numer identyfikacji podatkowej (NIP)"),
        ("regon", "457146378", "Błędna suma kontrolna numeru REGON."),
        ("regon", "4571463", "Numer REGON składa się z 9 lub 14 cyfr."),
    ],
)
def test_an_invalid_nip_or_regon_is_refused(finance_client, field, value, message):
    count = Supplier.objects.count()
    response = finance_client.post(
        reverse("procurement:supplier_new"), supplier_data(**{"nip": "1000395950", field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Supplier.objects.count() == count


def test_the_model_refuses_an_invalid_nip_too():
    supplier = SupplierFactory.build(nip="1753590893")
    with pytest.raises(ValidationError) as caught:
        supplier.full_clean()
    assert caught.value.message_dict["nip"] == ["Błędna suma kontrolna numeru NIP."]


@pytest.mark.django_db
def test_a_duplicate_nip_is_refused(finance_client):
    SupplierFactory(nip="1000395950")
    count = Supplier.objects.count()
    response = finance_client.post(
        reverse("procurement:supplier_new"), supplier_data(nip="100-039-59-50")
    )
    assert response.status_code == 200
    assert "Istnieje już Wykonawca z tą wartością pola NIP." in response.content.decode()
    assert Supplier.objects.count() == count


# --- a duplicate announcement number ----------------------------------------------------------


def test_a_duplicate_announcement_number_is_refused(announced, finance):
    other = ProcedureFactory(subject="Inne zamówienie")
    before = snapshot(other)
    with pytest.raises(ValidationError) as caught:
        procedures.do_announce(
            other,
            announcement_number="900001-2024",
            announcement_date=day("2024-03-02"),
            offers_deadline=at("2024-03-12T10:00"),
            actor=finance,
        )
    assert caught.value.message_dict["announcement_number"] == [
        "Ogłoszenie nr 900001-2024 jest już zarejestrowane: Dostawa laptopów do pracowni."
    ]
    assert snapshot(other) == before


def test_the_announce_page_shows_the_duplicate_number(finance_client, announced):
    other = ProcedureFactory(subject="Inne zamówienie")
    before = snapshot(other)
    response = finance_client.post(
        reverse("procurement:procedure_announce", args=[other.pk]),
        {
            "announcement_number": "900001-2024",
            "announcement_date": "2024-03-02",
            "offers_deadline": "2024-03-12T10:00",
        },
    )
    assert response.status_code == 200
    assert "Ogłoszenie nr 900001-2024 jest już zarejestrowane" in response.content.decode()
    assert snapshot(other) == before


def test_the_database_refuses_a_duplicate_announcement_number_too(announced):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureFactory(announcement_number="900001-2024")


@pytest.mark.parametrize("number", ["408664/2012", "BZP 408664-2012", "408664-12"])
def test_a_malformed_bzp_number_is_refused(procedure, finance, number):
    before = snapshot(procedure)
    with pytest.raises(ValidationError) as caught:
        procedures.do_announce(
            procedure,
            announcement_number=number,
            announcement_date=day("2024-03-01"),
            offers_deadline=at("2024-03-11T10:00"),
            actor=finance,
        )
    assert caught.value.message_dict["announcement_number"] == [
        "Wpisz numer ogłoszenia tak jak w BZP, np. 408664-2012."
    ]
    assert snapshot(procedure) == before


def test_an_open_tender_needs_its_bzp_number(procedure, finance):
    before = snapshot(procedure)
    with pytest.raises(ValidationError) as caught:
        procedures.do_announce(
            procedure,
            announcement_number="",
            announcement_date=day("2024-03-01"),
            offers_deadline=at("2024-03-11T10:00"),
            actor=finance,
        )
    assert "podaj numer ogłoszenia" in caught.value.message_dict["announcement_number"][0]
    assert snapshot(procedure) == before


def test_an_announcement_in_the_future_is_refused(procedure, finance):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = snapshot(procedure)
    with pytest.raises(ValidationError) as caught:
        procedures.do_announce(
            procedure,
            announcement_number="900005-2024",
            announcement_date=tomorrow,
            offers_deadline=at(f"{tomorrow + datetime.timedelta(days=7)}T10:00"),
            actor=finance,
        )
    assert caught.value.message_dict["announcement_date"] == ["Data nie może być z przyszłości."]
    assert snapshot(procedure) == before


def test_announcing_twice_is_refused(announced, finance):
    before = snapshot(announced)
    with pytest.raises(ValidationError) as caught:
        procedures.do_announce(
            announced,
            announcement_number="900006-2024",
            announcement_date=day("2024-03-02"),
            offers_deadline=at("2024-03-12T10:00"),
            actor=finance,
        )
    assert messages_of(caught.value) == (
        "Ogłosić można tylko postępowanie w przygotowaniu (obecny stan: ogłoszone)."
    )
    assert snapshot(announced) == before


# --- editing a signed contract's core fields ---------------------------------------------------


def contract_form_data(contract, **changes):
    data = {
        "number": contract.number,
        "signed_on": contract.signed_on.isoformat(),
        "value_net": str(contract.value_net),
        "value_gross": str(contract.value_gross),
        "scope": contract.scope,
        "term_start": contract.term_start.isoformat(),
        "term_end": contract.term_end.isoformat(),
        "manager": contract.manager,
        "notes": contract.notes,
        "version": contract.version,
    }
    data.update(changes)
    return data


def contract_state(contract):
    fresh = Contract.objects.get(pk=contract.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Contract._meta.concrete_fields}


def test_editing_a_signed_contracts_core_fields_is_refused(contract, finance):
    before = contract_state(contract)
    form = ContractEditForm(
        contract_form_data(contract, value_gross="99000.00", term_end="2025-01-31", notes="x"),
        instance=contract,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(ValidationError) as caught:
        contracts.do_update_contract(contract, form.cleaned_data, actor=finance)
    message = "Umowa jest podpisana: ten warunek zmienia się tylko aneksem."
    assert caught.value.message_dict == {"value_gross": [message], "term_end": [message]}
    assert contract_state(contract) == before


def test_the_contract_page_refuses_core_changes_and_says_use_an_amendment(finance_client, contract):
    before = contract_state(contract)
    response = finance_client.post(
        reverse("procurement:contract_edit", args=[contract.pk]),
        contract_form_data(contract, number="INNY/1", notes="Uwagi"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Umowa jest podpisana: ten warunek zmienia się tylko aneksem." in content
    assert "Uwagi" in content  # the user's input is kept
    assert contract_state(contract) == before


def test_the_contract_page_saves_what_is_not_a_term(finance_client, contract):
    response = finance_client.post(
        reverse("procurement:contract_edit", args=[contract.pk]),
        contract_form_data(contract, manager="Jan Opiekun", notes="Faktury kwartalne."),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.manager == "Jan Opiekun"
    assert contract.notes == "Faktury kwartalne."
    assert contract.value_gross == Decimal("91000.00")


def test_an_amendment_before_the_contract_is_refused(contract, finance):
    before = contract_state(contract)
    with pytest.raises(ValidationError) as caught:
        contracts.do_amend_contract(
            contract,
            number="1/2024",
            signed_on=day("2024-03-01"),
            description="Zmiana.",
            new_value_gross=Decimal("1"),
            actor=finance,
        )
    assert caught.value.message_dict["signed_on"] == [
        "Aneks nie może być wcześniejszy niż umowa (25.03.2024)."
    ]
    assert "new_value_gross" in caught.value.message_dict  # 1 zł gross < 73 983,74 zł net
    assert contract_state(contract) == before
    assert not ContractAmendment.objects.filter(contract=contract).exists()


def test_editing_a_procedure_after_the_opening_is_refused(finance_client, opened):
    before = snapshot(opened)
    response = finance_client.post(
        reverse("procurement:procedure_edit", args=[opened.pk]),
        {"subject": "Zmieniony przedmiot"},
        follow=True,
    )
    assert "Postępowanie można zmieniać tylko przed otwarciem ofert" in response.content.decode()
    assert snapshot(opened) == before
    assert Procedure.objects.get(pk=opened.pk).subject == "Dostawa laptopów do pracowni"
