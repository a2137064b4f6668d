"""Loan agreements and promissory notes: the list, the draft, the signature, the handover, the
end and the return, the papers, and the note's release."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lebork_einclusion import archive, clock
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.forms import CONFIRM, explain_empty_choice
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import count_text, query_without_page, seek_page
from lebork_einclusion.search import search_text
from recruitment.models import Call

from .. import papers
from ..forms import (
    AgreementForm,
    EndAgreementForm,
    HandoverForm,
    NoteReleaseForm,
    ReturnForm,
    SignForm,
)
from ..models import (
    LoanAgreement,
    LoanItem,
    OwnershipTransfer,
    PromissoryNote,
)
from ..queries import agreements_to_decide, notes_to_return
from ..services.agreements import (
    assets_for_agreement,
    do_cancel_draft,
    do_create_agreement,
    do_end_agreement,
    do_hand_over,
    do_record_return,
    do_release_note,
    do_sign_agreement,
    note_release_refusal,
    open_items,
)
from ..services.participation import participants_waiting_for_agreement
from ..workflow import possible_actions
from ._common import (
    agreement_crumbs,
    agreement_or_404,
    note_or_404,
    participant_crumbs,
    participant_or_404,
)

# The list's filter for the agreements waiting for the coordinator's decision.
TO_DECIDE = "to_decide"


def agreement_list(request):
    # The items counted per row shown (a subquery), not by grouping every agreement.
    items = LoanItem.objects.filter(agreement=OuterRef("pk")).order_by().values("agreement")
    agreements = LoanAgreement.objects.select_related(
        "participant__application", "signatory", "note"
    ).annotate(item_count=Coalesce(Subquery(items.annotate(n=Count("pk")).values("n")), 0))
    status = request.GET.get("status", "")
    if status in LoanAgreement.Status.values:
        agreements = agreements.filter(status=status)
    elif status == TO_DECIDE:
        agreements = agreements.filter(pk__in=agreements_to_decide(clock.today()).values("pk"))
    query = search_text(request.GET.get("q"))
    if query:
        agreements = agreements.filter(
            Q(number__icontains=query)
            | Q(participant__application__number__icontains=query)
            | Q(signatory__last_name__icontains=query)
            | Q(items__asset__serial_number__iexact=query)
        ).distinct()
    page = seek_page(request, agreements.order_by("number"))
    # Walks at most paging.COUNT_LIMIT rows ("5000+" above), whatever the table's size.
    to_decide = count_text(agreements_to_decide(clock.today()))
    return render(
        request,
        "lending/agreement_list.html",
        {
            "page": page,
            "statuses": [
                *LoanAgreement.Status.choices,
                (TO_DECIDE, _("awaiting a decision (term ending within 90 days or past)")),
            ],
            "status": status,
            "to_decide": to_decide,
            "to_decide_is_capped": isinstance(to_decide, str),
            "to_decide_value": TO_DECIDE,
            "q": query,
            "query": query_without_page(request),
            "calls": Call.objects.order_by("-opens_on"),
            "waiting": participants_waiting_for_agreement()[:20],
        },
    )


def agreements_batch_pdf(request):
    """All the agreements of a call in one PDF, made in the background (POST starts it)."""
    if request.method != "POST":
        return redirect("lending:agreement_list")
    call = Call.objects.filter(pk=request.POST.get("call") or 0).first()
    if call is None:
        messages.error(request, _("Choose the call."))
        return redirect("lending:agreement_list")
    if not papers.call_agreements(call.pk).exists():
        messages.error(
            request, _("Call %(code)s has no agreements to print.") % {"code": call.code}
        )
        return redirect("lending:agreement_list")
    # The agreements name every borrower with a PESEL.
    record_personal_data_access(request, call, kinds=("pesel",))
    generated = papers.start_call_agreements(request.user, call)
    return redirect("core:generated_file", generated.pk)


def agreement_new(request, pk):
    participant = participant_or_404(pk)
    form = AgreementForm(
        request.POST or None,
        assets=assets_for_agreement(),
        initial={"drafted_on": clock.today()},
    )
    explain_empty_choice(
        form.fields["assets"],
        _(
            "No equipment is in stock to lend: every set is lent, placed in a unit or written off. Equipment comes back into stock with a recorded return, or is added to the register after a delivery."
        ),
        reverse("lending:asset_list"),
        _("Open the equipment register"),
    )

    def perform(data):
        agreement = do_create_agreement(
            participant, list(data["assets"]), data["drafted_on"], actor=request.user
        )
        return reverse("lending:agreement_detail", args=[agreement.pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The agreement has been prepared."),
        back=reverse("lending:participant_detail", args=[pk]),
        context={
            "title": _("Loan agreement for %(number)s")
            % {"number": participant.application.number},
            "lead": f"{participant.signatory.first_name} {participant.signatory.last_name}, {participant.application.address}",
            "intro": _(
                "The agreement is prepared as a draft: print it, have it signed with the promissory note, then record the signature and the handover."
            ),
            "crumbs": participant_crumbs(participant),
            "submit": _("Prepare the agreement"),
        },
    )


def agreement_detail(request, pk):
    agreement = agreement_or_404(pk)
    items = list(agreement.items.select_related("asset").order_by("asset__serial_number"))
    note = getattr(agreement, "note", None)
    return render(
        request,
        "lending/agreement_detail.html",
        {
            "agreement": agreement,
            "actions": possible_actions("agreement", agreement.status),
            "note_actions": possible_actions("note", note.status) if note else set(),
            "participant": agreement.participant,
            "items": items,
            "note": note,
            "total": sum((item.asset.value for item in items), start=0),
            "outstanding": [i for i in items if i.handed_over_on and not i.returned_on],
            "claims": agreement.claims.select_related("asset"),
            "annexes": agreement.annexes.select_related("recorded_by").order_by("drafted_on", "pk"),
            "transfer": OwnershipTransfer.objects.filter(agreement=agreement).first(),
            "note_steps": note.steps.select_related("recorded_by") if note else [],
            "release_refusal": note_release_refusal(note) if note else None,
            "sign_form": SignForm(initial={"signed_on": clock.today()}),
            "handover_form": HandoverForm(initial={"handed_over_on": clock.today()}),
            "archived": archive.papers_of(agreement),
        },
    )


def _agreement_step(
    request,
    pk,
    form_class,
    perform_step,
    *,
    title,
    submit,
    success,
    initial=None,
    intro="",
    gdpr_clause=False,
):
    agreement = agreement_or_404(pk)
    form = form_class(request.POST or None, initial=initial or {})

    def perform(data):
        perform_step(agreement, data)
        return reverse("lending:agreement_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=success,
        back=reverse("lending:agreement_detail", args=[pk]),
        context={
            "title": title % {"number": agreement.number},
            "lead": f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
            "intro": intro,
            "crumbs": agreement_crumbs(agreement),
            "submit": submit,
            # The signature collects the spouse's PESEL and both identity documents.
            "gdpr_clause": gdpr_clause,
        },
    )


def agreement_sign(request, pk):
    return _agreement_step(
        request,
        pk,
        SignForm,
        lambda agreement, data: do_sign_agreement(
            agreement,
            data["signed_on"],
            spouse_name=data["spouse_name"],
            custody_location=data["custody_location"],
            issuer_document_type=data["issuer_document_type"],
            issuer_document_number=data["issuer_document_number"],
            spouse_pesel=data["spouse_pesel"],
            spouse_document_number=data["spouse_document_number"],
            spouse_consent=data["spouse_consent"],
            actor=request.user,
        ),
        title=_("Signature of agreement %(number)s"),
        intro=_(
            "The household signs the agreement and hands in the blank promissory note with its declaration; the note goes into safe custody."
        ),
        submit=_("Record the signature"),
        gdpr_clause=True,
        success=_("The signature and the promissory note have been recorded."),
        initial={"signed_on": clock.today()},
    )


def agreement_handover(request, pk):
    return _agreement_step(
        request,
        pk,
        HandoverForm,
        lambda agreement, data: do_hand_over(agreement, data["handed_over_on"], actor=request.user),
        title=_("Handover of the equipment of agreement %(number)s"),
        submit=_("Record the handover"),
        success=_("The handover has been recorded; the 3 years of the loan run from it."),
        initial={"handed_over_on": clock.today()},
    )


def agreement_end(request, pk):
    return _agreement_step(
        request,
        pk,
        EndAgreementForm,
        lambda agreement, data: do_end_agreement(
            agreement,
            data["ended_on"],
            data["reason"],
            return_due_on=data["return_due_on"],
            actor=request.user,
        ),
        title=_("End agreement %(number)s"),
        intro=_(
            "For the end of the term. When a household resigns, stops meeting the criteria or is excluded, end its participation instead: the place then goes to the reserve list."
        ),
        submit=_("End the agreement"),
        success=_("The agreement has ended; the return of the equipment is scheduled."),
        initial={"ended_on": clock.today()},
    )


@require_POST
def agreement_cancel(request, pk):
    agreement = agreement_or_404(pk)
    participant = agreement.participant_id
    if not request.POST.get(CONFIRM):  # the draft is deleted: the server asks (no script)
        messages.error(request, _("Confirm the cancellation of the draft: it cannot be undone."))
        return redirect("lending:agreement_detail", pk)
    try:
        do_cancel_draft(agreement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("lending:agreement_detail", pk)
    messages.success(request, _("The draft has been cancelled."))
    return redirect("lending:participant_detail", participant)


def agreement_return(request, pk):
    agreement = agreement_or_404(pk)
    items = list(open_items(agreement).select_related("asset").order_by("asset__serial_number"))
    if not items:
        messages.info(
            request,
            _("Nothing of agreement %(number)s is out: there is nothing to return.")
            % {"number": agreement.number},
        )
        return redirect("lending:agreement_detail", pk)
    form = ReturnForm(request.POST or None, items=items, initial={"returned_on": clock.today()})

    def perform(data):
        do_record_return(agreement, form.returns(), data["returned_on"], actor=request.user)
        return reverse("lending:agreement_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/agreement_return.html",
        success=_("The return has been recorded; print the return protocol."),
        back=reverse("lending:agreement_detail", args=[pk]),
        context={
            "title": _("Return of the equipment of agreement %(number)s")
            % {"number": agreement.number},
            "lead": f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
            "crumbs": agreement_crumbs(agreement),
            "submit": _("Record the return"),
        },
    )


def _agreement_paper(request, pk, kind):
    agreement = agreement_or_404(pk)
    record_personal_data_access(request, agreement.participant.application, kinds=("pesel",))
    return papers.paper_response(request, agreement, kind)


def agreement_pdf(request, pk):
    """The agreement with its declaration and handover protocol: one click, one PDF."""
    return _agreement_paper(request, pk, papers.AGREEMENT)


def declaration_pdf(request, pk):
    return _agreement_paper(request, pk, papers.DECLARATION)


def handover_pdf(request, pk):
    return _agreement_paper(request, pk, papers.HANDOVER)


def return_pdf(request, pk):
    return _agreement_paper(request, pk, papers.RETURN)


def note_list(request):
    """The register of promissory notes: where each is kept, and what became of it."""
    notes = PromissoryNote.objects.select_related(
        "agreement__participant__application", "issuer"
    ).order_by("number")
    status = request.GET.get("status", "")
    if status in PromissoryNote.Status.values:
        notes = notes.filter(status=status)
    to_return = request.GET.get("to_return") == "1"
    if to_return:
        notes = notes.filter(pk__in=notes_to_return().values("pk"))
    page = seek_page(request, notes)
    return render(
        request,
        "lending/note_list.html",
        {
            "page": page,
            "statuses": PromissoryNote.Status.choices,
            "status": status,
            "to_return": to_return,
            "query": query_without_page(request),
        },
    )


def note_release(request, pk):
    note = note_or_404(pk)
    refusal = note_release_refusal(note)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect("lending:agreement_detail", note.agreement_id)
    form = NoteReleaseForm(request.POST or None, initial={"released_on": clock.today()})

    def perform(data):
        do_release_note(
            note, data["status"], data["released_on"], data["record"], actor=request.user
        )
        return reverse("lending:agreement_detail", args=[note.agreement_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The promissory note has been released."),
        back=reverse("lending:agreement_detail", args=[note.agreement_id]),
        context={
            "title": _("Promissory note %(number)s: return or destruction")
            % {"number": note.number},
            "lead": f"{note.issuer.first_name} {note.issuer.last_name}",
            "crumbs": agreement_crumbs(note.agreement),
            "submit": _("Save"),
        },
    )
