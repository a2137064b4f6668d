"""Every write of training: one `do_<verb>(..., actor)` per state change, in one transaction.

A refused step raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one, and writes nothing. Views, the demo and the tests call these.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lebork_einclusion import pesel as pesel_rules
from lebork_einclusion.concurrency import save_versioned
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project
from lebork_einclusion.uploads import KINDS, SCAN_KINDS, validate_upload
from lending.models import Participant
from recruitment.models import HouseholdMember

from . import rules
from .models import (
    Attendance,
    AttendanceCorrection,
    ELearningEnrolment,
    ProgressImport,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)

Status = Attendance.Status


# --- formatting for messages --------------------------------------------------------------------


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _hours(value: Decimal) -> str:
    return rules.format_hours(value)


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# The whole schedule is checked for overlaps under one lock, so that two sessions saved at the
# same moment cannot both pass the check (scheduling is rare; waiting is harmless).
_SCHEDULE_LOCK = 7_277_001


def _lock_schedule():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULE_LOCK])


# --- modules and groups ---------------------------------------------------------------------------


def _module_date_errors(module: TrainingModule) -> dict:
    if module.pk is None or not (module.starts_on and module.ends_on):
        return {}
    outside = (
        TrainingSession.objects.filter(group__module=module)
        .filter(Q(date__lt=module.starts_on) | Q(date__gt=module.ends_on))
        .order_by("date")
        .first()
    )
    if outside:
        return {
            "starts_on" if outside.date < module.starts_on else "ends_on": _(
                "A session of %(group)s is on %(date)s, outside these dates: move or cancel it "
                "first."
            )
            % {"group": outside.group.name, "date": short_date(outside.date)}
        }
    return {}


def do_create_module(*, actor, project=None, **fields) -> TrainingModule:
    """Register a module (the demo and tests; the page uses do_save_module)."""
    with transaction.atomic():
        module = TrainingModule(project=project or Project.current(), **fields)
        module.full_clean()
        module.save()
        return module


def do_save_module(form, *, actor) -> TrainingModule:
    with transaction.atomic():
        if form.instance.project_id is None:
            form.instance.project = Project.current()
        if form.instance.pk:
            _lock(TrainingModule, form.instance)
        _raise(_module_date_errors(form.instance))
        return save_versioned(form)


def _capacity_errors(group: TrainingGroup) -> dict:
    if group.pk is None:
        return {}
    taken = Trainee.objects.filter(group=group).count()
    if group.capacity < taken:
        return {
            "capacity": _(
                "%(group)s already has %(taken)d trainees: the number of places cannot be lower."
            )
            % {"group": group.name, "taken": taken}
        }
    return {}


def do_create_group(module: TrainingModule, *, actor, **fields) -> TrainingGroup:
    with transaction.atomic():
        group = TrainingGroup(module=module, **fields)
        group.full_clean()
        group.save()
        return group


def do_save_group(form, *, actor) -> TrainingGroup:
    with transaction.atomic():
        if form.instance.pk:
            _lock(TrainingGroup, form.instance)
        _raise(_capacity_errors(form.instance))
        return save_versioned(form)


# --- trainees ----------------------------------------------------------------------------------------


@dataclass
class Person:
    """Someone to put in a group: a household member, or a person not yet a member."""

    participant: Participant
    member: HouseholdMember | None = None
    first_name: str = ""
    last_name: str = ""
    pesel: str = ""
    reason: str = ""

    @property
    def name(self) -> str:
        if self.member is not None:
            return f"{self.member.first_name} {self.member.last_name}"
        return f"{self.first_name} {self.last_name}"

    @property
    def person_pesel(self) -> str:
        return self.member.pesel if self.member is not None else self.pesel


def places_of(pesels: Iterable[str]):
    """Trainee rows of these people in any module (as members or not)."""
    pesels = [p for p in pesels if p]
    return Trainee.objects.filter(Q(member__pesel__in=pesels) | Q(pesel__in=pesels))


def took_part_on(participant: Participant, day: datetime.date) -> bool:
    """Was the household taking part on that day (joined, not yet ended)?"""
    if participant.ended_on is None:
        return participant.status == Participant.Status.ACTIVE and participant.joined_on <= day
    return participant.joined_on <= day <= participant.ended_on


def _person_errors(group: TrainingGroup, people: list[Person], on: datetime.date) -> list[str]:
    """`on`: the enrolment date. Records typed in later (from the paper register) enrol people
    of households that took part then, even if they have left since."""
    module = group.module
    errors = []
    pesels = [p.person_pesel for p in people]
    already = {
        place.person_pesel: place
        for place in places_of(pesels).filter(module=module).select_related("member", "group")
    }
    seen = set()
    for person in people:
        participant = person.participant
        if not took_part_on(participant, on):
            errors.append(
                _("%(name)s: household %(number)s no longer takes part in the project.")
                % {"name": person.name, "number": participant.application.number}
            )
        if person.member is not None and person.member.application_id != participant.application_id:
            errors.append(
                _("%(name)s is not a member of household %(number)s.")
                % {"name": person.name, "number": participant.application.number}
            )
        key = person.person_pesel
        if key in seen:
            errors.append(_("%(name)s is chosen twice.") % {"name": person.name})
        seen.add(key)
        place = already.get(key)
        if place is not None:
            errors.append(
                _(
                    "%(name)s is already in %(group)s of this module: a person is in one group of a module."
                )
                % {"name": person.name, "group": place.group.name}
            )
    return errors


def _schedule_clash_errors(group: TrainingGroup, people: list[Person]) -> list[str]:
    """People whose other groups meet at the same time as this group's sessions."""
    mine = list(group.sessions.all())
    if not mine:
        return []
    places = list(
        places_of(p.person_pesel for p in people)
        .exclude(group=group)
        .select_related("member", "group")
    )
    if not places:
        return []
    theirs = TrainingSession.objects.filter(
        group_id__in={p.group_id for p in places}, date__in={s.date for s in mine}
    ).select_related("group")
    errors = []
    for other in theirs:
        for session in mine:
            if other.date == session.date and rules.overlaps(
                session.starts_at, session.ends_at, other.starts_at, other.ends_at
            ):
                names = sorted({p.full_name for p in places if p.group_id == other.group_id})
                errors.append(
                    _(
                        "%(names)s would be in two sessions at once: %(group)s meets on %(date)s "
                        "%(start)s–%(end)s, when %(other)s meets too."
                    )
                    % {
                        "names": ", ".join(names),
                        "group": group.name,
                        "date": short_date(session.date),
                        "start": _time(session.starts_at),
                        "end": _time(session.ends_at),
                        "other": other.group.name,
                    }
                )
    return errors


