"""Recruitment screens: thin function views over the services and the rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pghistory.models import Events

from lebork_einclusion import clock
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.concurrency import save_versioned
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import page_of, query_without_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.tables import XLSX_TYPE, xlsx_response
from lebork_einclusion.uploads import file_response

from . import domain, papers
from .filters import ApplicationFilter, evaluations_for_list
from .forms import (
    ApplicationForm,
    ApproveListsForm,
    CallForm,
    DocumentChecklistForm,
    ImportForm,
    MeetingForm,
    MemberFormSet,
    NotificationForm,
    ReviewForm,
    WithdrawalForm,
)
from .interchange import (
    do_import,
    load_json,
    ranking_csv,
    ranking_json,
    ranking_payload,
    ranking_xlsx,
)
from .models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeMeeting,
    Evaluation,
    HouseholdMember,
    RankingVersion,
)
from .presenting import breakdown_rows, describe_reason, describe_warning, list_rows
from .queries import latest_version
from .services import applications, evaluation, lists

# --- access helpers -----------------------------------------------------------------------------


def _get_call(pk) -> Call:
    return get_object_or_404(Call, pk=pk)


def _get_application(pk) -> Application:
    return get_object_or_404(Application.objects.select_related("call", "evaluation"), pk=pk)


def _current_call(request) -> Call | None:
    pk = request.GET.get("call")
    if pk and pk.isdigit():
        return _get_call(pk)
    return Call.objects.order_by("-opens_on").first()


# --- calls --------------------------------------------------------------------------------------


def call_list(request):
    calls = Call.objects.annotate(applications_count=Count("applications")).order_by("-opens_on")
    return render(request, "recruitment/call_list.html", {"calls": calls})


def call_detail(request, pk):
    call = _get_call(pk)
    counts = dict(
        Evaluation.objects.filter(call=call)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "recruitment/call_detail.html",
        {
            "call": call,
            "counts": [(label, counts.get(code, 0)) for code, label in domain.STATUSES.items()],
            "total": sum(counts.values()),
            "meetings": call.meetings.prefetch_related("members"),
            "versions": call.versions.select_related("meeting", "created_by"),
            "document_labels": [domain.DOCUMENT_TYPES[d] for d in call.required_documents],
        },
    )


def call_edit(request, pk=None):
    call = _get_call(pk) if pk else Call()
    form = CallForm(request.POST or None, instance=call)

    def save(data):
        saved = save_versioned(form)
        evaluation.recompute(saved)
        return reverse("recruitment:call_detail", args=[saved.pk])

    return form_page(
        request,
        form,
        save,
        template="recruitment/call_form.html",
        success=_("The call has been saved."),
        context={"call": call},
    )


def call_import(request, pk):
    call = _get_call(pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            data = load_json(form.cleaned_data["file"].read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _call, problems, count = do_import(
                data, call.code, actor=request.user, update=form.cleaned_data["update"]
            )
            if not problems:
                messages.success(request, _("Imported %(n)d applications.") % {"n": count})
                return redirect("recruitment:call_detail", call.pk)
    return render(
        request, "recruitment/call_import.html", {"form": form, "call": call, "problems": problems}
    )


# --- applications ----------------------------------------------------------------------------------


def application_list(request):
    call = _current_call(request)
    if call is None:
        return render(request, "recruitment/application_list.html", {"call": None})
    filtered = ApplicationFilter(request.GET, call=call)
    page = page_of(request, filtered.qs)
    return render(
        request,
        "recruitment/application_list.html",
        {
            "call": call,
            "calls": Call.objects.order_by("-opens_on"),
            "filter": filtered,
            "page": page,
            "rows": list_rows(page),
            "query": query_without_page(request),
            "withdrawn": Application.objects.filter(call=call, withdrawn_at__isnull=False)
            .select_related(None)
            .order_by("sequence")
            .only("pk", "number", "withdrawn_at", "withdrawal_reason")[:RANKING_SHOWN],
        },
    )


def application_export(request):
    call = _current_call(request)
    if call is None:
        raise Http404
    filtered = ApplicationFilter(request.GET, call=call)
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
    rows = (
        [
            evaluation.application.number,
            f"{evaluation.applicant_first_name or ''} {evaluation.applicant_last_name or ''}".strip(),
            evaluation.application.received_on,
            evaluation.application.get_channel_display(),
            domain.STATUSES.get(evaluation.status, ""),
            evaluation.rank,
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
        queryset=application.members.all() if application.pk else HouseholdMember.objects.none(),
    )
    documents = DocumentChecklistForm(
        request.POST or None, request.FILES or None, application=application
    )
    return form, members, documents


def application_new(request):
    call = _current_call(request)
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
    application = _get_application(pk)
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
        except ValidationError as error:
            form.add_error(None, error)
            form.data = form.data.copy()
            form.data["version"] = str(Application.objects.get(pk=pk).version)
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
    members = list(application.members.all())
    documents = list(application.documents.select_related("verified_by"))
    evaluation = getattr(application, "evaluation", None)
    return {
        "application": application,
        "call": application.call,
        "members": members,
        "documents": documents,
        "missing_documents": [
            label
            for doc, label in domain.DOCUMENT_TYPES.items()
            if doc not in {d.doc_type for d in documents}
        ],
        "evaluation": evaluation,
        "breakdown": breakdown_rows(evaluation.breakdown if evaluation else [], members),
        "reasons": [describe_reason(r) for r in (evaluation.reasons if evaluation else [])],
        "warnings": [describe_warning(w) for w in (evaluation.warnings if evaluation else [])],
        "notes": application.notes.select_related("author"),
        "approved": lists.approved_status(application),
    }


def application_detail(request, pk):
    application = _get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    context = _application_context(application)
    context["history"] = Events.objects.references(application).order_by("-pgh_created_at")[:100]
    context["notifications"] = application.notifications.select_related("sent_by", "version")
    context["notification_form"] = NotificationForm(initial={"sent_on": clock.today()})
    return render(request, "recruitment/application_detail.html", context)


def application_withdraw(request, pk):
    """The coordinator withdraws an application registered by mistake, giving the reason."""
    application = _get_application(pk)
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
    application = _get_application(pk)
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


# --- committee review ----------------------------------------------------------------------------------


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
    application = _get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    pending_only = request.GET.get("pending") == "1"
    documents = list(application.documents.select_related("verified_by"))
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
        except ValidationError as error:
            form.add_error(None, error)
            current = Application.objects.get(pk=pk)
            form.data = form.data.copy()
            form.data["version"] = str(current.version)
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
        application = _get_application(pk)
        documents = list(application.documents.select_related("verified_by"))
    context = _application_context(application)
    previous, following = _neighbours(application, pending_only)
    context.update(
        {"form": form, "previous": previous, "following": following, "pending_only": pending_only}
    )
    return render(request, "recruitment/application_review.html", context)


# --- meetings ---------------------------------------------------------------------------------------


def meeting_list(request, pk):
    call = _get_call(pk)
    return render(
        request,
        "recruitment/meeting_list.html",
        {"call": call, "meetings": call.meetings.prefetch_related("members")},
    )


def meeting_edit(request, pk, meeting_pk=None):
    call = _get_call(pk)
    meeting = (
        get_object_or_404(CommitteeMeeting, pk=meeting_pk, call=call)
        if meeting_pk
        else CommitteeMeeting(call=call)
    )
    form = MeetingForm(request.POST or None, instance=meeting)

    def save(data):
        save_versioned(form)  # back to the list of meetings

    return form_page(
        request,
        form,
        save,
        template="recruitment/meeting_form.html",
        success=_("The meeting has been saved."),
        back=reverse("recruitment:meeting_list", args=[call.pk]),
        context={"call": call, "meeting": meeting},
    )


# --- ranking and lists ------------------------------------------------------------------------------------


# Beyond the main list, a list shows its first rows; the rest are one click away in the filtered
# application list and in the exports, so the page costs the same for 79 or 100 000 applications.
RANKING_SHOWN = 50


def ranking(request, pk):
    call = _get_call(pk)
    form = ApproveListsForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            version = lists.do_approve_lists(
                call,
                form.cleaned_data["meeting"],
                form.cleaned_data["decided_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The lists have been approved as version %(n)d.") % {"n": version.number}
            )
            return redirect("recruitment:version_detail", call.pk, version.number)
    evaluations = evaluations_for_list(call)
    groups = []
    for code in domain.STATUS_ORDER:
        limit = max(call.places, RANKING_SHOWN) if code == domain.MAIN else RANKING_SHOWN
        # Each list in its order (ranking order, or registration for the others): an index
        # walks it, and counts it.
        listed = evaluations.filter(status=code)
        rows = list_rows(listed.order_by("position")[:limit])
        total = (
            len(rows)
            if len(rows) < limit
            else Evaluation.objects.filter(call=call, status=code).count()
        )
        groups.append((code, domain.STATUSES[code], rows, total))
    ties = Evaluation.objects.filter(
        call=call, status__in=[domain.MAIN, domain.RESERVE], tie=True
    ).order_by("position")
    return render(
        request,
        "recruitment/ranking.html",
        {
            "call": call,
            "groups": groups,
            "form": form,
            "versions": call.versions.select_related("meeting"),
            "pending": lists.unverified_numbers(call, limit=21),
            "ties": list(ties.values_list("application__number", flat=True)[:RANKING_SHOWN]),
        },
    )


def ranking_export(request, pk, fmt):
    call = _get_call(pk)
    payload = ranking_payload(call, evaluation.current_outcomes(call))
    if fmt == "json":
        response = HttpResponse(
            ranking_json(payload), content_type="application/json; charset=utf-8"
        )
    elif fmt == "csv":
        response = HttpResponse(ranking_csv(payload), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(ranking_xlsx(payload), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="ranking-{call.code}.{fmt}"'
    response["Cache-Control"] = "no-store"
    record_personal_data_access(request, call, kinds=("pesel",))
    return response


def _get_version(pk, number) -> RankingVersion:
    return get_object_or_404(
        RankingVersion.objects.select_related("call", "meeting", "created_by"),
        call_id=pk,
        number=number,
    )


def version_detail(request, pk, number):
    version = _get_version(pk, number)
    entries = papers.version_entries(version)
    return render(
        request,
        "recruitment/version_detail.html",
        {
            "version": version,
            "call": version.call,
            "groups": papers.group_entries(entries),
            "is_latest": version == latest_version(version.call),
        },
    )


def protocol_pdf(request, pk, number):
    version = _get_version(pk, number)
    return pdf_response(
        papers.protocol_pdf(version), f"protokol-komisji-{version.call.code}-v{version.number}.pdf"
    )


def letters_pdf(request, pk, number):
    version = _get_version(pk, number)
    return pdf_response(
        papers.letters_pdf(version), f"pisma-{version.call.code}-v{version.number}.pdf"
    )


def application_pdf(request, pk):
    """The registered application printed, with the information clause."""
    application = _get_application(pk)
    record_personal_data_access(request, application, kinds=("pesel", "income", "disability"))
    return pdf_response(
        papers.application_pdf(application), f"wniosek-{application.number.replace('/', '-')}.pdf"
    )


def letter_pdf(request, pk):
    application = _get_application(pk)
    version = latest_version(application.call)
    if version is None:
        messages.error(request, _("Letters are printed after the lists are approved."))
        return redirect("recruitment:application_detail", pk)
    return pdf_response(
        papers.letters_pdf(version, only=application),
        f"pismo-{application.number.replace('/', '-')}.pdf",
    )


def results(request, pk):
    """The public results list: registration numbers only, no names, no PESEL."""
    call = _get_call(pk)
    version = latest_version(call)
    if version is None:
        raise Http404
    entries = version.entries.select_related("application").order_by(
        "rank", "application__sequence"
    )
    return render(
        request,
        "recruitment/results.html",
        {"call": call, "version": version, "groups": papers.public_groups(entries)},
    )


def results_pdf(request, pk):
    call = _get_call(pk)
    version = latest_version(call)
    if version is None:
        raise Http404
    return pdf_response(papers.results_pdf(version), f"wyniki-naboru-{call.code}.pdf")
