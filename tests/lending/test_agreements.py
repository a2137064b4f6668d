"""Loan agreements: draft -> signed (with its promissory note) -> in force (handover) -> ended or
terminated, the return of the equipment and the release of the note; every refused step
leaves the database as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse

from lebork_einclusion import roles
from lending import queries, rules
from lending.models import Asset, AssetEvent, LoanAgreement, Participant, PromissoryNote
from lending.services import agreements

from .conftest import DAY, snapshot


def test_the_demo_agreements_lived_through_the_durability_period(db):
    """Every agreement extended by an annex to 31.12.2018; the agreements of the household that
    resigned in 2013 and of the one excluded in 2014 terminated (their notes returned). The test
    database's demo stands on 31.12.2018: no decision is recorded at the durability end yet
    (the closure is dated 02.01.2019)."""
    by_status = dict(
        LoanAgreement.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    assert by_status == {"active": 75, "terminated": 2}
    active = LoanAgreement.objects.filter(status="active")
    agreement = active.select_related("note").order_by("number").first()
    assert agreement.number == "UU/2012/001"
    assert agreement.handed_over_on.year == 2012 and agreement.handed_over_on.month in (11, 12)
    annex = agreement.annexes.get()
    assert annex.previous_end == rules.term_end(agreement.handed_over_on)
    assert agreement.ends_on == annex.new_end == datetime.date(2018, 12, 31)
    assert agreement.note.status == "in_custody"
    notes = dict(
        PromissoryNote.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    assert notes == {"in_custody": 75, "returned": 2}
    assert agreement.note.max_amount == agreement.items.get(asset__kind="computer_set").asset.value


def test_the_term_is_three_years_from_the_handover():
    assert rules.term_end(datetime.date(2012, 11, 28)) == datetime.date(2015, 11, 28)
    assert rules.term_end(datetime.date(2012, 2, 29)) == datetime.date(2015, 2, 28)


def test_a_full_agreement_from_draft_to_the_released_note(bare_participant, stock, coordinator):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    assert agreement.status == "draft"
    assert agreement.obligations == rules.OBLIGATIONS
    assert agreement.number.startswith("UU/2013/")

    agreements.do_sign_agreement(
        agreement,
        DAY,
        spouse_name="Jan Małżonek",
        spouse_document_number="ABC654321",
        spouse_consent=True,
        actor=coordinator,
    )
    agreement.refresh_from_db()
    note = agreement.note
    assert agreement.status == "signed"
    assert (note.status, note.issuer, note.spouse_name) == (
        "in_custody",
        bare_participant.signatory,
        "Jan Małżonek",
    )
    assert note.max_amount == sum(a.value for a in stock)

    handover = DAY + datetime.timedelta(days=2)
    agreements.do_hand_over(agreement, handover, actor=coordinator)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ends_on) == ("active", datetime.date(2016, 3, 6))
    assert set(queries.lent_assets(bare_participant)) == set(stock)
    for asset in stock:
        asset.refresh_from_db()
        assert (asset.status, asset.participant) == ("lent", bare_participant)
        assert asset.history.filter(kind="assigned", participant=bare_participant).exists()

    ended = handover + datetime.timedelta(days=10)
    agreements.do_end_agreement(agreement, ended, "Koniec okresu.", actor=coordinator)
    agreement.refresh_from_db()
    assert agreement.status == "ended"
    assert {i.return_due_on for i in agreement.items.all()} == {ended + datetime.timedelta(days=14)}

    agreements.do_record_return(
        agreement,
        [(stock[0], "worn", ""), (stock[1], "damaged", "pęknięta obudowa")],
        ended,
        actor=coordinator,
    )
    stock[1].refresh_from_db()
    assert (stock[1].status, stock[1].condition, stock[1].participant) == (
        "in_stock",
        "damaged",
        None,
    )
    assert agreements.note_release_refusal(note) is None
    agreements.do_release_note(
        note, "destroyed", ended, "Zniszczony komisyjnie, protokół 2/2013.", actor=coordinator
    )
    note.refresh_from_db()
    assert (note.status, note.released_by) == ("destroyed", coordinator)


# --- bad input: a clear message, nothing changed ---------------------------------------------------


def test_a_serial_already_assigned_is_refused(bare_participant, other_agreement, coordinator):
    agreement = other_agreement
    lent = agreement.items.get(asset__kind="computer_set").asset
    before = snapshot()
    with pytest.raises(
        ValidationError,
        match=f"Numer seryjny {lent.serial_number} jest już przypisany w umowie {agreement.number}",
    ):
        agreements.do_create_agreement(bare_participant, [lent], DAY, actor=coordinator)
    assert snapshot() == before


def test_the_form_shows_the_assigned_serial_next_to_the_field(
    client, bare_participant, other_agreement, make_user
):
    client.force_login(make_user(roles.ASSISTANT))
    lent = other_agreement.items.get(asset__kind="computer_set").asset
    before = snapshot()
    # The form offers only stock; a forged POST naming a lent asset is refused by the form.
    response = client.post(
        reverse("lending:agreement_new", args=[bare_participant.pk]),
        {"assets": [lent.pk], "drafted_on": DAY.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["assets"]
    assert snapshot() == before


def test_handover_before_the_agreement_is_signed_is_refused(bare_participant, stock, coordinator):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    before = snapshot()
    with pytest.raises(
        ValidationError, match="nie jest jeszcze podpisana: sprzęt przekazuje się po podpisaniu"
    ):
        agreements.do_hand_over(agreement, DAY, actor=coordinator)
    assert snapshot() == before


def test_handover_dated_before_the_signature_is_refused(
    client, bare_participant, stock, coordinator
):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    agreements.do_sign_agreement(agreement, DAY + datetime.timedelta(days=3), actor=coordinator)
    before = snapshot()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_handover", args=[agreement.pk]),
        {"handed_over_on": DAY.isoformat()},
    )
    assert response.status_code == 200
    assert "Przekazanie nie może nastąpić przed podpisaniem umowy" in str(
        response.context["form"].errors["handed_over_on"]
    )
    assert snapshot() == before


def test_an_agreement_for_an_applicant_not_on_the_main_list_is_refused(call, stock, coordinator):
    """A household that is not on the latest main list (here: it resigned) gets no agreement,
    and neither does a participant row made behind the services' back for a reserve applicant."""
    resigned = Participant.objects.get(status="resigned")
    before = snapshot()
    with pytest.raises(
        ValidationError, match="nie znajduje się na zatwierdzonej liście podstawowej"
    ):
        agreements.do_create_agreement(resigned, stock, DAY, actor=coordinator)
    assert snapshot() == before

    from recruitment.queries import latest_version

    reserve = latest_version(call).entries.filter(status="reserve").first().application
    forged = Participant.objects.create(
        application=reserve, signatory=reserve.members.first(), joined_on=DAY
    )
    before = snapshot()
    with pytest.raises(
        ValidationError,
        match=f"Wniosek {reserve.number} nie znajduje się na zatwierdzonej liście podstawowej",
    ):
        agreements.do_create_agreement(forged, stock, DAY, actor=coordinator)
    assert snapshot() == before