def _sex_and_age(pesel: str, on: datetime.date) -> tuple[str, int]:
    return pesel_rules.sex(pesel), max(0, pesel_rules.age_on(pesel, on))


def _enrol_e_learning(trainee: Trainee) -> None:
    ELearningEnrolment.objects.create(
        trainee=trainee, login=f"LBK{trainee.module.number}-{trainee.pk:05d}"
    )


def do_add_trainees(
    group: TrainingGroup, people: list[Person], *, actor, enrolled_on=None
) -> list[Trainee]:
    """Put people of participating households in a group: all of them, or none.

    Refused: a group over its places, a household that no longer takes part, a member of
    another household, a person already in a group of the module, and a person whose other
    groups meet at the same time.
    """
    if not people:
        raise ValidationError(_("Choose at least one person."))
    with transaction.atomic():
        group = TrainingGroup.objects.select_for_update().select_related("module").get(pk=group.pk)
        _lock_schedule()
        taken = Trainee.objects.filter(group=group).count()
        errors = []
        if taken + len(people) > group.capacity:
            errors.append(
                ngettext(
                    "%(group)s has %(capacity)d places and %(taken)d are taken: %(n)d more "
                    "person does not fit.",
                    "%(group)s has %(capacity)d places and %(taken)d are taken: %(n)d more "
                    "people do not fit.",
                    len(people),
                )
                % {
                    "group": group.name,
                    "capacity": group.capacity,
                    "taken": taken,
                    "n": len(people),
                }
            )
        errors += _person_errors(group, people, enrolled_on or timezone.localdate())
        errors += _schedule_clash_errors(group, people)
        if errors:
            raise ValidationError(errors)
        module = group.module
        enrolled_on = enrolled_on or timezone.localdate()
        created = []
        for person in people:
            sex, age = _sex_and_age(person.person_pesel, module.starts_on)
            trainee = Trainee.objects.create(
                module=module,
                group=group,
                participant=person.participant,
                member=person.member,
                first_name="" if person.member else person.first_name.strip(),
                last_name="" if person.member else person.last_name.strip(),
                pesel="" if person.member else person.pesel,
                reason="" if person.member else person.reason.strip(),
                sex=sex,
                age=age,
                enrolled_on=enrolled_on,
            )
            if module.is_e_learning:
                _enrol_e_learning(trainee)
            created.append(trainee)
        return created


