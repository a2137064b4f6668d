"""The labs: their monthly opening hours and the supervisors' monthly reports.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.records import locked, save_changed, service

from .. import schedules
from ..models import (
    LabReport,
    LabSchedule,
    LabSlot,
)
from .errors import raise_errors

# --- the labs' monthly opening hours -----------------------------------------------------------

SCHEDULE_CHANGED = gettext_lazy(
    "Someone else saved this month's hours while you were editing them. Your "
    "changes have NOT been saved and are still in the form: compare them with "
    "the saved hours (open the page again in another tab) and save again."
)


@service
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
    yet); a schedule saved by someone else in the meantime is refused (ValidationError, code
    "concurrent_edit").
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
                % {"month": schedules.month_label(month)}
            }
        )
    schedule = LabSchedule.objects.filter(unit=unit, month=month).first()
    if schedule is None:
        if expected_version is not None:
            raise ValidationError(SCHEDULE_CHANGED, code="concurrent_edit")
        schedule = LabSchedule(unit=unit, month=month)
    elif expected_version is None:
        # A form opened on a month not entered yet, which someone entered meanwhile.
        raise ValidationError(SCHEDULE_CHANGED, code="concurrent_edit")
    else:
        schedule = locked(schedule, expected_version=expected_version, message=SCHEDULE_CHANGED)
    schedule.room = room
    schedule.notes = notes
    schedule.contract = contract
    schedule.updated_by = actor
    if schedule.pk is None:
        schedule.save()
    else:
        save_changed(schedule)
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
    today = clock.today()
    end = schedules.last_day(month)
    if month > today:
        errors["month"] = _("%(month)s has not started yet: report on it afterwards.") % {
            "month": capfirst(schedules.month_label(month))
        }
    if hours_open is not None and hours_open > 24 * end.day:
        errors["hours_open"] = _("%(month)s has only %(hours)d hours.") % {
            "month": capfirst(schedules.month_label(month)),
            "hours": 24 * end.day,
        }
    if submitted_on is not None:
        if submitted_on > today:
            errors["submitted_on"] = _("The date cannot be in the future.")
        elif submitted_on < month:
            errors["submitted_on"] = _("A report is handed in during the month or after it.")
    return errors


@service
def do_save_report(report: LabReport, data: dict, *, actor) -> LabReport:
    """Record or correct a supervisor's report (the office's form, the demo, an import).

    `report`: the month's report, or a new one (not saved yet) with its unit and month;
    `data`: hours_open, visitors, submitted_on, problems, contract, and the `version` a form
    was opened with (a report saved by someone else since is refused)."""
    values = {name: value for name, value in data.items() if name != "version"}
    raise_errors(report_errors(report.month, values.get("hours_open"), values.get("submitted_on")))
    if report.pk is not None:
        report = locked(report, expected_version=data.get("version"))
    for name, value in values.items():
        setattr(report, name, value)
    report.recorded_by = actor
    if report.pk is None:
        report.full_clean()
        report.save()
    else:
        save_changed(report)
    return report
