"""What the services of training share: message formatting, refusals, the schedule lock."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection

from lebork_einclusion.records import save_changed

from .. import rules


def time_text(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def hours_text(value: Decimal) -> str:
    return rules.format_hours(value)


def raise_errors(errors: dict):
    if errors:
        raise ValidationError(errors)


def save_record(record) -> None:
    """A new record saved, or a changed one saved with its version moved on."""
    if record.pk is None:
        record.save()
    else:
        save_changed(record)


# The whole schedule is checked for overlaps under one lock, so that two sessions saved at the
# same moment cannot both pass the check (scheduling is rare; waiting is harmless).
SCHEDULE_LOCK = 7_277_001


def lock_schedule():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULE_LOCK])
