"""Finance's pages: the budget's standing, the agreement and its amendments, expenditures and
payment claims. Thin: each write is a service in `services/`, each form goes through
`pages.form_page`."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import page_of, query_without_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.tables import XLSX_TYPE, xlsx_response
from lebork_einclusion.uploads import file_response

from . import glance, papers, queries, workflow
from .forms import STEP_FORMS, AgreementForm, AmendmentForm, ClaimForm, ExpenditureForm
from .models import BudgetAmendment, Expenditure, FundingAgreement, PaymentClaim
from .services import agreement as agreement_services
from .services import claims as claim_services
from .services import expenditures as expenditure_services


def _agreement() -> FundingAgreement:
    agreement = FundingAgreement.current()
    if agreement is None:
        raise Http404(_("No funding agreement is registered yet."))
    return agreement


# --- the budget ---------------------------------------------------------------------------------


def budget(request):
    agreement = FundingAgreement.current()
    context = {"agreement": agreement}
    if agreement is not None:
        standing = queries.budget_standing(agreement)
        context.update(
            standing=standing,
            chart=glance.budget_per_task(standing),
            amendments=BudgetAmendment.objects.filter(agreement=agreement)
            .prefetch_related("changes__line")
            .order_by("signed_on", "pk"),
            todo=queries.todo_counts(clock.today()),
        )
    return render(request, "finance/budget.html", context)


def budget_xlsx(request):
    agreement = _agreement()
    standing = queries.budget_standing(agreement)
    headers = [
        _("Task"),
        _("Cost category"),
        _("Net (PLN)"),
        _("VAT (PLN)"),
        _("Gross (PLN)"),
        _("Eligible (PLN)"),
        _("Ineligible (PLN)"),
        _("Spent (PLN)"),
        _("Claimed (PLN)"),
        _("Reimbursed (PLN)"),
        _("Left (PLN)"),
    ]
    keys = (
        "net",
        "vat",
        "gross",
        "eligible",
        "ineligible",
        "spent",
        "claimed",
        "reimbursed",
        "left",
    )
    rows = [
        [row["task_label"], row["category_label"], *(row[k] for k in keys)]
        for row in standing["lines"]
    ]
    rows += [[row["task_label"], _("Total"), *(row[k] for k in keys)] for row in standing["tasks"]]
    rows += [
        [_("Total"), row["category_label"], *(row[k] for k in keys)]
        for row in standing["categories"]
    ]
    rows.append([_("Total"), "", *(standing["total"][k] for k in keys)])
    return xlsx_response("budzet.xlsx", _("Budget"), headers, rows)


def agreement_edit(request):
    agreement = FundingAgreement.current() or FundingAgreement()
    form = AgreementForm(request.POST or None, instance=agreement)
    return form_page(
        request,
        form,
        lambda data: (
            agreement_services.do_save_agreement(agreement, data, actor=request.user) and None
        ),
        template="finance/form.html",
        context={"title": _("The funding agreement")},
        success=_("The agreement has been saved."),
        back=reverse("finance:budget"),
    )


def amendment_new(request):
    agreement = _agreement()
    form = AmendmentForm(request.POST or None, agreement=agreement)

    def perform(data):
        agreement_services.do_amend_budget(
            agreement,
            number=data["number"],
            signed_on=data["signed_on"],
            reason=data["reason"],
            changes=[(data["line"], data["net"], data["vat"], data["eligible"])],
            actor=request.user,
        )

    return form_page(
        request,
        form,
        perform,
        template="finance/form.html",
        context={"title": _("Amend the budget")},
        success=_("The amendment has been recorded and the budget line changed."),
        back=reverse("finance:budget"),
    )


# --- expenditures -------------------------------------------------------------------------------


def expenditure_list(request):
    agreement = FundingAgreement.current()
    rows = (
        Expenditure.objects.select_related("issuer", "line", "contract", "claim").order_by(
            "-paid_on", "-pk"
        )
        if agreement
        else Expenditure.objects.none()
    )
    unclaimed = request.GET.get("unclaimed") == "1"
    if unclaimed:
        rows = rows.filter(pk__in=queries.unclaimed_expenditures(clock.today()).values("pk"))
    return render(
        request,
        "finance/expenditure_list.html",
        {
            "agreement": agreement,
            "page": page_of(request, rows),
            "query": query_without_page(request),
            "unclaimed": unclaimed,
        },
    )


def expenditure_edit(request, pk=None):
    agreement = _agreement()
    expenditure = get_object_or_404(Expenditure, pk=pk) if pk else None
    form = ExpenditureForm(
        request.POST or None, request.FILES or None, instance=expenditure, agreement=agreement
    )
    return form_page(
        request,
        form,
        lambda data: (
            expenditure_services.do_save_expenditure(expenditure, data, actor=request.user)
            and reverse("finance:expenditure_list")
        ),
        template="finance/form.html",
        context={
            "title": _("Correct the expenditure") if pk else _("Record an expenditure"),
            "expenditure": expenditure,
        },
        success=_("The expenditure has been saved."),
        back=reverse("finance:expenditure_list"),
    )


def expenditure_scan(request, pk):
    expenditure = get_object_or_404(Expenditure, pk=pk)
    if not expenditure.scan:
        raise Http404
    return file_response(expenditure.scan, f"dokument-{expenditure.pk}")


# --- payment claims -----------------------------------------------------------------------------


def claim_list(request):
    agreement = FundingAgreement.current()
    claims = agreement.claims.order_by("number") if agreement else PaymentClaim.objects.none()
    to_correct = request.GET.get("status") == PaymentClaim.Status.CORRECTIONS
    if to_correct:
        claims = claims.filter(pk__in=queries.claims_to_correct().values("pk"))
    return render(
        request,
        "finance/claim_list.html",
        {
            "agreement": agreement,
            "claims": [
                (claim, queries.claim_summary(claim, claim.expenditures.all()))
                for claim in queries.claims_with_documents(claims)
            ],
            "to_correct": to_correct,
        },
    )


def claim_detail(request, pk):
    claim = get_object_or_404(PaymentClaim.objects.select_related("agreement"), pk=pk)
    return render(
        request,
        "finance/claim_detail.html",
        {
            **papers.claim_context(claim),
            "steps": workflow.next_steps(claim),
            "editable": workflow.allows(claim, "edit"),
            "filings": claim.filings.order_by("filed_at", "pk"),
        },
    )


def claim_edit(request, pk=None):
    agreement = _agreement()
    claim = get_object_or_404(PaymentClaim, pk=pk) if pk else None
    form = ClaimForm(request.POST or None, instance=claim, agreement=agreement)
    if claim is not None and request.method == "GET" and not workflow.allows(claim, "edit"):
        messages.warning(
            request, workflow.STEPS["edit"][1] % {"status": claim.get_status_display()}
        )
    return form_page(
        request,
        form,
        lambda data: claim_services.do_save_claim(
            claim, form.service_data(), actor=request.user
        ).get_absolute_url(),
        template="finance/form.html",
        context={
            "title": _("Change the claim") if pk else _("New payment claim"),
            "claim": claim,
        },
        success=_("The claim has been saved."),
        back=reverse("finance:claim_detail", args=[pk]) if pk else reverse("finance:claim_list"),
    )


STEP_TITLES = {
    "file": _("File the claim"),
    "corrections": _("Record the corrections requested"),
    "accept": _("Record the acceptance"),
    "pay": _("Record the payment"),
}


def claim_step(request, pk, action):
    claim = get_object_or_404(PaymentClaim, pk=pk)
    if action not in STEP_FORMS:
        raise Http404
    initial = {"version": claim.version}
    if action in ("file", "accept"):
        initial["filed_on" if action == "file" else "accepted_on"] = clock.today()
    if action == "pay":
        initial.update(received_on=clock.today(), amount=queries.claim_summary(claim)["requested"])
    form = STEP_FORMS[action](request.POST or None, initial=initial)

    def perform(data):
        version, user = data.get("version"), request.user
        if action == "file":
            claim_services.do_file_claim(
                claim, filed_on=data["filed_on"], expected_version=version, actor=user
            )
        elif action == "corrections":
            claim_services.do_request_corrections(
                claim, data["note"], expected_version=version, actor=user
            )
        elif action == "accept":
            claim_services.do_accept_claim(
                claim, data["accepted_on"], expected_version=version, actor=user
            )
        else:
            claim_services.do_record_payment(
                claim, data["amount"], data["received_on"], expected_version=version, actor=user
            )

    return form_page(
        request,
        form,
        perform,
        template="finance/form.html",
        context={"title": STEP_TITLES[action], "claim": claim},
        success=_("The claim's status has been recorded."),
        back=reverse("finance:claim_detail", args=[claim.pk]),
    )


def claim_pdf(request, pk):
    """A filed claim is served as it was filed (the archived bytes); a draft is rendered now."""
    claim = get_object_or_404(PaymentClaim, pk=pk)
    filing = claim.filings.order_by("-filed_at", "-pk").first()
    name = f"wniosek-o-platnosc-{claim.number}.pdf"
    if filing is not None and not claim.editable:
        with filing.pdf.open("rb") as handle:
            return pdf_response(handle.read(), name)
    return pdf_response(papers.claim_pdf(claim), name)


def claim_xlsx(request, pk):
    claim = get_object_or_404(PaymentClaim, pk=pk)
    response = HttpResponse(papers.claim_workbook(claim), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="wniosek-o-platnosc-{claim.number}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response
