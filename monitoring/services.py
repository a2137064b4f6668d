"""Every write of the monitoring app: one `do_<verb>(..., actor)` per change, in a transaction.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import ConcurrentEditError, save_versioned
from lebork_einclusion.models import Project, PublicUnit

from . import chronicle, schedules
from .indicators import live_indicators
from .models import (
    ChronicleEntry,
    IndicatorSnapshot,
    IndicatorValue,
    LabReport,
    LabSchedule,
    LabSlot,
)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


# --- the labs' monthly opening hours -----------------------------------------------------------


def do_save_schedule(
    unit: PublicUnit,
    month: datetime.date,
    slots: Sequence[schedules.Slot],
    *,
    actor,
    room: str = "",
    notes: str = "",
    contract=None,
    expected_version: int | None = None,
) -> LabSchedule:
    """Replace the month's opening hours of the unit's lab with `slots` (all or nothing).

    `expected_version`: the version the form was opened with (None for a month not entered
    yet); a schedule saved by someone else in the meantime raises ConcurrentEditError.
    """
    if month.day != 1:
        raise ValueError("month must be the first day of a month")
    problems = schedules.slot_problems(month, slots)
    if problems:
        raise ValidationError({"slots": [problems[i] for i in sorted(problems)]})
    if contract is not None and not (
        contract.term_start <= schedules.last_day(month) and contract.term_end >= month
    ):
        raise ValidationError(
            {
                "contract": _("The contract is not in force in %(month)s.")
                % {"month": schedules.month_label(month).lower()}
            }
        )
    with transaction.atomic():
        schedule = LabSchedule.objects.select_for_update().filter(unit=unit, month=month).first()
        if schedule is None:
            if expected_version is not None:
                raise ConcurrentEditError
            schedule = LabSchedule(unit=unit, month=month)
        elif expected_version != schedule.version:
            raise ConcurrentEditError
        else:
            schedule.version += 1
        schedule.room = room
        schedule.notes = notes
        schedule.contract = contract
        schedule.updated_by = actor
        schedule.save()
        schedule.slots.all().delete()
        LabSlot.objects.bulk_create(
            LabSlot(schedule=schedule, day=s.day, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in sorted(slots, key=lambda s: (s.day, s.starts_at))
        )
        return schedule


# --- the supervisors' monthly reports ----------------------------------------------------------


def report_errors(
    month: datetime.date, hours_open: Decimal | None, submitted_on: datetime.date | None
) -> dict:
    """What makes a supervisor's report impossible: a month not started yet, more hours than
    the month has, a hand-in date before the month or in the future."""
    errors = {}
    today = timezone.localdate()
    end = schedules.last_day(month)
    if month > today:
        errors["month"] = _("%(month)s has not started yet: report on it afterwards.") % {
            "month": schedules.month_label(month)
        }
    if hours_open is not None and hours_open > 24 * end.day:
        errors["hours_open"] = _("%(month)s has only %(hours)d hours.") % {
            "month": schedules.month_label(month),
            "hours": 24 * end.day,
        }
    if submitted_on is not None:
        if submitted_on > today:
            errors["submitted_on"] = _("The date cannot be in the future.")
        elif submitted_on < month:
            errors["submitted_on"] = _("A report is handed in during the month or after it.")
    return errors


def do_save_report(form, *, actor) -> LabReport:
    """Record or correct a supervisor's report (a form on LabReport, VersionedForm)."""
    report = form.instance
    _raise(
        report_errors(
            report.month, form.cleaned_data.get("hours_open"), form.cleaned_data.get("submitted_on")
        )
    )
    with transaction.atomic():
        report.recorded_by = actor
        return save_versioned(form)


