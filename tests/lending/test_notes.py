"""Promissory notes to the letter of their declaration: each step in the note's history; filled
in only for an open claim, up to its maximum, at least 7 days after a registered-letter notice;
returned or destroyed (with its protocol) once the obligations end, never while equipment is out."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import archive
from lebork_einclusion.models import ArchivedPaper
from lending import papers, queries
from lending.models import DamageClaim, PromissoryNote, PromissoryNoteStep
from lending.services import agreements
from lending.services import equipment as equipment_services
from lending.services.notes import do_fill_in_note, do_record_notice
from recruitment.models import Application
from tests import helpers

from .conftest import DAY, snapshot
from .test_papers import pdf_text

WEEK = datetime.timedelta(days=7)


def state():
    return {
        **snapshot(),
        **helpers.snapshot(
            (PromissoryNote, "pk", "status", "released_on", "version"),
            (PromissoryNoteStep, "pk"),
            (DamageClaim, "pk", "status"),
        ),
    }


@pytest.fixture
def claim(participant, agreement, coordinator):
    asset = queries.lent_assets(participant).get(kind="computer_set")
    return equipment_services.do_open_damage_claim(
        asset,
        "Zestaw sprzedany osobie trzeciej.",
        kind="replacement",
        occurred_on=DAY,
        amount=Decimal("2433.87"),
        actor=coordinator,
    )


def test_the_note_s_history_starts_when_it_is_handed_in(agreement):
    step = agreement.note.steps.get()
    assert (step.kind, step.date) == ("handed_in", agreement.signed_on)
    assert "sejf" in step.description


def test_a_note_is_filled_in_after_the_notice_up_to_its_maximum(agreement, claim, coordinator):
    note = agreement.note
    do_record_notice(note, DAY, "RR 123456789 PL", actor=coordinator)
    do_fill_in_note(note, DAY + WEEK, note.max_amount, "Koszt nowego zestawu.", actor=coordinator)
    note.refresh_from_db()
    assert (note.status, note.released_on) == ("filled_in", DAY + WEEK)
    steps = list(note.steps.values_list("kind", "date", "letter_number", "amount"))
    assert steps == [
        ("handed_in", agreement.signed_on, "", None),
        ("notice", DAY, "RR 123456789 PL", None),
        ("filled_in", DAY + WEEK, "", note.max_amount),
    ]


def test_the_coordinator_records_notice_and_filling_in_through_the_pages(
    client, agreement, claim, coordinator
):
    note = agreement.note
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:note_notice", args=[note.pk]),
        {"sent_on": DAY.isoformat(), "letter_number": "RR 1 PL"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("lending:note_fill_in", args=[note.pk]),
        {
            "filled_on": (DAY + WEEK).isoformat(),
            "amount": "1000.00",
            "description": "",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "filled_in"
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    assert "RR 1 PL" in page and "zawiadomienie wystawcy przed wypełnieniem" in page


def _released(agreement, coordinator, status):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    # Everything lent comes back: the computer set and the router lent with the connection.
    returns = [(item.asset, "worn", "") for item in agreement.items.select_related("asset")]
    assert len(returns) == 2
    agreements.do_record_return(agreement, returns, DAY, actor=coordinator)
    note = agreement.note
    agreements.do_release_note(
        note, status, DAY + WEEK, "W obecności dwóch pracowników Biura Projektu.", actor=coordinator
    )
    note.refresh_from_db()
    return note


@pytest.mark.parametrize(
    ("status", "title"),
    [
        ("returned", "PROTOKÓŁ ZWROTU WEKSLA"),
        ("destroyed", "PROTOKÓŁ ZNISZCZENIA WEKSLA"),
    ],
)
def test_a_released_note_has_its_step_and_its_protocol(agreement, coordinator, status, title):
    note = _released(agreement, coordinator, status)
    assert note.steps.filter(kind=status, date=DAY + WEEK).exists()
    text = pdf_text(papers.note_protocol_pdf(note))
    assert title in text
    assert note.number in text and agreement.number in text
    assert f"{note.issuer.first_name} {note.issuer.last_name}" in text
    assert "W obecności dwóch pracowników" in text


def test_the_protocol_is_served_only_for_a_released_note(client, agreement, coordinator):
    client.force_login(coordinator)
    url = reverse("lending:note_protocol_pdf", args=[agreement.note.pk])
    assert client.get(url).status_code == 404
    _released(agreement, coordinator, "destroyed")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"


def test_the_protocol_is_archived_at_the_release_and_served_as_it_was(
    client, agreement, coordinator, django_capture_on_commit_callbacks
):
    """The protocol binds when the return or destruction is recorded: stored then (once, with
    its SHA-256); an address or a record changed afterwards does not alter what is served."""
    with django_capture_on_commit_callbacks(execute=True):
        note = _released(agreement, coordinator, "returned")
    stored = archive.find(note, papers.NOTE_PROTOCOL)
    assert stored is not None and stored.archived_by == coordinator
    signed = archive.stored_bytes(stored)
    assert hashlib.sha256(signed).hexdigest() == stored.sha256
    text = pdf_text(signed)
    assert "PROTOKÓŁ ZWROTU WEKSLA" in text and "PROJEKT" not in text

    Application.objects.filter(pk=agreement.participant.application_id).update(
        street="ul. Zupełnie Nowa"
    )
    PromissoryNote.objects.filter(pk=note.pk).update(release_record="Zapis zmieniony później.")
    client.force_login(coordinator)
    response = client.get(reverse("lending:note_protocol_pdf", args=[note.pk]))
    assert response.content == signed
    assert response["X-Content-SHA256"] == stored.sha256
    # A fresh rendering would print the changed data: the archive is what kept the paper.
    fresh = pdf_text(papers.note_protocol_pdf(PromissoryNote.objects.get(pk=note.pk)))
    assert "ul. Zupełnie Nowa" in fresh and "Zapis zmieniony później." in fresh
    served = pdf_text(response.content)
    assert "ul. Zupełnie Nowa" not in served and "Zapis zmieniony później." not in served
    assert ArchivedPaper.objects.filter(kind=papers.NOTE_PROTOCOL).count() == 1


def test_a_protocol_released_before_the_archive_is_stored_on_its_first_opening(
    client, agreement, coordinator
):
    note = _released(agreement, coordinator, "destroyed")  # no commit: nothing stored
    assert archive.find(note, papers.NOTE_PROTOCOL) is None
    client.force_login(coordinator)
    url = reverse("lending:note_protocol_pdf", args=[note.pk])
    first = client.get(url)
    stored = archive.find(note, papers.NOTE_PROTOCOL)
    assert stored is not None and first.content == archive.stored_bytes(stored)
    assert "PROTOKÓŁ ZNISZCZENIA WEKSLA" in pdf_text(first.content)
    PromissoryNote.objects.filter(pk=note.pk).update(release_record="Zapis zmieniony później.")
    assert client.get(url).content == first.content


def test_a_refused_release_archives_nothing(
    agreement, coordinator, django_capture_on_commit_callbacks
):
    note = agreement.note  # the equipment is still out: the release is refused
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        agreements.do_release_note(note, "returned", DAY, "Zwrot.", actor=coordinator)
    assert archive.find(note, papers.NOTE_PROTOCOL) is None


# --- bad input: a clear message next to the field, nothing changed -------------------------------


def test_filling_in_above_the_maximum_is_refused_next_to_the_amount(
    client, agreement, claim, coordinator
):
    note = agreement.note
    do_record_notice(note, DAY, "RR 1 PL", actor=coordinator)
    before = state()
    too_much = note.max_amount + Decimal("0.01")
    with pytest.raises(ValidationError, match="nie może przekroczyć sumy maksymalnej weksla"):
        do_fill_in_note(note, DAY + WEEK, too_much, actor=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:note_fill_in", args=[note.pk]),
        {"filled_on": (DAY + WEEK).isoformat(), "amount": str(too_much), "confirm": "on"},
    )
    assert "nie może przekroczyć sumy maksymalnej weksla" in str(
        response.context["form"].errors["amount"]
    )
    assert state() == before


def test_filling_in_without_a_notice_is_refused(client, agreement, claim, coordinator):
    note = agreement.note
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:note_fill_in", args=[note.pk]),
        {"filled_on": (DAY + WEEK).isoformat(), "amount": "100.00", "confirm": "on"},
    )
    assert "Wystawca nie został zawiadomiony" in str(response.context["form"].errors["filled_on"])
    assert state() == before


@pytest.mark.parametrize("days_after", [0, 1, 6])
def test_filling_in_fewer_than_7_days_after_the_notice_is_refused(
    agreement, claim, coordinator, days_after
):
    note = agreement.note
    do_record_notice(note, DAY, "RR 1 PL", actor=coordinator)
    before = state()
    with pytest.raises(ValidationError, match="co najmniej 7 dni później") as refused:
        do_fill_in_note(
            note, DAY + datetime.timedelta(days=days_after), Decimal("100"), actor=coordinator
        )
    assert "filled_on" in refused.value.message_dict
    assert state() == before


def test_enforcing_a_claim_without_the_notice_is_refused(agreement, claim, coordinator):
    before = state()
    with pytest.raises(ValidationError, match="Wystawca nie został zawiadomiony"):
        equipment_services.do_settle_claim(claim, "enforced", DAY, "x", actor=coordinator)
    assert state() == before


def test_filling_in_without_an_open_claim_is_refused(agreement, coordinator):
    note = agreement.note
    do_record_notice(note, DAY, "RR 1 PL", actor=coordinator)
    before = state()
    with pytest.raises(ValidationError, match="zabezpiecza wyłącznie roszczenia z § 6 pkt 3 i 4"):
        do_fill_in_note(note, DAY + WEEK, Decimal("100"), actor=coordinator)
    assert state() == before


def test_a_notice_without_the_letter_number_is_refused(client, agreement, coordinator):
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:note_notice", args=[agreement.note.pk]),
        {"sent_on": DAY.isoformat(), "letter_number": ""},
    )
    assert response.context["form"].errors["letter_number"]
    assert state() == before


def test_returning_a_note_while_the_equipment_is_lent_is_refused(client, agreement, coordinator):
    note = agreement.note
    before = state()
    with pytest.raises(ValidationError, match=f"Umowa {agreement.number} nadal obowiązuje"):
        agreements.do_release_note(note, "returned", DAY, "Zwrot.", actor=coordinator)
    # Ended, but the set still at home.
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:note_release", args=[note.pk]),
        {
            "status": "returned",
            "released_on": DAY.isoformat(),
            "record": "Zwrot.",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "Nie cały sprzęt z umowy" in response.content.decode()
    assert state() == before


def test_returning_a_note_while_the_router_is_still_out_is_refused(agreement, coordinator):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    computer = agreement.items.get(asset__kind="computer_set").asset
    agreements.do_record_return(agreement, [(computer, "worn", "")], DAY, actor=coordinator)
    note = agreement.note
    before = state()
    with pytest.raises(ValidationError, match="Nie cały sprzęt z umowy"):
        agreements.do_release_note(note, "returned", DAY, "Zwrot.", actor=coordinator)
    assert state() == before