def test_ending_an_agreement_twice_is_refused(client, agreement, coordinator):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    before = snapshot()
    with pytest.raises(ValidationError, match=f"Umowa {agreement.number} została już zakończona"):
        agreements.do_end_agreement(agreement, DAY, "Jeszcze raz.", actor=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_end", args=[agreement.pk]),
        {"ended_on": DAY.isoformat(), "reason": "Jeszcze raz."},
    )
    assert "została już zakończona" in response.content.decode()
    assert snapshot() == before


def test_a_return_of_an_asset_not_lent_to_that_participant_is_refused(agreement, coordinator):
    other = (
        Asset.objects.filter(status="lent")
        .exclude(participant=agreement.participant)
        .order_by("pk")
        .first()
    )
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    before = snapshot()
    with pytest.raises(
        ValidationError,
        match=f"Sprzęt o numerze seryjnym {other.serial_number} nie jest użyczony temu gospodarstwu",
    ):
        agreements.do_record_return(agreement, [(other, "good", "")], DAY, actor=coordinator)
    assert snapshot() == before


def test_a_return_with_one_wrong_serial_saves_none_of_the_others(agreement, coordinator):
    own = agreement.items.get(asset__kind="computer_set").asset
    other = Asset.objects.filter(status="at_unit").first()
    before = snapshot()
    with pytest.raises(ValidationError):
        agreements.do_record_return(
            agreement, [(own, "good", ""), (other, "good", "")], DAY, actor=coordinator
        )
    assert snapshot() == before


