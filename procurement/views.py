"""Pages of the procurement register: thin views that read the request, call a service, render."""

import json

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.tables import xlsx_response
from lebork_einclusion.uploads import file_response

from . import ocds, workflow
from .filters import ContractFilter, ProcedureFilter, SupplierFilter
from .forms import (
    AmendmentForm,
    AnnounceForm,
    AnnulForm,
    AttachmentForm,
    AwardForm,
    ContractEditForm,
    ContractSignForm,
    OfferEvaluationForm,
    OfferForm,
    OpenOffersForm,
    ProcedureForm,
    ReannounceForm,
    SupplierForm,
)
from .models import Contract, ContractAttachment, Offer, Procedure, Supplier
from .services import contracts, procedures, suppliers

# --- object access: one helper per object kind -------------------------------------------------


def _procedure(request, pk) -> Procedure:
    queryset = Procedure.objects.select_related("winning_offer__bidder", "reannouncement_of")
    return get_object_or_404(queryset, pk=pk)


def _supplier(request, pk) -> Supplier:
    return get_object_or_404(Supplier.objects.all(), pk=pk)


def _contract(request, pk) -> Contract:
    return get_object_or_404(Contract.objects.with_parties(), pk=pk)


def _offer(request, pk) -> Offer:
    return get_object_or_404(Offer.objects.select_related("procedure", "bidder"), pk=pk)


# --- shared pieces --------------------------------------------------------------------------------


def _step(request, procedure, step, form, perform, *, title, intro="", submit, success):
    """A workflow step's page: refused at once when the procedure's status does not allow it;
    otherwise the form, then the service (which checks everything again under a row lock)."""
    refusal = workflow.refusal(step, procedure.status)
    if refusal:
        messages.error(request, refusal)
        return redirect("procurement:procedure_detail", procedure.pk)
    return form_page(
        request,
        form,
        perform,
        template="procurement/step_form.html",
        success=success,
        context={"procedure": procedure, "title": title, "intro": intro, "submit": submit},
    )


# --- procedures -----------------------------------------------------------------------------


def _procedure_rows():
    """The register's rows: offers counted and contracts fetched in the same page of queries."""
    return (
        Procedure.objects.select_related("winning_offer__bidder", "reannouncement_of")
        .annotate(offer_count=Count("offers"))
        .prefetch_related(
            Prefetch("contracts", queryset=Contract.objects.select_related("supplier"))
        )
        .order_by("-announcement_date", "-pk")
    )


def procedure_list(request):
    filterset = ProcedureFilter(request.GET or None, queryset=_procedure_rows())
    page = seek_page(request, filterset.qs)
    return render(
        request,
        "procurement/procedure_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
        },
    )


def procedure_export(request):
    """The register of procedures as a spreadsheet (the filters of the list apply)."""
    filterset = ProcedureFilter(request.GET or None, queryset=_procedure_rows())
    headers = [
        _("Announcement number"),
        _("Announcement date"),
        _("Case reference"),
        _("Subject"),
        _("Kind"),
        _("Procedure type"),
        _("Estimated value, net (PLN)"),
        _("Estimated value, gross (PLN)"),
        _("Deadline for offers"),
        _("Offers"),
        _("Status"),
        _("Annulled on"),
        _("Reason for the annulment"),
        _("Re-announcement of"),
        _("Chosen bidder"),
        _("Award date"),
        _("Contract"),
        _("Signed on"),
        _("Contract value, gross (PLN)"),
    ]

    def rows():
        for p in filterset.qs:
            contract = next(iter(p.contracts.all()), None)
            yield [
                p.announcement_number,
                p.announcement_date,
                p.reference,
                p.subject,
                p.get_kind_display(),
                p.get_procedure_type_display(),
                p.estimated_value_net,
                p.estimated_value_gross,
                timezone.localtime(p.offers_deadline).replace(tzinfo=None)
                if p.offers_deadline
                else None,
                p.offer_count,
                p.get_status_display(),
                p.annulled_on,
                p.annulment_reason,
                p.reannouncement_of.label if p.reannouncement_of else "",
                p.winning_offer.bidder.name if p.winning_offer else "",
                p.award_date,
                contract.number if contract else "",
                contract.signed_on if contract else None,
                contract.value_gross if contract else None,
            ]

    return xlsx_response("rejestr-zamowien.xlsx", _("Procedures"), headers, rows())


def ocds_export(request):
    """Every procedure as an OCDS 1.1 release package (JSON)."""
    package = ocds.release_package(
        ocds.export_queryset(), uri=request.build_absolute_uri(request.path)
    )
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="ocds-release-package.json"'
    response["Cache-Control"] = "no-store"
    return response


def procedure_detail(request, pk):
    procedure = _procedure(request, pk)
    events = procedure.timeline.select_related("actor")
    offers = procedure.offers.select_related("bidder")
    signed = procedure.contracts.select_related("supplier")
    return render(
        request,
        "procurement/procedure_detail.html",
        {
            "procedure": procedure,
            "events": events,
            "offers": offers,
            "contracts": signed,
            "reannouncements": procedure.reannouncements.all(),
            "steps": workflow.possible_steps(procedure.status),
        },
    )


