"""Dates as the office writes them in messages and records."""

import datetime

from django.utils.formats import date_format


def short_date(value: datetime.date) -> str:
    """A day as the active language writes it in short (both of the project's languages:
    "d.m.Y", lebork_einclusion/formats)."""
    return date_format(value, "SHORT_DATE_FORMAT")
