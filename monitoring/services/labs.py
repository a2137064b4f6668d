"""The labs: their monthly opening hours and the supervisors' monthly reports.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import ConcurrentEditError, save_versioned
from lebork_einclusion.models import PublicUnit

from .. import schedules
from ..models import (
    LabReport,
    LabSchedule,
    LabSlot,
)
from .errors import raise_errors

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
    raise_errors(
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
    raise_errors(report_errors(month, hours_open, submitted_on))
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
