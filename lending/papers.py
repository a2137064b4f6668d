"""Lending's papers: the loan agreement, the promissory-note declaration, the handover and the
return protocols, one agreement's set in one PDF, and all the agreements of a call in one PDF
made in the background (lebork_einclusion.background)."""

import tempfile
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.background import job_folder, run_generation, start_generation, task
from lebork_einclusion.models import Project
from lebork_einclusion.office_language import in_office_language
from lebork_einclusion.pdf import render_pdf, render_pdf_files

from . import rules
from .models import LoanAgreement, PromissoryNote

PACKET = "lending/pdf/packet.html"


def _agreements():
    return LoanAgreement.objects.select_related(
        "participant__application__call", "signatory", "note", "created_by"
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
    return {
        "project": project or Project.current(),
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


def filename(agreement: LoanAgreement, what: str) -> str:
    return f"{what}-{agreement.number.replace('/', '-')}.pdf"


@in_office_language
def agreement_pdf(agreement: LoanAgreement) -> bytes:
    """The agreement with its declaration and handover protocol: what the household signs."""
    return render_pdf(PACKET, agreement_context(agreement))


@in_office_language
def declaration_pdf(agreement: LoanAgreement) -> bytes:
    return render_pdf("lending/pdf/declaration.html", agreement_context(agreement))


@in_office_language
def handover_pdf(agreement: LoanAgreement) -> bytes:
    return render_pdf("lending/pdf/handover.html", agreement_context(agreement))


@in_office_language
def return_pdf(agreement: LoanAgreement) -> bytes:
    return render_pdf("lending/pdf/return.html", agreement_context(agreement))


def call_agreements(call_id: int):
    """The agreements of a call to print together: those in force or in preparation."""
    return (
        _agreements()
        .filter(
            participant__application__call_id=call_id,
            status__in=LoanAgreement.OPEN_STATUSES,
        )
        .prefetch_related("items__asset")
        .order_by("number")
    )


@in_office_language
def call_agreements_file(call_id: int, folder: Path, progress=None) -> Path:
    """Every agreement of the call (with declaration and protocol) in one PDF file in `folder`,
    each with its own page numbers, made by the pool of PDF workers; progress(done, total)
    after each agreement, then while the files are joined. Each agreement's own file is keyed
    by the agreement and its version: a job started again after its worker died makes only
    those missing (or changed meanwhile). A paper already archived as signed would be given
    here as its file's Path instead of a context: copied, not rendered again."""
    agreements = list(call_agreements(call_id))
    project = Project.current()

    def documents():
        for agreement in agreements:
            items = sorted(agreement.items.all(), key=lambda item: item.asset.serial_number)
            yield (
                f"agreement-{agreement.pk}-v{agreement.version}",
                agreement_context(agreement, project=project, items=items),
            )

    return render_pdf_files(PACKET, documents(), len(agreements), folder, progress=progress)


def call_agreements_pdf(call_id: int, progress=None) -> bytes:
    """call_agreements_file() as bytes, made in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="agreements-") as folder:
        return call_agreements_file(call_id, Path(folder), progress).read_bytes()


@task()
def print_call_agreements(file_id: str, call_id: int) -> None:
    run_generation(
        file_id, lambda progress: call_agreements_file(call_id, job_folder(file_id), progress)
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
