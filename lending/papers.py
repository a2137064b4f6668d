"""Lending's papers: the loan agreement, the promissory-note declaration, the handover and the
return protocols, one agreement's set in one PDF, and all the agreements of a call in one PDF
made in the background (lebork_einclusion.background)."""

import logging
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import archive, clock, signatories
from lebork_einclusion.background import job_folder, run_generation, start_generation, task
from lebork_einclusion.models import Project
from lebork_einclusion.office_language import in_office_language
from lebork_einclusion.pdf import render_pdf, render_pdf_files

from . import rules
from .models import AgreementAnnex, Connection, LoanAgreement, OwnershipTransfer, PromissoryNote

PACKET = "lending/pdf/packet.html"

logger = logging.getLogger("einclusion.lending")


def _agreements():
    return LoanAgreement.objects.select_related(
        "participant__application__call",
        "signatory",
        "note",
        "created_by",
        "representative",
        "countersigned_by",
    )


def agreement_context(agreement: LoanAgreement, project=None, items=None) -> dict:
    items = (
        items
        if items is not None
        else list(agreement.items.select_related("asset").order_by("asset__serial_number"))
    )
    application = agreement.participant.application
    try:
        note = agreement.note
    except PromissoryNote.DoesNotExist:
        note = None
    total = sum((item.asset.value for item in items), start=Decimal("0"))
    project = project or Project.current()
    return {
        "project": project,
        "owner_genitive": project.owner_name_genitive or project.owner_name,
        "owner_instrumental": project.owner_name_instrumental or project.owner_name,
        "owner_seat": project.owner_seat or project.owner_address,
        "signing": _signing(agreement),
        "connection": _connection(agreement),
        "agreement": agreement,
        "application": application,
        "signatory": agreement.signatory,
        "items": items,
        "note": note,
        "total": total,
        "max_amount": note.max_amount if note else total,
        "obligations": rules.obligations_list(agreement.obligations),
        "return_days": rules.RETURN_DAYS,
        "returned": [item for item in items if item.returned_on],
        "outstanding": [item for item in items if item.handed_over_on and not item.returned_on],
        "printed_at": timezone.localtime(clock.now()),
    }


def _signing(agreement: LoanAgreement):
    """Who signs for the town: those recorded at the signature, else (a draft) today's."""
    if agreement.representative_id and agreement.countersigned_by_id:
        return signatories.Signatories(agreement.representative, agreement.countersigned_by)
    return signatories.for_day_or_none(agreement.signed_on or clock.today())


def _connection(agreement: LoanAgreement):
    """The household's Internet connection of the agreement's term, when it is installed."""
    return (
        Connection.objects.filter(participant=agreement.participant_id)
        .select_related("contract__supplier")
        .order_by("-installed_on", "-pk")
        .first()
    )


def filename(agreement: LoanAgreement, what: str) -> str:
    return f"{what}-{agreement.number.replace('/', '-')}.pdf"


@in_office_language
def agreement_pdf(agreement: LoanAgreement, draft: bool = False) -> bytes:
    """The agreement with its declaration and handover protocol: what the household signs."""
    return render_pdf(PACKET, {**agreement_context(agreement), "draft": draft})


@in_office_language
def declaration_pdf(agreement: LoanAgreement, draft: bool = False) -> bytes:
    return render_pdf(
        "lending/pdf/declaration.html", {**agreement_context(agreement), "draft": draft}
    )


@in_office_language
def handover_pdf(agreement: LoanAgreement, draft: bool = False) -> bytes:
    return render_pdf("lending/pdf/handover.html", {**agreement_context(agreement), "draft": draft})


@in_office_language
def return_pdf(agreement: LoanAgreement, draft: bool = False) -> bytes:
    """The return protocol. Printed before the return, it is a form: the dates, the condition
    and the place are blank lines to fill in by hand (issue 16: a paper says what is true)."""
    context = agreement_context(agreement)
    dates = [item.returned_on for item in context["returned"]]
    due = [item.return_due_on for item in context["outstanding"] if item.return_due_on]
    return render_pdf(
        "lending/pdf/return.html",
        {
            **context,
            "draft": draft,
            "returned_on": max(dates) if dates and not context["outstanding"] else None,
            "return_due_on": max(due) if due else None,
        },
    )


# The agreement's papers in the archive (lebork_einclusion.archive): kind -> (render, file name,
# when the paper is binding). The agreement and its declaration bind at the signature, the
# handover protocol at the handover, the return protocol once everything handed over is back.
AGREEMENT = archive.register_kind("lending.agreement", gettext_lazy("loan agreement (signed set)"))
DECLARATION = archive.register_kind(
    "lending.declaration", gettext_lazy("promissory-note declaration")
)
HANDOVER = archive.register_kind("lending.handover", gettext_lazy("handover protocol"))
RETURN = archive.register_kind("lending.return", gettext_lazy("return protocol"))