def test_the_note_stays_in_custody_while_equipment_is_out(agreement, coordinator):
    note = agreement.note
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    before = snapshot()
    with pytest.raises(ValidationError, match="Nie cały sprzęt z umowy"):
        agreements.do_release_note(note, "returned", DAY, "Zwrot.", actor=coordinator)
    assert snapshot() == before


def test_a_draft_cannot_be_signed_twice_and_a_signed_one_not_cancelled(
    bare_participant, stock, coordinator
):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    agreements.do_sign_agreement(agreement, DAY, actor=coordinator)
    before = snapshot()
    with pytest.raises(ValidationError, match="podpisać można tylko projekt"):
        agreements.do_sign_agreement(agreement, DAY, actor=coordinator)
    with pytest.raises(ValidationError, match="Anulować można tylko projekt"):
        agreements.do_cancel_draft(agreement, actor=coordinator)
    assert snapshot() == before
    assert PromissoryNote.objects.filter(agreement=agreement).count() == 1


# --- the pages ---------------------------------------------------------------------------------------


def test_the_office_prepares_signs_and_hands_over_through_the_pages(
    client, bare_participant, stock, make_user
):
    client.force_login(make_user(roles.ASSISTANT))
    response = client.post(
        reverse("lending:agreement_new", args=[bare_participant.pk]),
        {"assets": [a.pk for a in stock], "drafted_on": DAY.isoformat()},
    )
    agreement = LoanAgreement.objects.get(participant=bare_participant, status="draft")
    assert response["Location"] == reverse("lending:agreement_detail", args=[agreement.pk])
    client.post(
        reverse("lending:agreement_sign", args=[agreement.pk]),
        {
            "signed_on": DAY.isoformat(),
            "issuer_document_type": "id_card",
            "issuer_document_number": "ABC123456",
            "confirm": "on",
        },
    )
    client.post(
        reverse("lending:agreement_handover", args=[agreement.pk]),
        {"handed_over_on": DAY.isoformat()},
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ends_on) == ("active", datetime.date(2016, 3, 4))
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    for asset in stock:
        assert asset.serial_number in page


def test_the_return_page_records_the_ticked_assets(client, agreement, coordinator):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    item = agreement.items.get(asset__kind="computer_set")
    router = agreement.items.get(asset__kind="router")
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_return", args=[agreement.pk]),
        {
            "returned_on": DAY.isoformat(),
            f"back_{item.pk}": "on",
            f"condition_{item.pk}": "worn",
            f"note_{item.pk}": "ok",
            f"condition_{router.pk}": "worn",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.returned_on, item.return_condition, item.return_note) == (DAY, "worn", "ok")
    assert AssetEvent.objects.filter(asset=item.asset, kind="returned", date=DAY).exists()


def test_nothing_ticked_on_the_return_page_is_refused(client, agreement, coordinator):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    item = agreement.items.get(asset__kind="computer_set")
    router = agreement.items.get(asset__kind="router")
    before = snapshot()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_return", args=[agreement.pk]),
        {
            "returned_on": DAY.isoformat(),
            f"condition_{item.pk}": "worn",
            f"condition_{router.pk}": "worn",
        },
    )
    assert "Zaznacz zwrócony sprzęt." in response.content.decode()
    assert snapshot() == before


def test_the_agreement_list_is_bounded_in_queries(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(roles.MONITORING))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lending:agreement_list"))
    # 75 in force, the one of the household that resigned in 2013 and the one of the household
    # excluded in 2014 (each with its note).
    assert response.context["page"].paginator.count == 77
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lending:note_list"))
    assert response.context["page"].paginator.count == 77


def test_the_agreement_list_finds_an_agreement_by_serial(client, agreement, make_user):
    client.force_login(make_user(roles.AUDITOR))
    serial = agreement.items.get(asset__kind="computer_set").asset.serial_number
    response = client.get(reverse("lending:agreement_list"), {"q": serial})
    assert list(response.context["page"]) == [agreement]


def test_the_value_of_the_note_is_the_value_of_the_equipment_signed_for(db):
    note = PromissoryNote.objects.select_related("agreement").first()
    # The router joined with the connection, after the note was issued.
    items = note.agreement.items.exclude(asset__kind="router")
    total = sum((i.asset.value for i in items), start=Decimal("0"))
    assert note.max_amount == total