def procedure_edit(request, pk=None):
    procedure = _procedure(request, pk) if pk else Procedure()
    if pk:
        refusal = workflow.refusal("edit", procedure.status)
        if refusal:
            messages.error(request, refusal)
            return redirect("procurement:procedure_detail", procedure.pk)
    form = ProcedureForm(request.POST or None, request.FILES or None, instance=procedure)
    return form_page(
        request,
        form,
        lambda data: procedures.do_save_procedure(procedure, data, actor=request.user),
        template="procurement/procedure_form.html",
        success=_("The procedure has been saved."),
        context={"procedure": procedure},
    )


def procedure_document(request, pk):
    """The terms of reference (SIWZ), served as an attachment to roles that see the register."""
    procedure = _procedure(request, pk)
    if not procedure.terms_of_reference:
        raise Http404
    name = f"SIWZ-{procedure.announcement_number or procedure.reference or procedure.pk}"
    return file_response(procedure.terms_of_reference, name)


def procedure_announce(request, pk):
    procedure = _procedure(request, pk)
    form = AnnounceForm(
        request.POST or None,
        initial={"announcement_date": clock.today()},
    )
    return _step(
        request,
        procedure,
        "announce",
        form,
        lambda data: procedures.do_announce(procedure, actor=request.user, **data),
        title=_("Announce the procedure"),
        intro=_(
            "Record the publication of the contract notice: in the Public Procurement Bulletin "
            "(BZP) for an open tender, on the town's website for a request for quotation."
        ),
        submit=_("Announce"),
        success=_("The announcement has been recorded."),
    )


def procedure_open_offers(request, pk):
    procedure = _procedure(request, pk)
    form = OpenOffersForm(request.POST or None, initial={"opened_on": clock.today()})
    return _step(
        request,
        procedure,
        "open_offers",
        form,
        lambda data: procedures.do_open_offers(procedure, actor=request.user, **data),
        title=_("Open the offers"),
        intro=_("The offers are opened once the deadline for offers has passed."),
        submit=_("Record the opening"),
        success=_("The opening of the offers has been recorded."),
    )


def offer_new(request, pk):
    procedure = _procedure(request, pk)
    form = OfferForm(request.POST or None)

    def perform(data):
        procedures.do_record_offer(procedure, actor=request.user, **data)
        return reverse("procurement:procedure_detail", args=[procedure.pk]) + "#offers"

    return _step(
        request,
        procedure,
        "record_offer",
        form,
        perform,
        title=_("Record an offer"),
        intro=_(
            "Only offers received by the deadline are recorded; a late offer is returned "
            "unopened. A bidder missing from the list is added on the suppliers' page first."
        ),
        submit=_("Record the offer"),
        success=_("The offer has been recorded."),
    )


def offer_edit(request, pk):
    offer = _offer(request, pk)
    procedure = offer.procedure
    form = OfferEvaluationForm(request.POST or None, instance=offer)

    def perform(data):
        procedures.do_evaluate_offer(offer, data, actor=request.user)
        return reverse("procurement:procedure_detail", args=[procedure.pk]) + "#offers"

    return _step(
        request,
        procedure,
        "evaluate_offer",
        form,
        perform,
        title=_("Evaluate the offer of %(bidder)s") % {"bidder": offer.bidder.name},
        submit=_("Save the evaluation"),
        success=_("The evaluation has been saved."),
    )


def procedure_award(request, pk):
    procedure = _procedure(request, pk)
    form = AwardForm(
        request.POST or None, procedure=procedure, initial={"award_date": clock.today()}
    )
    return _step(
        request,
        procedure,
        "award",
        form,
        lambda data: procedures.do_award(procedure, actor=request.user, **data),
        title=_("Award the contract"),
        intro=_(
            "Choose the most advantageous offer: the highest score, or the lowest price when "
            "the price is the only criterion."
        ),
        submit=_("Award the contract"),
        success=_("The award has been recorded."),
    )


def procedure_sign_contract(request, pk):
    procedure = _procedure(request, pk)
    initial = {"scope": procedure.subject, "signed_on": clock.today()}
    if procedure.winning_offer:
        initial["value_gross"] = procedure.winning_offer.price
    form = ContractSignForm(request.POST or None, initial=initial)

    def perform(data):
        contract = procedures.do_sign_contract(procedure, actor=request.user, **data)
        return reverse("procurement:contract_detail", args=[contract.pk])

    supplier = procedure.winning_offer.bidder.name if procedure.winning_offer else ""
    return _step(
        request,
        procedure,
        "sign_contract",
        form,
        perform,
        title=_("Record the signed contract"),
        intro=_("The contract with %(supplier)s, the chosen bidder.") % {"supplier": supplier},
        submit=_("Record the contract"),
        success=_("The contract has been recorded."),
    )


