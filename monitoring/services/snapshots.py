"""Indicator snapshots: the live indicators frozen as of a day (payment claims, reports).

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project
from lebork_einclusion.records import service

from ..indicators import live_indicators
from ..models import (
    IndicatorSnapshot,
    IndicatorValue,
)
from .errors import raise_errors

# --- indicator snapshots -----------------------------------------------------------------------


def snapshot_errors(project: Project | None, as_of, purpose) -> dict:
    errors = {}
    if project is None:
        errors["as_of"] = _("Enter the project record first: the targets come from it.")
        return errors
    if as_of is None:
        errors["as_of"] = _("Enter the date.")
    elif as_of > clock.today():
        errors["as_of"] = _("Figures can be frozen as of today or an earlier day, not ahead.")
    elif as_of < project.start_date:
        errors["as_of"] = _("The project started on %(date)s: choose a later day.") % {
            "date": short_date(project.start_date)
        }
    elif purpose == IndicatorSnapshot.Purpose.DURABILITY_REPORT and as_of <= project.end_date:
        errors["purpose"] = _(
            "A durability report covers a year after the project's end (%(date)s)."
        ) % {"date": short_date(project.end_date)}
    if purpose not in IndicatorSnapshot.Purpose.values:
        errors["purpose"] = _("Choose what the figures are for.")
    return errors


@service
def do_freeze_indicators(
    project: Project, *, as_of: datetime.date, purpose: str, actor, reference="", note=""
) -> IndicatorSnapshot:
    """Freeze the live indicators as of a day. The snapshot is never changed afterwards: the
    database refuses updates and deletions of its rows."""
    raise_errors(snapshot_errors(project, as_of, purpose))
    # Names and units are frozen in the office's language, as they are printed.
    with translation.override(settings.LANGUAGE_CODE):
        figures = [
            (i.code, str(i.name), i.target, i.value, str(i.unit))
            for i in live_indicators(project, as_of)
        ]
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
