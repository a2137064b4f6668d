"""Dates as the office writes them in messages and records."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_noop


def short_date(value: datetime.date) -> str:
    """A day as the active language writes it in short (both of the project's languages:
    "d.m.Y", lebork_einclusion/formats)."""
    return date_format(value, "SHORT_DATE_FORMAT")


# Polish writes a month's name in lowercase mid-sentence ("grudzień 2026", "do 1 grudnia"), while
# Django's own Polish catalogue capitalises the nominative that the "F" of YEAR_MONTH_FORMAT
# prints. The project's catalogue (locale/pl) gives these names in lowercase, so that every date
# format writes them as the office does; a heading that starts with a month capitalises it
# (capfirst), as any first word.
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