def procedure_annul(request, pk):
    procedure = _procedure(request, pk)
    form = AnnulForm(request.POST or None, initial={"annulled_on": clock.today()})
    return _step(
        request,
        procedure,
        "annul",
        form,
        lambda data: procedures.do_annul(procedure, actor=request.user, **data),
        title=_("Annul the procedure"),
        intro=_(
            "An annulled procedure cannot be resumed; its subject may be announced again as a "
            "new procedure."
        ),
        submit=_("Annul"),
        success=_("The annulment has been recorded."),
    )


def procedure_reannounce(request, pk):
    procedure = _procedure(request, pk)
    form = ReannounceForm(request.POST or None, initial={"announcement_date": clock.today()})
    return _step(
        request,
        procedure,
        "reannounce",
        form,
        lambda data: procedures.do_reannounce(procedure, actor=request.user, **data),
        title=_("Announce the procedure again"),
        intro=_(
            "A new procedure with the same subject, estimated value and criteria is created and "
            "announced; both procedures show the link."
        ),
        submit=_("Announce again"),
        success=_("The new announcement has been recorded."),
    )


# --- suppliers -------------------------------------------------------------------------------


def supplier_list(request):
    queryset = Supplier.objects.annotate(
        offer_count=Count("offers", distinct=True),
        contract_count=Count("contracts", distinct=True),
    ).order_by("name")
    filterset = SupplierFilter(request.GET or None, queryset=queryset)
    page = seek_page(request, filterset.qs)
    return render(
        request,
        "procurement/supplier_list.html",
        {"filter": filterset, "page": page, "query": query_without_page(request)},
    )


def supplier_detail(request, pk):
    supplier = _supplier(request, pk)
    return render(
        request,
        "procurement/supplier_detail.html",
        {
            "supplier": supplier,
            "offers": supplier.offers.select_related("procedure").order_by("-received_at"),
            "contracts": supplier.contracts.select_related("procedure"),
        },
    )


def supplier_edit(request, pk=None):
    supplier = _supplier(request, pk) if pk else Supplier()
    form = SupplierForm(request.POST or None, instance=supplier)
    return form_page(
        request,
        form,
        lambda data: suppliers.do_save_supplier(supplier, data, actor=request.user),
        template="procurement/supplier_form.html",
        success=_("The supplier has been saved."),
        context={"supplier": supplier},
    )


# --- contracts -------------------------------------------------------------------------------


def contract_list(request):
    queryset = (
        Contract.objects.with_parties()
        .annotate(amendment_count=Count("amendments"))
        .order_by("-signed_on", "number")
    )
    filterset = ContractFilter(request.GET or None, queryset=queryset)
    page = seek_page(request, filterset.qs)
    return render(
        request,
        "procurement/contract_list.html",
        {"filter": filterset, "page": page, "query": query_without_page(request)},
    )


def contract_detail(request, pk):
    contract = _contract(request, pk)
    return render(
        request,
        "procurement/contract_detail.html",
        {
            "contract": contract,
            "amendments": contract.amendments.select_related("actor"),
            "attachments": contract.attachments.select_related("uploaded_by", "amendment"),
            "today": clock.today(),
        },
    )


def _contract_page(request, contract, form, perform, *, title, intro="", submit, success):
    """A page changing a signed contract's record; back to the contract when done."""

    def run(data):
        perform(data)

    return form_page(
        request,
        form,
        run,
        template="procurement/contract_form.html",
        success=success,
        back=reverse("procurement:contract_detail", args=[contract.pk]),
        context={"contract": contract, "title": title, "intro": intro, "submit": submit},
    )


def contract_edit(request, pk):
    contract = _contract(request, pk)
    form = ContractEditForm(request.POST or None, instance=contract)
    return _contract_page(
        request,
        contract,
        form,
        lambda data: contracts.do_update_contract(contract, data, actor=request.user),
        title=_("Edit the contract's record"),
        intro=_(
            "The contract is signed: its terms are shown for reference and change only by an "
            "amendment. Here you can change who manages it and the notes."
        ),
        submit=_("Save"),
        success=_("The contract has been saved."),
    )


def contract_amend(request, pk):
    contract = _contract(request, pk)
    form = AmendmentForm(request.POST or None, request.FILES or None)
    return _contract_page(
        request,
        contract,
        form,
        lambda data: contracts.do_amend_contract(contract, actor=request.user, **data),
        title=_("Record an amendment"),
        intro=_(
            "The amendment's new value, end of term and scope replace the contract's; the "
            "amendment keeps the terms it replaced."
        ),
        submit=_("Record the amendment"),
        success=_("The amendment has been recorded."),
    )


def contract_attachment_new(request, pk):
    contract = _contract(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return _contract_page(
        request,
        contract,
        form,
        lambda data: contracts.do_add_contract_attachment(contract, actor=request.user, **data),
        title=_("Attach a file"),
        submit=_("Attach"),
        success=_("The file has been attached."),
    )


def contract_attachment(request, pk):
    attachment = get_object_or_404(ContractAttachment.objects.select_related("contract"), pk=pk)
    name = f"umowa-{attachment.contract.number}-{attachment.pk}".replace("/", "-")
    return file_response(attachment.file, name)