def _returned(agreement: LoanAgreement) -> bool:
    items = agreement.items.filter(handed_over_on__isnull=False)
    return items.exists() and not items.filter(returned_on__isnull=True).exists()


PAPERS = {
    AGREEMENT: (agreement_pdf, "umowa-uzyczenia", lambda a: a.signed_on is not None),
    DECLARATION: (declaration_pdf, "deklaracja-wekslowa", lambda a: a.signed_on is not None),
    HANDOVER: (handover_pdf, "protokol-przekazania", lambda a: a.handed_over_on is not None),
    RETURN: (return_pdf, "protokol-zwrotu", _returned),
}


def archive_binding(agreement: LoanAgreement, *kinds: str, actor) -> None:
    """Store the agreement's papers that have just become binding, once the step commits."""
    for kind in kinds:
        render, _name, binding = PAPERS[kind]
        if binding(agreement):
            archive.store_on_commit(
                agreement, kind, lambda draft, r=render: r(agreement, draft=draft), actor=actor
            )


def paper_response(request, agreement: LoanAgreement, kind: str):
    """One of the agreement's papers: as archived when binding, else a live draft."""
    render, name, binding = PAPERS[kind]
    return archive.paper_response(
        request,
        agreement,
        kind,
        lambda draft: render(agreement, draft=draft),
        filename(agreement, name),
        binding=binding(agreement),
    )


@in_office_language
def annex_pdf(annex, draft: bool = False) -> bytes:
    """The annex changing the agreement's term (§3). The town is represented by who holds
    office on the annex's date (its signature; a draft: today), not by who signed the agreement."""
    context = agreement_context(annex.agreement)
    context["signing"] = signatories.for_day_or_none(annex.signed_on or clock.today())
    return render_pdf("lending/pdf/annex.html", {**context, "annex": annex, "draft": draft})


# An annex binds at its signature (do_sign_annex stores it then); a protocol of handover for
# ownership at the transfer: do_transfer_all hands over every agreement in force at once (~75
# papers), too many to render in the request, so the transfer queues a background task that
# archives each protocol after the commit (archive_transfers_later); a protocol the task has
# not stored yet (the worker not run, a failure) is stored on its first opening.
ANNEX = archive.register_kind("lending.annex", gettext_lazy("annex to the loan agreement"))
TRANSFER = archive.register_kind(
    "lending.transfer", gettext_lazy("protocol of handover for ownership")
)


def archive_annex(annex, *, actor) -> None:
    """Store the signed annex once the signature commits."""
    archive.store_on_commit(
        annex, ANNEX, lambda draft: annex_pdf(_fresh_annex(annex.pk), draft=draft), actor=actor
    )


def _fresh_annex(pk):
    return AgreementAnnex.objects.select_related(
        "agreement__participant__application", "agreement__signatory"
    ).get(pk=pk)


def annex_response(request, annex):
    """The annex as signed (archived), else a live draft marked "PROJEKT"."""
    return archive.paper_response(
        request,
        annex,
        ANNEX,
        lambda draft: annex_pdf(annex, draft=draft),
        f"aneks-{annex.number.replace('/', '-')}.pdf",
        binding=annex.signed_on is not None,
    )


def transfer_response(request, transfer):
    """The protocol of handover for ownership as archived (by the background task, or now on
    its first opening)."""
    return archive.paper_response(
        request,
        transfer,
        TRANSFER,
        lambda draft: transfer_pdf(transfer),
        filename(transfer.agreement, "protokol-przekazania-na-wlasnosc"),
        binding=True,
    )


def archive_transfers_later(transfers: Iterable[OwnershipTransfer], *, actor) -> None:
    """Once the transfer commits, queue the task that archives each one's protocol (the
    request renders none of them). Nothing while archiving is suspended (the demo)."""
    ids = [transfer.pk for transfer in transfers]
    if ids:
        archive.enqueue_on_commit(archive_transfers, ids, getattr(actor, "pk", None))


