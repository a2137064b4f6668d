"""The schedule: a session's page, its form and removal, its papers, and a week of sessions."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lebork_einclusion import clock
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.uploads import file_response

from .. import papers, sessions_due
from ..forms import (
    SessionForm,
)
from ..models import (
    AttendanceCorrection,
    TrainingModule,
    TrainingSession,
)
from ..services import sessions as session_services
from ._shared import get_group, get_session, slug
from .attendance import attendance_rows, mark_counts


def session_edit(request, pk=None, group_pk=None):
    if pk:
        session = get_session(pk)
        if session.locked:
            messages.error(request, session_services.locked_session_error(session).messages[0])
            return redirect("training:session_detail", session.pk)
        group = session.group
    else:
        group = get_group(group_pk)
        session = TrainingSession(group=group, trainer=group.trainer, room=group.room)
    form = SessionForm(request.POST or None, instance=session)

    def save(data):
        saved = session_services.do_save_session(session, data, actor=request.user)
        return reverse("training:session_detail", args=[saved.pk])

    return form_page(
        request,
        form,
        save,
        template="training/session_form.html",
        context={"session": session, "group": group, "module": group.module},
        success=_("The session has been saved."),
    )


def session_detail(request, pk):
    session = get_session(pk)
    trainees, marks = attendance_rows(session)
    corrections = AttendanceCorrection.objects.filter(attendance__session=session).select_related(
        "attendance__trainee__member", "corrected_by"
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "group": session.group,
            "module": session.group.module,
            "rows": [(t, marks.get(t.pk)) for t in trainees],
            "counts": mark_counts(trainees, marks),
            "corrections": corrections,
            "today": clock.today(),
        },
    )


@require_POST
def session_delete(request, pk):
    session = get_session(pk)
    group = session.group
    try:
        session_services.do_cancel_session(session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:session_detail", session.pk)
    messages.success(request, _("The session has been removed from the schedule."))
    return redirect("training:group_detail", group.pk)


def session_sheet_pdf(request, pk):
    session = get_session(pk)
    if session.locked:
        # The sheet as signed is its scan: opened as it was attached, never the blank form
        # rendered again with today's names.
        return redirect("training:session_scan", session.pk)
    pdf = papers.sign_in_sheets_pdf(TrainingSession.objects.filter(pk=session.pk))
    return pdf_response(pdf, f"lista-obecnosci-{session.date:%Y-%m-%d}-{slug(session.group)}.pdf")


def session_scan(request, pk):
    session = get_session(pk)
    if not session.sheet_scan:
        raise Http404
    return file_response(
        session.sheet_scan, f"lista-podpisana-{session.date:%Y-%m-%d}-{slug(session.group)}"
    )


def schedule(request):
    """A week of sessions, day by day (all modules, or one)."""
    modules = TrainingModule.objects.order_by("number")
    module = None
    module_pk = request.GET.get("module", "")
    if module_pk.isdigit():
        module = modules.filter(pk=module_pk).first()
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = module.starts_on if module else clock.today()
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    sessions = (
        TrainingSession.objects.filter(date__range=(monday, sunday))
        .select_related("group__module")
        .order_by("date", "starts_at", "group_id")
    )
    if module:
        sessions = sessions.filter(group__module=module)
    by_day = {monday + datetime.timedelta(days=i): [] for i in range(7)}
    for session in sessions:
        by_day[session.date].append(session)
    days = [(d, items) for d, items in by_day.items() if items or d.weekday() < 5]
    return render(
        request,
        "training/schedule.html",
        {
            "days": days,
            "monday": monday,
            "sunday": sunday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "modules": modules,
            "module": module,
            "today": clock.today(),
            "hours": sum((s.hours for items in by_day.values() for s in items), 0),
        },
    )


SESSION_LISTS = {
    "today": sessions_due.sessions_on,
    "unmarked": sessions_due.sessions_without_attendance,
}


def session_list(request):
    """Today's sessions (`?show=today`) or the sessions held with no attendance entered yet
    (`?show=unmarked`): the lists the assistant's to-dos open."""
    today = clock.today()
    show = request.GET.get("show", "today")
    if show not in SESSION_LISTS:
        show = "today"
    sessions = (
        SESSION_LISTS[show](today)
        .select_related("group__module")
        .order_by("-date" if show == "unmarked" else "date", "starts_at", "group_id")
    )
    return render(
        request,
        "training/session_list.html",
        {
            "show": show,
            "today": today,
            "page": seek_page(request, sessions),
            "query": query_without_page(request),
        },
    )
