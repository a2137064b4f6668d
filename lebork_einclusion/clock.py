"""The office's clock: every domain date and moment comes from here.

`today()` is the office's day in Europe/Warsaw (never `date.today()`, which is the machine's
zone, nor `.date()` of an aware datetime, which is UTC's day between 23:00/22:00 and midnight).
`now()` is the aware moment the domain records (visits, decisions, papers).

A demo may move the office's day: `EINCLUSION_DEMO_TODAY=YYYY-MM-DD` (settings.DEMO_TODAY,
refused when DJANGO_PRODUCTION=1) sets `today()` and the day of `now()`, so the demo shows
the daily work of that day; the time of day stays real. Logins, sessions, lockouts, tokens
and file housekeeping use `django.utils.timezone.now()` and keep real time.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def now() -> datetime.datetime:
    """The office's moment (aware; show it with timezone.localtime). On a demo day: that day
    at the real time of day in Warsaw."""
    real = timezone.now()
    demo_day = getattr(settings, "DEMO_TODAY", None)
    if demo_day is None:
        return real
    wall_clock = timezone.localtime(real).time().replace(tzinfo=None)
    return timezone.make_aware(datetime.datetime.combine(demo_day, wall_clock))


def today() -> datetime.date:
    """The office's day in Europe/Warsaw (the demo day, when one is set)."""
    demo_day = getattr(settings, "DEMO_TODAY", None)
    if demo_day is not None:
        return demo_day
    # The office's zone (settings.TIME_ZONE; no request activates another): read from Django's
    # cache, not from the per-request current zone (an asgiref local, most of the call's cost:
    # a list page asks for today once per row).
    return timezone.localdate(timezone=timezone.get_default_timezone())


def day_of(moment: datetime.datetime) -> datetime.date:
    """The office's day (Europe/Warsaw) on which an aware moment fell."""
    return timezone.localdate(moment)
