"""The protocols of handover for ownership archived as signed: the transfer (one agreement or
every one in force) renders no PDF in its request; it queues a background task after the commit
that stores each protocol once (with its SHA-256); a protocol the task has not stored is stored
on its first opening; either way it is served byte for byte ever after."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from lebork_einclusion import archive
from lebork_einclusion.models import ArchivedPaper
from lending import papers
from lending.models import LoanAgreement, OwnershipTransfer
from lending.services.transfers import do_transfer_ownership
from recruitment.models import Application
from tests.helpers import snapshot

from .test_papers import pdf_text

DURABILITY_END = datetime.date(2018, 12, 31)
BASIS = "Zarządzenie nr 1/2019 Burmistrza Miasta Lęborka z 2.01.2019 r."


@pytest.fixture
def renders(monkeypatch):
    """Every PDF lending renders, counted by template (a cheap stand-in for WeasyPrint)."""
    calls = []

    def fake_render(template, context):
        calls.append(template)
        number = context["agreement"].number
        return f"%PDF-1.7 {template} {number} {context['application'].street}".encode()

    monkeypatch.setattr(papers, "render_pdf", fake_render)
    return calls


def transfer_papers():
    return ArchivedPaper.objects.filter(kind=papers.TRANSFER)


def test_the_transfer_of_all_renders_nothing_and_its_task_archives_each_protocol(
    client, coordinator, renders, django_capture_on_commit_callbacks
):
    in_force = LoanAgreement.objects.filter(status="active").count()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("lending:transfer_all"),
            {"transferred_on": "2019-01-02", "basis": BASIS, "confirm": "on"},
        )
    assert response.status_code == 302
    assert OwnershipTransfer.objects.count() == in_force == 75
    # The request rendered no protocol and stored none: the task is queued at the commit.
    assert renders == []
    assert not transfer_papers().exists()
    assert callbacks

    for callback in callbacks:  # the commit: the (immediate, in tests) task runs
        callback()
    assert renders == ["lending/pdf/transfer.html"] * 75
    stored = {paper.object_id: paper for paper in transfer_papers()}
    assert set(stored) == set(OwnershipTransfer.objects.values_list("pk", flat=True))
    for transfer in OwnershipTransfer.objects.select_related("agreement"):
        paper = stored[transfer.pk]
        content = archive.stored_bytes(paper)
        assert hashlib.sha256(content).hexdigest() == paper.sha256
        assert transfer.agreement.number.encode() in content
        assert paper.archived_by == coordinator

    # The task run again (a retry, a second worker) stores and renders nothing more.
    before = snapshot((ArchivedPaper, "pk", "sha256", "file", "archived_at"))
    for callback in callbacks:
        callback()
    assert len(renders) == 75
    assert snapshot((ArchivedPaper, "pk", "sha256", "file", "archived_at")) == before


def test_the_task_stores_only_what_is_missing_and_goes_on_past_a_failure(
    agreement, other_agreement, coordinator, renders, monkeypatch
):
    first = do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    second = do_transfer_ownership(other_agreement, DURABILITY_END, BASIS, actor=coordinator)
    assert papers.archive_transfers.call([first.pk], coordinator.pk) == 1
    real = papers.transfer_pdf

    def failing(transfer):
        if transfer.pk == first.pk:
            raise AssertionError("the first one is archived already: never rendered again")
        return real(transfer)

    monkeypatch.setattr(papers, "transfer_pdf", failing)
    assert papers.archive_transfers.call([first.pk, second.pk], coordinator.pk) == 1
    assert transfer_papers().count() == 2

    # A protocol that cannot be made is logged; the others are stored (it is stored later,
    # on its first opening).
    third = do_transfer_ownership(
        LoanAgreement.objects.filter(status="active").order_by("number").first(),
        DURABILITY_END,
        BASIS,
        actor=coordinator,
    )
    monkeypatch.setattr(papers, "transfer_pdf", lambda transfer: 1 / 0)
    assert papers.archive_transfers.call([third.pk], None) == 0
    assert archive.find(third, papers.TRANSFER) is None


def test_a_transfer_archived_then_the_address_changed_gives_the_same_bytes(
    client, agreement, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lending:agreement_transfer", args=[agreement.pk]),
            {"transferred_on": "2018-12-31", "basis": BASIS, "confirm": "on"},
        )
    assert response.status_code == 302
    transfer = OwnershipTransfer.objects.get(agreement=agreement)
    stored = archive.find(transfer, papers.TRANSFER)
    assert stored is not None  # archived by the task, before anyone opened it
    signed = archive.stored_bytes(stored)
    assert "PROTOKÓŁ PRZEKAZANIA NA WŁASNOŚĆ" in pdf_text(signed)

    Application.objects.filter(pk=agreement.participant.application_id).update(
        street="ul. Zupełnie Nowa"
    )
    opened = client.get(reverse("lending:transfer_pdf", args=[transfer.pk]))
    assert opened.content == signed
    assert opened["X-Content-SHA256"] == stored.sha256
    # A fresh rendering would print the new address: the archive kept the old one.
    assert "ul. Zupełnie Nowa" in pdf_text(papers.transfer_pdf(transfer))
    assert "ul. Zupełnie Nowa" not in pdf_text(opened.content)


def test_a_protocol_the_task_did_not_store_is_stored_on_its_first_opening(
    client, agreement, coordinator, renders
):
    # Outside a commit (the task never ran): nothing archived yet.
    transfer = do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    assert archive.find(transfer, papers.TRANSFER) is None
    client.force_login(coordinator)
    url = reverse("lending:transfer_pdf", args=[transfer.pk])
    first = client.get(url)
    stored = archive.find(transfer, papers.TRANSFER)
    assert stored is not None and first.content == archive.stored_bytes(stored)
    Application.objects.filter(pk=agreement.participant.application_id).update(
        street="ul. Zupełnie Nowa"
    )
    second = client.get(url)
    assert second.content == first.content
    assert b"Zupe" not in second.content
    assert len(renders) == 1


def test_the_demo_s_transfers_under_a_suspended_archive_queue_nothing(
    agreement, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, archive.suspended():
        do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    assert callbacks == []