def do_add_members(group, members: Iterable[HouseholdMember], *, actor, enrolled_on=None):
    """Household members into a group (the usual case)."""
    members = list(members)
    participants = {
        p.application_id: p
        for p in Participant.objects.select_related("application").filter(
            application_id__in={m.application_id for m in members}
        )
    }
    people = []
    for member in members:
        participant = participants.get(member.application_id)
        if participant is None:
            raise ValidationError(
                _("%(name)s: the household does not take part in the project.")
                % {"name": f"{member.first_name} {member.last_name}"}
            )
        people.append(Person(participant=participant, member=member))
    return do_add_trainees(group, people, actor=actor, enrolled_on=enrolled_on)


def do_add_newcomer(
    group: TrainingGroup,
    participant: Participant,
    *,
    first_name: str,
    last_name: str,
    pesel: str,
    reason: str,
    actor,
    enrolled_on=None,
) -> Trainee:
    """A person of the household who is not (yet) a member in its application, with the reason."""
    errors = {}
    if not first_name.strip():
        errors["first_name"] = _("Enter the first name.")
    if not last_name.strip():
        errors["last_name"] = _("Enter the last name.")
    try:
        pesel = pesel_rules.validate_pesel(pesel)
    except ValidationError as error:
        errors["pesel"] = error.messages[0]
    if not reason.strip():
        errors["reason"] = _(
            "Say why this person is not a member of the household (e.g. moved in on ...)."
        )
    if "pesel" not in errors:
        member = participant.application.members.filter(pesel=pesel).first()
        if member is not None:
            errors["pesel"] = _(
                "%(name)s is a member of this household: choose them from the household's list."
            ) % {"name": f"{member.first_name} {member.last_name}"}
    _raise(errors)
    person = Person(
        participant=participant,
        first_name=first_name,
        last_name=last_name,
        pesel=pesel,
        reason=reason,
    )
    return do_add_trainees(group, [person], actor=actor, enrolled_on=enrolled_on)[0]


def do_remove_trainee(trainee: Trainee, *, actor) -> None:
    """Take someone out of a group before any attendance is recorded for them."""
    with transaction.atomic():
        trainee = _lock(Trainee, trainee)
        marks = trainee.attendance.count()
        if marks:
            raise ValidationError(
                ngettext(
                    "%(name)s has attendance recorded in %(n)d session: the record stays.",
                    "%(name)s has attendance recorded in %(n)d sessions: the record stays.",
                    marks,
                )
                % {"name": trainee.full_name, "n": marks}
            )
        ELearningEnrolment.objects.filter(trainee=trainee).delete()
        trainee.delete()