def do_add_report(
    unit: PublicUnit,
    month: datetime.date,
    *,
    hours_open: Decimal,
    visitors: int,
    submitted_on: datetime.date,
    actor,
    problems: str = "",
    contract=None,
) -> LabReport:
    """Record a supervisor's report without a form (the demo, an import): checked alike."""
    _raise(report_errors(month, hours_open, submitted_on))
    report = LabReport(
        unit=unit,
        month=month,
        hours_open=hours_open,
        visitors=visitors,
        problems=problems,
        submitted_on=submitted_on,
        contract=contract,
        recorded_by=actor,
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        return report


# --- indicator snapshots -----------------------------------------------------------------------


def snapshot_errors(project: Project | None, as_of, purpose) -> dict:
    errors = {}
    if project is None:
        errors["as_of"] = _("Enter the project record first: the targets come from it.")
        return errors
    if as_of is None:
        errors["as_of"] = _("Enter the date.")
    elif as_of > timezone.localdate():
        errors["as_of"] = _("Figures can be frozen as of today or an earlier day, not ahead.")
    elif as_of < project.start_date:
        errors["as_of"] = _("The project started on %(date)s: choose a later day.") % {
            "date": _day(project.start_date)
        }
    elif purpose == IndicatorSnapshot.Purpose.DURABILITY_REPORT and as_of <= project.end_date:
        errors["purpose"] = _(
            "A durability report covers a year after the project's end (%(date)s)."
        ) % {"date": _day(project.end_date)}
    if purpose not in IndicatorSnapshot.Purpose.values:
        errors["purpose"] = _("Choose what the figures are for.")
    return errors


def do_freeze_indicators(
    project: Project, *, as_of: datetime.date, purpose: str, actor, reference="", note=""
) -> IndicatorSnapshot:
    """Freeze the live indicators as of a day. The snapshot is never changed afterwards: the
    database refuses updates and deletions of its rows."""
    _raise(snapshot_errors(project, as_of, purpose))
    # Names and units are frozen in the office's language, as they are printed.
    with translation.override(settings.LANGUAGE_CODE):
        figures = [
            (i.code, str(i.name), i.target, i.value, str(i.unit))
            for i in live_indicators(project, as_of)
        ]
    with transaction.atomic():
        snapshot = IndicatorSnapshot.objects.create(
            as_of=as_of,
            purpose=purpose,
            reference=reference.strip(),
            note=note.strip(),
            project_name=project.name,
            frozen_by=actor,
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                snapshot=snapshot,
                position=position,
                code=code,
                name=name,
                target=target,
                value=value,
                unit=unit,
            )
            for position, (code, name, target, value, unit) in enumerate(figures, start=1)
        )
        return snapshot


# --- the chronicle ---------------------------------------------------------------------------


def coverage_errors(entry: ChronicleEntry, covers: Sequence[str]) -> dict:
    """A milestone can be told of by one entry only, and must exist."""
    allowed = {key for key, _label in chronicle.milestone_choices(entry)}
    unknown = [key for key in covers if key not in allowed]
    if not unknown:
        return {}
    others = ChronicleEntry.objects.exclude(pk=entry.pk).filter(covers__overlap=unknown).first()
    if others:
        return {
            "covers": _("Another entry already tells of this milestone: %(entry)s.")
            % {"entry": others}
        }
    return {"covers": _("Choose milestones from the list.")}


def do_save_chronicle_entry(form, *, actor) -> ChronicleEntry:
    """Write or correct a chronicle entry (ChronicleEntryForm, VersionedForm)."""
    entry = form.instance
    _raise(coverage_errors(entry, form.cleaned_data.get("covers") or []))
    with transaction.atomic():
        if entry.pk is None:
            entry.created_by = actor
        return save_versioned(form)


def do_add_chronicle_entry(*, actor, covers=(), **fields) -> ChronicleEntry:
    """Add an entry without a form (the demo, an import): checked like the form's."""
    entry = ChronicleEntry(created_by=actor, covers=list(covers), **fields)
    _raise(coverage_errors(entry, entry.covers))
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        return entry
