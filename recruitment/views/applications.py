"""Recruitment screens of the applications: the register, entry and edit, the detail, withdrawal,
notifications, the committee's review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pghistory.models import Events

from lebork_einclusion import archive, clock, gdpr
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.pages import form_page, refuse_stale
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.records import StaleVersion
from lebork_einclusion.tables import xlsx_response
from lebork_einclusion.uploads import file_response

from .. import domain, papers
from ..filters import ApplicationFilter
from ..forms import (
    ApplicationForm,
    DocumentChecklistForm,
    MemberFormSet,
    NotificationForm,
    ReviewForm,
    WithdrawalForm,
)
from ..models import Application, ApplicationDocument, Call, Evaluation, HouseholdMember
from ..presenting import (
    breakdown_rows,
    describe_reason,
    describe_warning,
    list_rows,
    missing_documents,
    standings,
)
from ..queries import latest_version
from ..services import applications, evaluation, lists
from ..services import evaluation as services_evaluation
from .calls import current_call
from .lists import RANKING_SHOWN

# What a row of the application list shows (presenting.list_rows, application_list.html): the
# page reads these columns only, not the stored assessment's breakdown and look-up arrays.
LIST_SHOWN = (
    "status",
    "rank",
    "tie",
    "points",
    "reasons",
    "warnings",
    "application__number",
    "application__channel",
    "application__received_on",
    "application__postmarked_on",
)


def get_application(pk) -> Application:
    return get_object_or_404(Application.objects.select_related("call", "evaluation"), pk=pk)


def application_list(request):
    call = current_call(request)
    if call is None:
        return render(request, "recruitment/application_list.html", {"call": None})
    filtered = ApplicationFilter(request.GET, call=call, user=request.user)
    page = seek_page(request, filtered.qs.only(*LIST_SHOWN))
    return render(
        request,
        "recruitment/application_list.html",
        {
            "call": call,
            "calls": Call.objects.order_by("-opens_on"),
            "filter": filtered,
            "page": page,
            # Each household's standing now on the approved version beside its live place.
            "rows": list_rows(page, standings(latest_version(call))),
            "query": query_without_page(request),
            "withdrawn": Application.objects.filter(call=call, withdrawn_at__isnull=False)
            .select_related(None)
            .order_by("sequence")
            .only("pk", "number", "withdrawn_at", "withdrawal_reason")[:RANKING_SHOWN],
        },
    )


def application_export(request):
    call = current_call(request)
    if call is None:
        raise Http404
    filtered = ApplicationFilter(request.GET, call=call, user=request.user)
    headers = [
        _("Number"),
        _("Applicant"),
        _("Date received"),
        _("Submitted"),
        _("Status"),
        _("Rank"),
        _("Points"),
        _("Reasons"),
        _("Warnings"),
    ]
    # Only the main list's places are stored: the others' are numbered by one walk of the
    # ranking for the whole export.
    places = services_evaluation.ranking_places(call)
    rows = (
        [
            evaluation.application.number,
            f"{evaluation.applicant_first_name or ''} {evaluation.applicant_last_name or ''}".strip(),
            evaluation.application.received_on,
            evaluation.application.get_channel_display(),
            domain.STATUSES.get(evaluation.status, ""),
            evaluation.rank
            or (places.get(evaluation.pk) if evaluation.status == domain.RESERVE else None),
            evaluation.points,
            "; ".join(describe_reason(r) for r in evaluation.reasons),
            "; ".join(describe_warning(w) for w in evaluation.warnings),
        ]
        for evaluation in filtered.qs.iterator(chunk_size=2000)
    )
    return xlsx_response(f"wnioski-{call.code}.xlsx", _("Applications"), headers, rows)


def _application_forms(request, call, application):
    household = None
    if request.method == "POST":
        household = {
            name: request.POST.get(name) == "on"
            for name in ("foster_family", "family_childrens_home")
        }
    form = ApplicationForm(request.POST or None, instance=application, call=call)
    members = MemberFormSet(
        request.POST or None,
        instance=application,
        call=call,
        household=household,
        prefix="members",
        queryset=application.members.prefetch_related("documents")
        if application.pk
        else HouseholdMember.objects.none(),
    )
    documents = DocumentChecklistForm(
        request.POST or None, request.FILES or None, application=application
    )
    return form, members, documents


def application_new(request):
    call = current_call(request)
    if call is None:
        messages.error(request, _("Create a call first."))
        return redirect("recruitment:call_list")
    application = Application(
        call=call, received_on=clock.today(), channel=domain.IN_PERSON, city=call.town
    )
    form, members, documents = _application_forms(request, call, application)
    if request.method == "POST" and all(
        [form.is_valid(), members.is_valid(), documents.is_valid()]
    ):
        try:
            created = applications.do_create_application(
                call,
                form.model_fields(),
                members.member_dicts(),
                documents.received(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Application %(number)s has been registered.") % {"number": created.number},
            )
            return redirect("recruitment:application_detail", created.pk)
    return render(
        request,
        "recruitment/application_form.html",
        {
            "form": form,
            "members": members,
            "documents": documents,
            "call": call,
            "application": None,
        },
    )


def application_edit(request, pk):
    application = get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    form, members, documents = _application_forms(request, application.call, application)
    if request.method == "POST" and all(
        [form.is_valid(), members.is_valid(), documents.is_valid()]
    ):
        try:
            applications.do_update_application(
                application,
                form.model_fields(),
                members.member_dicts(),
                documents.received(),
                expected_version=form.cleaned_data.get("version"),
                actor=request.user,
            )
        except StaleVersion as error:
            refuse_stale(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Application %(number)s has been saved.") % {"number": application.number},
            )
            return redirect("recruitment:application_detail", application.pk)
    return render(
        request,
        "recruitment/application_form.html",
        {
            "form": form,
            "members": members,
            "documents": documents,
            "call": application.call,
            "application": application,
        },
    )


def _application_context(application):
    members = list(application.members.prefetch_related("documents"))
    documents = list(application.documents.select_related("verified_by", "member"))
    evaluation = getattr(application, "evaluation", None)
    if evaluation is not None:  # a reserve or unlisted place is not stored: numbered here
        services_evaluation.fill_places(application.call, [evaluation])
    return {
        "application": application,
        "call": application.call,
        "members": members,
        "documents": documents,
        "missing_documents": missing_documents(members, documents),
        "evaluation": evaluation,
        "breakdown": breakdown_rows(evaluation.breakdown if evaluation else [], members),
        "reasons": [describe_reason(r) for r in (evaluation.reasons if evaluation else [])],
        "warnings": [describe_warning(w) for w in (evaluation.warnings if evaluation else [])],
        "notes": application.notes.select_related("author"),
        "approved": lists.approved_status(application),
    }


def application_detail(request, pk):
    application = get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    context = _application_context(application)
    context["history"] = gdpr.describe_events(
        Events.objects.references(application).order_by("-pgh_created_at")[:100]
    )
    context["notifications"] = application.notifications.select_related("sent_by", "version")
    context["notification_form"] = NotificationForm(initial={"sent_on": clock.today()})
    return render(request, "recruitment/application_detail.html", context)


def application_withdraw(request, pk):
    """The coordinator withdraws an application registered by mistake, giving the reason."""
    application = get_application(pk)
    form = WithdrawalForm(request.POST or None, initial={"version": application.version})

    def withdraw(data):
        applications.do_withdraw_application(
            application, data["reason"], expected_version=data.get("version"), actor=request.user
        )

    return form_page(
        request,
        form,
        withdraw,
        template="recruitment/application_withdraw.html",
        success=_(
            "Application %(number)s has been withdrawn: it is kept in the register and "
            "no longer takes part in the call."
        )
        % {"number": application.number},
        back=reverse("recruitment:application_detail", args=[application.pk]),
        context={
            "application": application,
            "call": application.call,
            "approved": lists.approved_status(application),
        },
    )


@require_POST
def notification_new(request, pk):
    application = get_application(pk)
    form = NotificationForm(request.POST)
    if form.is_valid():
        try:
            applications.do_add_notification(
                application,
                form.cleaned_data["channel"],
                form.cleaned_data["sent_on"],
                form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The notification has been recorded."))
    else:
        messages.error(
            request,
            _("The notification was not recorded: %(errors)s") % {"errors": form.errors.as_text()},
        )
    return redirect(reverse("recruitment:application_detail", args=[pk]) + "#notifications")


def document_scan(request, pk):
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    if not document.scan:
        raise Http404
    record_personal_data_access(
        request, document.application, kinds=("pesel", "income", "disability")
    )
    name = f"{document.application.number.replace('/', '-')}-{document.doc_type}"
    return file_response(document.scan, name)


def application_pdf(request, pk):
    """The registered application printed, with the information clause."""
    application = get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    return pdf_response(
        papers.application_pdf(application), f"wniosek-{application.number.replace('/', '-')}.pdf"
    )


def _neighbours(application, pending_only):
    siblings = evaluation.active_applications(application.call)
    if pending_only:
        siblings = siblings.filter(documents__verified_at__isnull=True).distinct()
    previous = (
        siblings.filter(sequence__lt=application.sequence)
        .order_by("-sequence")
        .values_list("pk", flat=True)
        .first()
    )
    following = (
        siblings.filter(sequence__gt=application.sequence)
        .order_by("sequence")
        .values_list("pk", flat=True)
        .first()
    )
    return previous, following


def application_review(request, pk):
    application = get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    pending_only = request.GET.get("pending") == "1"
    documents = list(application.documents.select_related("verified_by", "member"))
    form = ReviewForm(request.POST or None, application=application, documents=documents)
    if request.method == "POST" and form.is_valid():
        before = application.evaluation.points if hasattr(application, "evaluation") else 0
        try:
            applications.do_review(
                application,
                form.verified(),
                form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except StaleVersion as error:
            refuse_stale(form, error, record=application)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            after = Evaluation.objects.get(application=application).points
            messages.success(
                request,
                _("Review of %(number)s saved. Points: %(after)d (before: %(before)d).")
                % {"number": application.number, "after": after, "before": before},
            )
            target = reverse("recruitment:application_review", args=[pk])
            if request.POST.get("then") == "next":
                _previous, following = _neighbours(application, pending_only)
                if following:
                    target = reverse("recruitment:application_review", args=[following])
            return redirect(target + ("?pending=1" if pending_only else ""))
        application = get_application(pk)
        documents = list(application.documents.select_related("verified_by", "member"))
    context = _application_context(application)
    previous, following = _neighbours(application, pending_only)
    context.update(
        {"form": form, "previous": previous, "following": following, "pending_only": pending_only}
    )
    return render(request, "recruitment/application_review.html", context)


def letter_pdf(request, pk):
    """The applicant's letter: once a version of the lists is decided (the letters sent) the
    archived file of the entry it was sent for, stored on its first opening and served byte for
    byte after; before the approval a draft from the live lists, marked PROJEKT."""
    application = get_application(pk)
    filename = f"pismo-{application.number.replace('/', '-')}.pdf"
    if latest_version(application.call) is None:
        if not Evaluation.objects.filter(application=application).exists():
            messages.error(request, _("The application has not been assessed yet: no letter."))
            return redirect("recruitment:application_detail", pk)
        return pdf_response(papers.draft_letter_pdf(application), filename)
    entry = papers.letter_entry(application)
    if entry is None:
        messages.error(
            request, _("The application is not on the approved lists: no letter was sent.")
        )
        return redirect("recruitment:application_detail", pk)
    return archive.paper_response(
        request,
        entry,
        papers.LETTER,
        lambda draft: papers.letters_pdf(entry.version, only=application),
        filename,
        binding=True,
    )
