"""The office's clock (lebork_einclusion.clock): Warsaw's day at any hour, and the demo day."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lebork_einclusion import clock

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("moment", "office_day"),
    [
        (datetime.datetime(2026, 12, 6, 23, 30, tzinfo=UTC), datetime.date(2026, 12, 7)),
        (datetime.datetime(2026, 7, 6, 22, 30, tzinfo=UTC), datetime.date(2026, 7, 7)),
        (datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), datetime.date(2026, 3, 29)),
        (datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), datetime.date(2026, 10, 25)),
        (datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime.date(2026, 10, 25)),
        (datetime.datetime(2026, 12, 6, 12, 0, tzinfo=UTC), datetime.date(2026, 12, 6)),
    ],
)
def test_today_is_the_day_in_warsaw_whatever_the_hour_in_utc(moment, office_day, settings):
    settings.DEMO_TODAY = None
    with time_machine.travel(moment, tick=False):
        assert clock.today() == office_day
        assert clock.day_of(clock.now()) == office_day
        assert clock.now() == moment


def test_the_demo_day_moves_the_office_day_and_keeps_the_time(settings):
    settings.DEMO_TODAY = datetime.date(2014, 5, 20)
    moment = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # 00:30 on 7.12 in Warsaw
    with time_machine.travel(moment, tick=False):
        assert clock.today() == datetime.date(2014, 5, 20)
        local = clock.now().astimezone(WARSAW)
        assert (local.date(), local.hour, local.minute) == (datetime.date(2014, 5, 20), 0, 30)


def _settings_with(**env) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_demo_day_is_refused_in_production():
    started = _settings_with(
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="example.org",
        EINCLUSION_DEMO_TODAY="2014-05-20",
        DJANGO_SETTINGS_MODULE="lebork_einclusion.settings",
    )
    assert started.returncode != 0
    assert "EINCLUSION_DEMO_TODAY cannot be used with DJANGO_PRODUCTION=1" in started.stderr


def test_a_demo_day_that_is_not_a_date_is_refused():
    started = _settings_with(
        EINCLUSION_DEMO_TODAY="20.05.2014", DJANGO_SETTINGS_MODULE="lebork_einclusion.settings"
    )
    assert started.returncode != 0
    assert "EINCLUSION_DEMO_TODAY must be a date: YYYY-MM-DD" in started.stderr
