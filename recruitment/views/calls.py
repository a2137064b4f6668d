"""Recruitment screens of a call: the call, its import, its committee meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import save_versioned
from lebork_einclusion.pages import form_page

from .. import domain, queries
from ..forms import CallForm, ImportForm, MeetingForm
from ..interchange import do_import, load_json
from ..models import Call, CommitteeMeeting, Evaluation
from ..services import evaluation, lists


def get_call(pk) -> Call:
    return get_object_or_404(Call, pk=pk)


def current_call(request) -> Call | None:
    pk = request.GET.get("call")
    if pk and pk.isdigit():
        return get_call(pk)
    return queries.current_call()


def call_list(request):
    calls = Call.objects.annotate(applications_count=Count("applications")).order_by("-opens_on")
    return render(request, "recruitment/call_list.html", {"calls": calls})


def call_detail(request, pk):
    call = get_call(pk)
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
    call = get_call(pk) if pk else Call()
    form = CallForm(request.POST or None, instance=call)

    def save(data):
        lists.check_rules_unlocked(call, form.changed_data)
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
    call = get_call(pk)
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


def meeting_list(request, pk):
    call = get_call(pk)
    return render(
        request,
        "recruitment/meeting_list.html",
        {"call": call, "meetings": call.meetings.prefetch_related("members")},
    )


def meeting_edit(request, pk, meeting_pk=None):
    call = get_call(pk)
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
