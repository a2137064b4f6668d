"""Lending's irreversible steps (the signature, the annex's signature, the transfer of
ownership, filling in, returning or destroying the note, the write-off) ask for a
confirmation the server checks: without it the step is refused with a Polish message next to
the box and nothing changes (tests/core/test_irreversible_steps.py enumerates the steps)."""

import datetime

import pytest
from django.urls import reverse

from lebork_einclusion import archive
from lending.models import AgreementAnnex
from lending.services import agreements
from lending.services.annexes import do_draft_annex

from .conftest import DAY, snapshot


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def draft(bare_participant, stock, coordinator):
    return agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)


def assert_refused(office, url, data, message):
    before = snapshot()
    response = office.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_signature_without_the_confirmation_signs_nothing(office, draft):
    url = reverse("lending:agreement_sign", args=[draft.pk])
    assert "Potwierdzam: umowa i weksel zostały podpisane" in office.get(url).content.decode()
    data = {
        "signed_on": DAY.isoformat(),
        "issuer_document_type": "id_card",
        "issuer_document_number": "ABC123456",
    }
    assert_refused(office, url, data, "Potwierdź podpisanie: podpisanej umowy nie można cofnąć.")
    assert archive.papers_of(draft) == []
    response = office.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.signed_on == DAY


def test_a_transfer_without_the_confirmation_transfers_nothing(office, agreement):
    url = reverse("lending:agreement_transfer", args=[agreement.pk])
    data = {"transferred_on": "2018-12-31", "basis": "Zarządzenie nr 1/2019."}
    assert_refused(office, url, data, "Potwierdź przekazanie na własność: tego nie można cofnąć.")
    assert_refused(
        office,
        reverse("lending:transfer_all"),
        data,
        "Potwierdź przekazanie na własność: tego nie można cofnąć.",
    )


def test_the_note_is_neither_filled_in_nor_destroyed_without_the_confirmation(office, agreement):
    note = agreement.note
    assert_refused(
        office,
        reverse("lending:note_release", args=[note.pk]),
        {"status": "destroyed", "released_on": DAY.isoformat(), "record": "Zniszczono."},
        "Potwierdź zwrot albo zniszczenie weksla: tego nie można cofnąć.",
    )
    assert_refused(
        office,
        reverse("lending:note_fill_in", args=[note.pk]),
        {"filled_on": DAY.isoformat(), "amount": "100.00"},
        "Potwierdź wypełnienie weksla: tego nie można cofnąć.",
    )


def test_a_write_off_without_the_confirmation_keeps_the_asset(office, stock):
    assert_refused(
        office,
        reverse("lending:asset_write_off", args=[stock[0].pk]),
        {"written_off_on": DAY.isoformat(), "reason": "Kradzież."},
        "Potwierdź skreślenie z ewidencji: tego nie można cofnąć.",
    )


def test_an_annex_is_not_signed_without_the_confirmation(office, draft, coordinator):
    agreements.do_sign_agreement(
        draft,
        DAY,
        actor=coordinator,
        issuer_document_type="id_card",
        issuer_document_number="ABC123456",
    )
    agreements.do_hand_over(draft, DAY, actor=coordinator)
    draft.refresh_from_db()
    drafted = draft.ends_on - datetime.timedelta(days=40)
    annex = do_draft_annex(
        draft, datetime.date(2018, 12, 31), "Trwałość projektu.", drafted, actor=coordinator
    )
    assert_refused(
        office,
        reverse("lending:annex_sign", args=[annex.pk]),
        {"signed_on": drafted.isoformat()},
        "Potwierdź podpisanie aneksu: tego nie można cofnąć.",
    )
    assert AgreementAnnex.objects.get(pk=annex.pk).signed_on is None


def test_a_draft_is_not_cancelled_without_the_confirmation(office, draft):
    from lending.models import LoanAgreement

    url = reverse("lending:agreement_cancel", args=[draft.pk])
    page = office.get(reverse("lending:agreement_detail", args=[draft.pk])).content.decode()
    assert 'name="confirm"' in page and "Potwierdzam: projekt umowy zostaje usunięty" in page
    before = snapshot()
    response = office.post(url, follow=True)
    assert "Potwierdź anulowanie projektu umowy: tego nie można cofnąć." in (
        response.content.decode()
    )
    assert snapshot() == before
    office.post(url, {"confirm": "on"})
    assert not LoanAgreement.objects.filter(pk=draft.pk).exists()