# --- sessions ---------------------------------------------------------------------------------------


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
                    "start": _time(starts_at),
                    "end": _time(ends_at),
                    "most": _hours(most),
                    "unit": module.get_hour_unit_display(),
                },
            )
    others = list(overlapping_sessions(date, starts_at, ends_at, exclude_pk))
    room, trainer = (data.get("room") or "").strip(), (data.get("trainer") or "").strip()

    def when(other):
        return {
            "group": f"{other.group.name} ({other.group.module.name})",
            "date": short_date(other.date),
            "start": _time(other.starts_at),
            "end": _time(other.ends_at),
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


def do_schedule_session(group: TrainingGroup, *, actor, **fields) -> TrainingSession:
    """A new session of a group (the demo and tests; the page uses do_save_session)."""
    with transaction.atomic():
        group = TrainingGroup.objects.select_related("module").get(pk=group.pk)
        _lock_schedule()
        _raise(session_errors(group, fields))
        session = TrainingSession(group=group, **fields)
        session.full_clean()
        session.save()
        return session


def do_save_session(form, *, actor) -> TrainingSession:
    """Create or edit a session from its form; refused when it conflicts or is locked."""
    with transaction.atomic():
        session = form.instance
        if session.pk:
            current = _lock(TrainingSession, session)
            if current.locked:
                raise locked_session_error(current)
        _lock_schedule()
        group = TrainingGroup.objects.select_related("module").get(pk=session.group_id)
        _raise(session_errors(group, form.cleaned_data, exclude_pk=session.pk))
        return save_versioned(form)


def do_cancel_session(session: TrainingSession, *, actor) -> None:
    """Remove a session nobody attended yet (cancelled, or scheduled by mistake)."""
    with transaction.atomic():
        session = _lock(TrainingSession, session)
        if session.locked:
            raise locked_session_error(session)
        if session.attendance.exists():
            raise ValidationError(
                _("Attendance is recorded for this session: it took place and stays.")
            )
        session.delete()


# --- attendance --------------------------------------------------------------------------------------

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


def do_record_attendance(session: TrainingSession, marks: Marks, *, actor, today=None) -> int:
    """Marks for some or all trainees of an unlocked session (the phone page sends one at a
    time, the desk page the whole sheet). Returns how many marks changed."""
    with transaction.atomic():
        session = (
            TrainingSession.objects.select_for_update().select_related("group").get(pk=session.pk)
        )
        if session.locked:
            raise locked_session_error(session)
        future = _not_yet_held(session, today or timezone.localdate())
        if future:
            raise future
        errors, _trainees = _check_marks(session, marks)
        _raise(errors)
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
    session.sheet_attached_at = timezone.now()
    session.sheet_attached_by = actor
    session.version += 1
    session.save()


def do_enter_sheet(session: TrainingSession, marks: Marks, scan=None, *, actor, today=None) -> int:
    """The desk page: the whole sheet typed in, and its scan attached (which locks the session).
    All or nothing: a refused scan leaves the marks unsaved too."""
    with transaction.atomic():
        changed = do_record_attendance(session, marks, actor=actor, today=today)
        if scan is not None:
            session = TrainingSession.objects.select_for_update().get(pk=session.pk)
            _attach(session, scan, actor)
        return changed


def do_attach_sheet(session: TrainingSession, scan, *, actor, today=None) -> None:
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.locked:
            raise ValidationError({"scan": _("The signed sheet is already attached.")})
        future = _not_yet_held(session, today or timezone.localdate())
        if future:
            raise ValidationError({"scan": future.messages[0]})
        _attach(session, scan, actor)


def do_correct_attendance(
    session: TrainingSession, marks: Marks, *, reason: str, actor
) -> list[AttendanceCorrection]:
    """Change attendance of a locked session: only with a reason, each change recorded."""
    with transaction.atomic():
        session = (
            TrainingSession.objects.select_for_update().select_related("group").get(pk=session.pk)
        )
        if not session.locked:
            do_record_attendance(session, marks, actor=actor)
            return []
        errors, _trainees = _check_marks(session, marks)
        _raise(errors)
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


# --- e-learning -------------------------------------------------------------------------------------


def do_hand_over_login(
    enrolment: ELearningEnrolment, *, handed_over_on: datetime.date, actor
) -> ELearningEnrolment:
    with transaction.atomic():
        enrolment = _lock(ELearningEnrolment, enrolment)
        if handed_over_on > timezone.localdate():
            raise ValidationError({"handed_over_on": _("The date cannot be in the future.")})
        enrolment.login_handed_over_on = handed_over_on
        enrolment.save(update_fields=["login_handed_over_on"])
        return enrolment


@dataclass(frozen=True)
class ImportProblem:
    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class ProgressRow:
    enrolment_id: int
    percent: Decimal
    last_activity: datetime.date | None


# What the provider's export calls its columns (Polish or English, any case).
COLUMNS = {
    "login": ("login", "użytkownik", "nazwa użytkownika", "username", "user"),
    "percent": (
        "postęp",
        "postęp (%)",
        "postęp %",
        "ukończono",
        "ukończono (%)",
        "procent",
        "progress",
        "progress (%)",
        "percent",
        "completed",
    ),
    "last_activity": (
        "ostatnia aktywność",
        "ostatnie logowanie",
        "last activity",
        "last access",
        "last login",
    ),
    "name": ("imię i nazwisko", "uczestnik", "nazwisko i imię", "name", "full name"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S")


def _column(headers: Iterable[str], kind: str) -> str | None:
    for header in headers:
        if header in COLUMNS[kind]:
            return header
    return None


def _percent(value) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value or "").strip().rstrip("%").strip().replace(",", ".").replace("\xa0", "")
    return Decimal(text)


def _activity(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _normal(name: str) -> str:
    return " ".join(re.split(r"\s+", str(name or "").strip())).casefold()


def check_progress(module: TrainingModule, rows: list[dict]) -> tuple[list[ImportProblem], list]:
    """Every row of the provider's export checked: problems, or the rows to save."""
    problems: list[ImportProblem] = []
    if not rows:
        return [ImportProblem(None, "", _("The file has no rows."))], []
    headers = [h for h in rows[0] if h != "_row"]
    login_col = _column(headers, "login")
    percent_col = _column(headers, "percent")
    activity_col = _column(headers, "last_activity")
    name_col = _column(headers, "name")
    missing = {
        "login": _("The file has no login column (expected one of: %(names)s)."),
        "percent": _("The file has no progress column (expected one of: %(names)s)."),
    }
    for kind, column in (("login", login_col), ("percent", percent_col)):
        if column is None:
            problems.append(
                ImportProblem(None, kind, missing[kind] % {"names": ", ".join(COLUMNS[kind])})
            )
    if problems:
        return problems, []
    enrolments = {
        e.login.casefold(): e
        for e in ELearningEnrolment.objects.filter(trainee__module=module).select_related(
            "trainee__member"
        )
    }
    parsed, seen = [], {}
    for row in rows:
        number = row["_row"]
        login = str(row.get(login_col) or "").strip()
        enrolment = enrolments.get(login.casefold())
        if not login:
            problems.append(ImportProblem(number, login_col, _("The login is empty.")))
        elif enrolment is None:
            problems.append(
                ImportProblem(
                    number,
                    login_col,
                    _("Nobody in %(module)s has the login %(login)s.")
                    % {"module": module.name, "login": login},
                )
            )
        elif login.casefold() in seen:
            problems.append(
                ImportProblem(
                    number,
                    login_col,
                    _("The login %(login)s is also in row %(other)d.")
                    % {"login": login, "other": seen[login.casefold()]},
                )
            )
        else:
            seen[login.casefold()] = number
        if enrolment is not None and name_col and row.get(name_col):
            given = _normal(row[name_col])
            trainee = enrolment.trainee
            expected = {_normal(trainee.full_name), _normal(" ".join(reversed(trainee.sort_name)))}
            expected.add(_normal(f"{trainee.sort_name[0]} {trainee.sort_name[1]}"))
            if given not in expected:
                problems.append(
                    ImportProblem(
                        number,
                        name_col,
                        _(
                            "The name %(given)s is not that of the trainee with this login (%(name)s)."
                        )
                        % {"given": row[name_col], "name": trainee.full_name},
                    )
                )
        percent = None
        try:
            percent = _percent(row.get(percent_col))
        except (InvalidOperation, ValueError):
            problems.append(
                ImportProblem(
                    number,
                    percent_col,
                    _("%(value)s is not a percentage.") % {"value": row.get(percent_col) or "—"},
                )
            )
        else:
            if not Decimal(0) <= percent <= Decimal(100):
                problems.append(
                    ImportProblem(
                        number,
                        percent_col,
                        _("The percentage must be between 0 and 100, not %(value)s.")
                        % {"value": row.get(percent_col)},
                    )
                )
        activity = None
        if activity_col:
            try:
                activity = _activity(row.get(activity_col))
            except ValueError:
                problems.append(
                    ImportProblem(
                        number,
                        activity_col,
                        _("%(value)s is not a date (e.g. 2013-12-10 or 10.12.2013).")
                        % {"value": row.get(activity_col)},
                    )
                )
            else:
                if activity and activity > timezone.localdate():
                    problems.append(
                        ImportProblem(number, activity_col, _("The date cannot be in the future."))
                    )
        if enrolment is not None and percent is not None:
            parsed.append(ProgressRow(enrolment.pk, percent.quantize(Decimal("0.01")), activity))
    return problems, parsed


@dataclass
class ImportResult:
    problems: list[ImportProblem]
    imported: int = 0


def do_import_progress(
    module: TrainingModule, rows: list[dict], *, file_name: str, actor
) -> ImportResult:
    """The provider's progress export: every row is checked first; one problem and nothing is
    saved (every problem is listed)."""
    if not module.is_e_learning:
        return ImportResult(
            [ImportProblem(None, "", _("Progress is imported for e-learning modules only."))]
        )
    with transaction.atomic():
        problems, parsed = check_progress(module, rows)
        if problems:
            return ImportResult(problems)
        now = timezone.now()
        enrolments = ELearningEnrolment.objects.select_for_update().in_bulk(
            [row.enrolment_id for row in parsed]
        )
        for row in parsed:
            enrolment = enrolments[row.enrolment_id]
            enrolment.progress_percent = row.percent
            enrolment.last_activity_on = row.last_activity
            enrolment.progress_imported_at = now
        ELearningEnrolment.objects.bulk_update(
            enrolments.values(), ["progress_percent", "last_activity_on", "progress_imported_at"]
        )
        ProgressImport.objects.create(
            module=module, file_name=file_name[:200], rows=len(parsed), imported_by=actor
        )
        return ImportResult([], len(parsed))
