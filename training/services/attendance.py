"""Attendance: marks on the phone or from the signed sheet, the scan that locks a session,
and corrections with their reason."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service
from lebork_einclusion.uploads import KINDS, SCAN_KINDS, validate_upload

from ..models import (
    Attendance,
    AttendanceCorrection,
    Trainee,
    TrainingSession,
)
from ._shared import raise_errors
from .sessions import locked_session_error

Status = Attendance.Status

Marks = Mapping[int, tuple[str, str]]  # trainee id -> (status, reason for an excused absence)


def _check_marks(session: TrainingSession, marks: Marks) -> tuple[dict, dict[int, Trainee]]:
    trainees = {
        t.pk: t for t in Trainee.objects.filter(group_id=session.group_id).select_related("member")
    }
    errors: dict[str, list[str]] = {}
    outsiders = [pk for pk in marks if pk not in trainees]
    if outsiders:
        names = [
            t.full_name for t in Trainee.objects.filter(pk__in=outsiders).select_related("member")
        ] or [str(pk) for pk in outsiders]
        errors[NON_FIELD_ERRORS] = [
            _(
                "%(names)s is not in %(group)s: attendance is recorded for the group's trainees only."
            )
            % {"names": ", ".join(sorted(names)), "group": session.group.name}
        ]
    for pk, (status, reason) in marks.items():
        if pk not in trainees:
            continue
        if status not in Status.values:
            errors[str(pk)] = [_("Choose present, absent or excused.")]
        elif status == Status.EXCUSED and not (reason or "").strip():
            errors[str(pk)] = [
                _("%(name)s: give the reason for the excused absence.")
                % {"name": trainees[pk].full_name}
            ]
    return errors, trainees


def _not_yet_held(session: TrainingSession, today: datetime.date):
    if session.date > today:
        return ValidationError(
            _("The session is on %(date)s: attendance is recorded on that day or later.")
            % {"date": short_date(session.date)},
            code="future",
        )
    return None


def _write_marks(session, marks: Marks, actor) -> list[tuple[Attendance | None, Attendance]]:
    """Create or update the marks that change; returns (before, after) pairs of the changes."""
    existing = {a.trainee_id: a for a in session.attendance.all()}
    changes = []
    for pk, (status, reason) in marks.items():
        reason = (reason or "").strip() if status == Status.EXCUSED else ""
        current = existing.get(pk)
        if current is not None and (current.status, current.reason) == (status, reason):
            continue
        before = None
        if current is None:
            current = Attendance(session=session, trainee_id=pk)
        else:
            before = Attendance(status=current.status, reason=current.reason)
        current.status, current.reason, current.recorded_by = status, reason, actor
        current.save()
        changes.append((before, current))
    return changes


@service
def do_record_attendance(session: TrainingSession, marks: Marks, *, actor, today=None) -> int:
    """Marks for some or all trainees of an unlocked session (the phone page sends one at a
    time, the desk page the whole sheet). Returns how many marks changed."""
    session = TrainingSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    if session.locked:
        raise locked_session_error(session)
    future = _not_yet_held(session, today or clock.today())
    if future:
        raise future
    errors, _trainees = _check_marks(session, marks)
    raise_errors(errors)
    return len(_write_marks(session, marks, actor))


def _attach(session: TrainingSession, scan, actor) -> None:
    try:
        kind = validate_upload(scan, SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError({"scan": error.messages}) from None
    missing = Trainee.objects.filter(group_id=session.group_id).exclude(attendance__session=session)
    names = sorted(t.full_name for t in missing.select_related("member"))
    if names:
        raise ValidationError(
            {
                "scan": ngettext(
                    "Attendance of %(names)s is not entered yet: enter every trainee's before "
                    "attaching the signed sheet.",
                    "Attendance of %(names)s is not entered yet: enter every trainee's before "
                    "attaching the signed sheet.",
                    len(names),
                )
                % {"names": ", ".join(names)}
            }
        )
    # Stored under the extension of what the content is, not of what the name says.
    session.sheet_scan.save(f"lista{KINDS[kind][2]}", scan, save=False)
    session.sheet_attached_at = clock.now()
    session.sheet_attached_by = actor
    save_changed(session)


@service
def do_enter_sheet(session: TrainingSession, marks: Marks, scan=None, *, actor, today=None) -> int:
    """The desk page: the whole sheet typed in, and its scan attached (which locks the session).
    All or nothing: a refused scan leaves the marks unsaved too."""
    changed = do_record_attendance(session, marks, actor=actor, today=today)
    if scan is not None:
        session = locked(session)
        _attach(session, scan, actor)
    return changed


@service
def do_attach_sheet(session: TrainingSession, scan, *, actor, today=None) -> None:
    session = locked(session)
    if session.locked:
        raise ValidationError({"scan": _("The signed sheet is already attached.")})
    future = _not_yet_held(session, today or clock.today())
    if future:
        raise ValidationError({"scan": future.messages[0]})
    _attach(session, scan, actor)


@service
def do_correct_attendance(
    session: TrainingSession, marks: Marks, *, reason: str, actor
) -> list[AttendanceCorrection]:
    """Change attendance of a locked session: only with a reason, each change recorded."""
    session = TrainingSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    if not session.locked:
        do_record_attendance(session, marks, actor=actor)
        return []
    errors, _trainees = _check_marks(session, marks)
    raise_errors(errors)
    existing = {a.trainee_id: (a.status, a.reason) for a in session.attendance.all()}
    changing = {
        pk: mark
        for pk, mark in marks.items()
        if existing.get(pk)
        != (mark[0], (mark[1] or "").strip() if mark[0] == Status.EXCUSED else "")
    }
    if not changing:
        return []
    if not (reason or "").strip():
        raise ValidationError(
            {
                "correction_reason": _(
                    "The signed sheet of this session is attached: give the reason for the "
                    "correction. Nothing has been changed."
                )
            }
        )
    corrections = []
    for before, after in _write_marks(session, changing, actor):
        corrections.append(
            AttendanceCorrection.objects.create(
                attendance=after,
                previous_status=before.status if before else "",
                previous_reason=before.reason if before else "",
                new_status=after.status,
                new_reason=after.reason,
                reason=reason.strip(),
                corrected_by=actor,
            )
        )
    return corrections
