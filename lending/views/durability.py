"""Agreements through the durability period: the annex extending the term (draft, signature,
PDF), the handover of the equipment for ownership at the end (one agreement or all), and the
promissory notes' notice, filling in and protocol of return or destruction."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.models import Project
from lebork_einclusion.pages import form_page

from .. import papers
from ..forms import AnnexForm, AnnexSignForm, FillInForm, NoticeForm, TransferForm
from ..models import AgreementAnnex, LoanAgreement, OwnershipTransfer, PromissoryNote
from ..services.annexes import do_draft_annex, do_sign_annex
from ..services.notes import do_fill_in_note, do_record_notice
from ..services.transfers import do_transfer_all, do_transfer_ownership
from ._common import agreement_crumbs, agreement_or_404, note_or_404


def _annex_or_404(pk) -> AgreementAnnex:
    queryset = AgreementAnnex.objects.select_related(
        "agreement__participant__application", "agreement__signatory"
    )
    return get_object_or_404(queryset, pk=pk)


def _durability_end():
    project = Project.current()
    return project.durability_end if project else None


def annex_new(request, pk):
    agreement = agreement_or_404(pk)
    form = AnnexForm(
        request.POST or None,
        initial={"drafted_on": clock.today(), "new_end": _durability_end()},
    )

    def perform(data):
        do_draft_annex(
            agreement, data["new_end"], data["reason"], data["drafted_on"], actor=request.user
        )
        return reverse("lending:agreement_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The annex has been prepared: print it and have it signed."),
        back=reverse("lending:agreement_detail", args=[pk]),
        context={
            "title": _("Annex to agreement %(number)s") % {"number": agreement.number},
            "lead": f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
            "intro": _(
                "The annex changes § 3 of the agreement: the term runs to the new end, at the latest to the end of the project's durability period."
            ),
            "crumbs": agreement_crumbs(agreement),
            "submit": _("Prepare the annex"),
        },
    )


def annex_sign(request, pk):
    annex = _annex_or_404(pk)
    agreement = annex.agreement
    form = AnnexSignForm(request.POST or None, initial={"signed_on": clock.today()})

    def perform(data):
        do_sign_annex(annex, data["signed_on"], actor=request.user)
        return reverse("lending:agreement_detail", args=[agreement.pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The annex has been signed: the agreement runs to its new end."),
        back=reverse("lending:agreement_detail", args=[agreement.pk]),
        context={
            "title": _("Signature of annex %(number)s") % {"number": annex.number},
            "lead": f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
            "crumbs": agreement_crumbs(agreement),
            "submit": _("Record the signature"),
        },
    )


def annex_pdf(request, pk):
    annex = _annex_or_404(pk)
    record_personal_data_access(request, annex.agreement.participant.application, kinds=("pesel",))
    return papers.annex_response(request, annex)


def agreement_transfer(request, pk):
    agreement = agreement_or_404(pk)
    form = TransferForm(request.POST or None, initial={"transferred_on": clock.today()})

    def perform(data):
        do_transfer_ownership(agreement, data["transferred_on"], data["basis"], actor=request.user)
        return reverse("lending:agreement_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The equipment has been handed over for ownership; print the protocol."),
        back=reverse("lending:agreement_detail", args=[pk]),
        context={
            "title": _("Handover for ownership: agreement %(number)s")
            % {"number": agreement.number},
            "lead": f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
            "intro": _(
                "At the end of the durability period the household keeps the equipment: the agreement ends and the assets leave the register. Equipment that comes back goes through the return instead."
            ),
            "crumbs": agreement_crumbs(agreement),
            "submit": _("Hand over for ownership"),
        },
    )


def transfer_all(request):
    open_count = LoanAgreement.objects.filter(status=LoanAgreement.Status.ACTIVE).count()
    form = TransferForm(request.POST or None, initial={"transferred_on": _durability_end()})

    def perform(data):
        do_transfer_all(data["transferred_on"], data["basis"], actor=request.user)
        return reverse("lending:agreement_list")

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The equipment of every agreement in force has been handed over for ownership."),
        back=reverse("lending:agreement_list"),
        context={
            "title": _("Handover for ownership of all agreements in force"),
            "lead": _("%(count)d agreements in force") % {"count": open_count},
            "intro": _(
                "One decision for every agreement still in force at the end of the durability period: each household keeps its equipment, each agreement ends."
            ),
            "crumbs": [(_("Loan agreements"), reverse("lending:agreement_list"))],
            "submit": _("Hand over for ownership"),
        },
    )


def transfer_pdf(request, pk):
    transfer = get_object_or_404(
        OwnershipTransfer.objects.select_related("agreement__participant__application"), pk=pk
    )
    record_personal_data_access(
        request, transfer.agreement.participant.application, kinds=("pesel",)
    )
    return papers.transfer_response(request, transfer)


# --- promissory notes: notice, filling in, the protocol of return or destruction -----------------


def note_notice(request, pk):
    note = note_or_404(pk)
    form = NoticeForm(request.POST or None, initial={"sent_on": clock.today()})

    def perform(data):
        do_record_notice(note, data["sent_on"], data["letter_number"], actor=request.user)
        return reverse("lending:agreement_detail", args=[note.agreement_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The notice has been recorded."),
        back=reverse("lending:agreement_detail", args=[note.agreement_id]),
        context={
            "title": _("Promissory note %(number)s: notice to the issuer")
            % {"number": note.number},
            "lead": f"{note.issuer.first_name} {note.issuer.last_name}",
            "intro": _(
                "The declaration: the holder notifies the issuer by registered letter at least 7 days before filling the note in."
            ),
            "crumbs": agreement_crumbs(note.agreement),
            "submit": _("Record the notice"),
        },
    )


def note_fill_in(request, pk):
    note = note_or_404(pk)
    form = FillInForm(request.POST or None, initial={"filled_on": clock.today()})

    def perform(data):
        do_fill_in_note(
            note,
            data["filled_on"],
            data["amount"],
            data["description"],
            actor=request.user,
        )
        return reverse("lending:agreement_detail", args=[note.agreement_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The filling in of the note has been recorded."),
        back=reverse("lending:agreement_detail", args=[note.agreement_id]),
        context={
            "title": _("Promissory note %(number)s: filling in") % {"number": note.number},
            "lead": f"{note.issuer.first_name} {note.issuer.last_name}",
            "intro": _(
                "Only for a claim of § 6 points 3 and 4, up to the note's maximum, at least 7 days after the notice."
            ),
            "crumbs": agreement_crumbs(note.agreement),
            "submit": _("Record the filling in"),
        },
    )


def note_protocol_pdf(request, pk):
    note = note_or_404(pk)
    if note.status not in (PromissoryNote.Status.RETURNED, PromissoryNote.Status.DESTROYED):
        raise Http404
    return papers.note_protocol_response(request, note)
