"""Running tests at a chosen moment (issue 14, "one clock").

The office's day is the day in Europe/Warsaw, so a date taken in UTC (or in the machine's zone)
is a day behind between 23:00/22:00 UTC and midnight, and a day is 23 or 25 hours long on the DST
nights. Two ways to catch such bugs:

- `pytest --at=2026-12-06T23:30:00Z` (or `EINCLUSION_TEST_AT=...`) runs the whole session at
  that moment (time-machine, ticking): the demo database of the run is built at it too (its
  template is keyed by the day, tests/demo_db.py), so the demo's dates are relative to it.
- `@pytest.mark.every_hour` on a date-sensitive test runs it at each of `MOMENTS` (the test
  starts at that moment; the demo database keeps the dates of the session's day).

What time-machine cannot move: subprocesses (the browser tests' Chromium, `manage.py` runs) and
PostgreSQL's own clock (`now()`, `CURRENT_DATE`, `Now()`): they keep the machine's real time.
"""

import datetime

MOMENTS = {
    # 00:30 in Warsaw (CET): UTC is still on the previous day.
    "winter-night": datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC),
    # 00:30 in Warsaw (CEST): UTC is still on the previous day.
    "summer-night": datetime.datetime(2026, 7, 6, 22, 30, tzinfo=datetime.UTC),
    # 29.03.2026, 01:30 CET: the night the clocks go forward at 01:00 UTC (a 23-hour day).
    "spring-dst": datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),
    # 25.10.2026, 02:30 CEST: the night the clocks go back at 01:00 UTC (a 25-hour day).
    "autumn-dst": datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),
}

ENVIRONMENT_VARIABLE = "EINCLUSION_TEST_AT"


def parse_moment(text: str) -> datetime.datetime:
    """An ISO 8601 moment ("2026-12-06T23:30:00Z", "2026-12-07T00:30+01:00") or a name of
    `MOMENTS`; a moment without an offset is refused (UTC or Warsaw? say it)."""
    if text in MOMENTS:
        return MOMENTS[text]
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--at / {ENVIRONMENT_VARIABLE}: {text!r} is not an ISO 8601 moment "
            f"(e.g. 2026-12-06T23:30:00Z) nor one of {', '.join(MOMENTS)}"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(
            f"--at / {ENVIRONMENT_VARIABLE}: {text!r} has no UTC offset (write Z or +01:00)"
        )
    return moment