@task()
def archive_transfers(transfer_ids: list[int], actor_id: int | None = None) -> int:
    """Archive the protocols of these transfers; those already archived are left as they are
    (a task run twice stores nothing more). One protocol that cannot be made is logged and
    the others go on (it is stored on its first opening). Returns how many were stored now."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    transfers = OwnershipTransfer.objects.filter(pk__in=transfer_ids).select_related(
        "agreement__participant__application"
    )
    done = archive.found_for(transfers, TRANSFER)
    stored = 0
    for transfer in transfers.order_by("pk"):
        if transfer.pk in done:
            continue
        try:
            archive.store(
                transfer, TRANSFER, lambda draft, t=transfer: transfer_pdf(t), actor=actor
            )
        except Exception:
            logger.exception("protocol of transfer %s not archived", transfer.pk)
            continue
        stored += 1
    return stored


@in_office_language
def transfer_pdf(transfer) -> bytes:
    """The protocol of handover for ownership at the end of the durability period, the town
    represented by who holds office on the day of the handover."""
    context = agreement_context(transfer.agreement)
    context["signing"] = signatories.for_day_or_none(transfer.transferred_on)
    transferred = [i for i in context["items"] if i.asset.status == i.asset.Status.TRANSFERRED]
    return render_pdf(
        "lending/pdf/transfer.html", {**context, "transfer": transfer, "transferred": transferred}
    )


@in_office_language
def note_protocol_pdf(note, draft: bool = False) -> bytes:
    """The protocol of the note's return to the issuer, or of its destruction (§6.8)."""
    context = agreement_context(note.agreement)
    return render_pdf("lending/pdf/note_protocol.html", {**context, "note": note, "draft": draft})


# The note's protocol binds when the return or destruction is recorded (do_release_note).
NOTE_PROTOCOL = archive.register_kind(
    "lending.note_protocol", gettext_lazy("protocol of the return or destruction of the note")
)


def _released(note: PromissoryNote) -> bool:
    return note.status in (PromissoryNote.Status.RETURNED, PromissoryNote.Status.DESTROYED)


def archive_note_protocol(note: PromissoryNote, *, actor) -> None:
    """Store the note's protocol once its return or destruction commits."""
    archive.store_on_commit(
        note,
        NOTE_PROTOCOL,
        lambda draft: note_protocol_pdf(_fresh_note(note.pk), draft=draft),
        actor=actor,
    )


def _fresh_note(pk):
    return PromissoryNote.objects.select_related(
        "agreement__participant__application", "issuer"
    ).get(pk=pk)


def note_protocol_response(request, note: PromissoryNote):
    """The protocol as archived at the return or destruction (else stored now, on its first
    opening: a note released before the archive)."""
    return archive.paper_response(
        request,
        note,
        NOTE_PROTOCOL,
        lambda draft: note_protocol_pdf(note, draft=draft),
        f"protokol-weksla-{note.number.replace('/', '-')}.pdf",
        binding=_released(note),
    )


def call_agreements(call_id: int, statuses: Iterable[str] = LoanAgreement.OPEN_STATUSES):
    """The agreements of a call to print together, by number: by default those in force or in
    preparation; `statuses` chooses others (the bench prints those handed over: in force,
    ended or handed over for ownership)."""
    return (
        _agreements()
        .filter(participant__application__call_id=call_id, status__in=list(statuses))
        .prefetch_related("items__asset")
        .order_by("number")
    )


@in_office_language
def call_agreements_file(agreements: Iterable[LoanAgreement], folder: Path, progress=None) -> Path:
    """The agreements (call_agreements(), with its related rows; the task prints the call's
    open ones) each with declaration and protocol in one PDF file in `folder`,
    each with its own page numbers, made by the pool of PDF workers; progress(done, total)
    after each agreement, then while the files are joined. Each agreement's own file is keyed
    by the agreement and its version: a job started again after its worker died makes only
    those missing (or changed meanwhile). An agreement already archived as signed is its
    stored file, copied, not rendered again (what was signed is what is printed)."""
    agreements = list(agreements)
    project = Project.current()
    signed = archive.found_for(agreements, AGREEMENT)

    def documents():
        for agreement in agreements:
            stored = signed.get(agreement.pk)
            if stored is not None:
                yield (f"agreement-{agreement.pk}-{stored.sha256[:16]}", Path(stored.file.path))
                continue
            items = sorted(agreement.items.all(), key=lambda item: item.asset.serial_number)
            yield (
                f"agreement-{agreement.pk}-v{agreement.version}",
                agreement_context(agreement, project=project, items=items),
            )

    return render_pdf_files(PACKET, documents(), len(agreements), folder, progress=progress)


def call_agreements_pdf(call_id: int, progress=None) -> bytes:
    """call_agreements_file() as bytes, made in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="agreements-") as folder:
        return call_agreements_file(call_agreements(call_id), Path(folder), progress).read_bytes()


@task()
def print_call_agreements(file_id: str, call_id: int) -> None:
    run_generation(
        file_id,
        lambda progress: call_agreements_file(
            call_agreements(call_id), job_folder(file_id), progress
        ),
    )


def start_call_agreements(user, call):
    """Queue the PDF of all the call's agreements; the file's page shows the progress."""
    return start_generation(
        user,
        _("Loan agreements of call %(code)s") % {"code": call.code},
        f"umowy-uzyczenia-{call.code}.pdf",
        print_call_agreements,
        call.pk,
    )
