"""The test helper that runs tests at a chosen moment (tests/clock.py, tests/conftest.py)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from lebork_einclusion import clock as office_clock
from tests import clock

ROOT = Path(__file__).resolve().parents[2]
OFFICE_DAYS = {
    "winter-night": datetime.date(2026, 12, 7),
    "summer-night": datetime.date(2026, 7, 7),
    "spring-dst": datetime.date(2026, 3, 29),
    "autumn-dst": datetime.date(2026, 10, 25),
}


@pytest.mark.every_hour
def test_a_marked_test_runs_at_each_moment(clock_moment, request, settings):
    settings.DEMO_TODAY = None
    name = request.node.callspec.id
    assert clock_moment == clock.MOMENTS[name]
    assert datetime.timedelta(0) <= timezone.now() - clock_moment < datetime.timedelta(minutes=1)
    assert office_clock.today() == OFFICE_DAYS[name]
    # The night moments are on the day before in UTC: the very bug the marker is there to catch.
    if name.endswith("night"):
        assert timezone.now().date() == OFFICE_DAYS[name] - datetime.timedelta(days=1)


def test_the_marker_gives_the_four_moments(request):
    assert set(clock.MOMENTS) == set(OFFICE_DAYS)
    assert {m.astimezone(datetime.UTC).strftime("%H:%M") for m in clock.MOMENTS.values()} == {
        "23:30",
        "22:30",
        "00:30",
    }


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-12-06T23:30:00Z", datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)),
        (
            "2026-12-07T00:30+01:00",
            datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC),
        ),
        ("spring-dst", datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)),
    ],
)
def test_a_moment_is_read_from_iso_8601_or_its_name(text, moment):
    assert clock.parse_moment(text) == moment


@pytest.mark.parametrize("text", ["2026-12-06T23:30", "yesterday", "06.12.2026 23:30"])
def test_a_moment_without_an_offset_or_unreadable_is_refused(text):
    with pytest.raises(ValueError, match="--at"):
        clock.parse_moment(text)


def test_the_session_starts_at_the_at_moment(request):
    """Run by the two tests below in a pytest of its own, with --at or EINCLUSION_TEST_AT."""
    at = request.config.einclusion_at
    if at is None:
        pytest.skip("runs only under --at (see the tests below)")
    assert datetime.timedelta(0) <= timezone.now() - at < datetime.timedelta(minutes=1)
    assert office_clock.today() == timezone.localdate(at)


def _pytest_at(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != clock.ENVIRONMENT_VARIABLE}
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n0",
            *args,
            f"{Path(__file__).relative_to(ROOT)}::test_the_session_starts_at_the_at_moment",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_at_option_runs_the_tests_at_the_moment():
    run = _pytest_at("--at=2026-12-06T23:30:00Z")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_the_environment_variable_does_the_same():
    run = _pytest_at(**{clock.ENVIRONMENT_VARIABLE: "autumn-dst"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_a_bad_moment_stops_the_run():
    run = _pytest_at("--at=2026-12-06 23:30")
    assert run.returncode != 0
    assert "has no UTC offset" in run.stderr
