"""Attendance: the phone page (one tap per trainee) and the desk page (the signed sheet typed
in, its scan, corrections)."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lebork_einclusion import clock
from lebork_einclusion.forms import add_service_error

from ..forms import (
    AttendanceForm,
)
from ..models import (
    Attendance,
    Trainee,
)
from ..services import attendance as attendance_services
from ._shared import get_session


def attendance_rows(session):
    trainees = sorted(
        Trainee.objects.filter(group_id=session.group_id).select_related("member"),
        key=lambda t: (t.sort_name, t.pk),
    )
    marks = {a.trainee_id: a for a in session.attendance.all()}
    return trainees, marks


def mark_counts(trainees, marks) -> dict:
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for mark in marks.values():
        counts[mark.status] += 1
    counts["unmarked"] = len(trainees) - len(marks)
    return counts


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def session_attendance(request, pk):
    """The phone page: one tap per trainee, saved at once by static/js/attendance.js; without
    JavaScript the whole form is sent by its button."""
    session = get_session(pk)
    trainees, marks = attendance_rows(session)
    form = AttendanceForm(request.POST or None, trainees=trainees, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            changed = attendance_services.do_record_attendance(
                session, form.marks(), actor=request.user
            )
        except ValidationError as error:
            if _wants_json(request):
                return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
            add_service_error(form, _field_errors(error))
        else:
            if _wants_json(request):
                trainees, marks = attendance_rows(session)
                return JsonResponse(
                    {"ok": True, "changed": changed, "counts": mark_counts(trainees, marks)}
                )
            messages.success(request, _("Attendance has been saved."))
            return redirect("training:session_attendance", session.pk)
    elif request.method == "POST" and _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "error": " ".join(form.errors.get("__all__", []) or [_("Check the marks.")]),
            },
            status=400,
        )
    return render(
        request,
        "training/session_attendance.html",
        {
            "session": session,
            "group": session.group,
            "module": session.group.module,
            "form": form,
            "counts": mark_counts(trainees, marks),
            "future": session.date > clock.today(),
        },
    )


def _field_errors(error: ValidationError) -> ValidationError:
    """Service errors keyed by trainee id -> the form's status_<id> fields."""
    if not hasattr(error, "error_dict"):
        return error
    mapped = {}
    for key, errors in error.error_dict.items():
        if key.isdigit():
            mapped[f"status_{key}"] = errors
        elif key == NON_FIELD_ERRORS:
            mapped[NON_FIELD_ERRORS] = errors
        else:
            mapped[key] = errors
    return ValidationError(mapped)


def session_desk(request, pk):
    """The desk page: typing the signed paper sheet in, and attaching its scan (which locks
    the session); on a locked session every change needs a correction's reason."""
    session = get_session(pk)
    trainees, marks = attendance_rows(session)
    form = AttendanceForm(
        request.POST or None,
        request.FILES or None,
        trainees=trainees,
        marks=marks,
        preset=not session.locked,
        scan=not session.locked,
        correction=session.locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if session.locked:
                corrections = attendance_services.do_correct_attendance(
                    session,
                    form.marks(),
                    reason=form.cleaned_data["correction_reason"],
                    actor=request.user,
                )
                message = (
                    ngettext(
                        "%(n)d correction has been recorded.",
                        "%(n)d corrections have been recorded.",
                        len(corrections),
                    )
                    % {"n": len(corrections)}
                    if corrections
                    else _("Nothing has changed.")
                )
            else:
                attendance_services.do_enter_sheet(
                    session, form.marks(), form.cleaned_data.get("scan"), actor=request.user
                )
                message = (
                    _(
                        "Attendance has been saved and the signed sheet attached: the session is locked."
                    )
                    if form.cleaned_data.get("scan")
                    else _("Attendance has been saved.")
                )
        except ValidationError as error:
            add_service_error(form, _field_errors(error))
        else:
            messages.success(request, message)
            return redirect("training:session_detail", session.pk)
    return render(
        request,
        "training/session_desk.html",
        {
            "session": session,
            "group": session.group,
            "module": session.group.module,
            "form": form,
            "future": session.date > clock.today(),
        },
    )
