"""The schedule: sessions of a group, checked against the module's dates, rooms, trainers and
trainees' other sessions."""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, service

from .. import rules
from ..models import (
    Trainee,
    TrainingGroup,
    TrainingSession,
)
from ._shared import hours_text, lock_schedule, raise_errors, save_record, time_text
from .trainees import places_of


def overlapping_sessions(date, starts_at, ends_at, exclude_pk=None):
    sessions = TrainingSession.objects.filter(
        date=date, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("group__module")
    if exclude_pk:
        sessions = sessions.exclude(pk=exclude_pk)
    return sessions


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def session_errors(group: TrainingGroup, data: Mapping, exclude_pk=None) -> dict:
    """Why a session cannot be held as given: outside the module's dates, hours that do not fit
    its length, and the same room, trainer or trainee in an overlapping session."""
    module = group.module
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    date, starts_at, ends_at = data.get("date"), data.get("starts_at"), data.get("ends_at")
    hours = data.get("hours")
    if date and not module.starts_on <= date <= module.ends_on:
        add(
            "date",
            _("%(date)s is outside the module's dates (%(start)s–%(end)s).")
            % {
                "date": short_date(date),
                "start": short_date(module.starts_on),
                "end": short_date(module.ends_on),
            },
        )
    if not (date and starts_at and ends_at):
        return errors
    if ends_at <= starts_at:
        add("ends_at", _("The session must end after it starts."))
        return errors
    if hours is not None:
        most = rules.hours_in(starts_at, ends_at, module.hour_unit)
        if hours > most:
            add(
                "hours",
                _("From %(start)s to %(end)s there is time for at most %(most)s h (%(unit)s).")
                % {
                    "start": time_text(starts_at),
                    "end": time_text(ends_at),
                    "most": hours_text(most),
                    "unit": module.get_hour_unit_display(),
                },
            )
    others = list(overlapping_sessions(date, starts_at, ends_at, exclude_pk))
    room, trainer = (data.get("room") or "").strip(), (data.get("trainer") or "").strip()

    def when(other):
        return {
            "group": f"{other.group.name} ({other.group.module.name})",
            "date": short_date(other.date),
            "start": time_text(other.starts_at),
            "end": time_text(other.ends_at),
        }

    for other in others:
        if room and _same(room, other.room):
            add(
                "room",
                _("%(room)s is taken then: %(group)s meets there on %(date)s %(start)s–%(end)s.")
                % {"room": room, **when(other)},
            )
        if trainer and _same(trainer, other.trainer):
            add(
                "trainer",
                _("%(trainer)s teaches %(group)s then, on %(date)s %(start)s–%(end)s.")
                % {"trainer": trainer, **when(other)},
            )
    if others:
        people = Trainee.objects.filter(group=group).select_related("member")
        pesels = {t.person_pesel for t in people}
        clashes = {}
        for place in (
            places_of(pesels)
            .filter(group_id__in={o.group_id for o in others})
            .select_related("member")
        ):
            clashes.setdefault(place.group_id, []).append(place)
        for other in others:
            places = clashes.get(other.group_id)
            if not places:
                continue
            names = sorted(
                {t.full_name for t in people if t.person_pesel in {p.person_pesel for p in places}}
            )
            add(
                NON_FIELD_ERRORS,
                ngettext(
                    "%(names)s would be in two sessions at once: %(group)s meets on %(date)s "
                    "%(start)s–%(end)s.",
                    "%(names)s would be in two sessions at once: %(group)s meets on %(date)s "
                    "%(start)s–%(end)s.",
                    len(names),
                )
                % {"names": ", ".join(names), **when(other)},
            )
    return errors


def locked_session_error(session: TrainingSession):
    return ValidationError(
        _(
            "The signed sheet of this session is attached: the session can no longer change. "
            "Attendance is changed by a correction with its reason."
        ),
        code="locked",
    )


@service
def do_save_session(session: TrainingSession, data: Mapping, *, actor) -> TrainingSession:
    """Schedule a session (`session` unsaved, with its group) or change one; refused when it
    conflicts or is locked. `data`: the fields to set; a `version` in it is the one the form
    was opened with."""
    fields = dict(data)
    expected = fields.pop("version", None)
    if session.pk is not None:
        session = locked(session, expected_version=expected)
        if session.locked:
            raise locked_session_error(session)
    lock_schedule()
    group = TrainingGroup.objects.select_related("module").get(pk=session.group_id)
    raise_errors(session_errors(group, fields, exclude_pk=session.pk))
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    save_record(session)
    return session


@service
def do_cancel_session(session: TrainingSession, *, actor) -> None:
    """Remove a session nobody attended yet (cancelled, or scheduled by mistake)."""
    session = locked(session)
    if session.locked:
        raise locked_session_error(session)
    if session.attendance.exists():
        raise ValidationError(
            _("Attendance is recorded for this session: it took place and stays.")
        )
    session.delete()
