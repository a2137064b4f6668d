"""Every indicator month by month (monitoring.series) and the indicators page that draws them:
time and queries on the demo (target <= 300 ms for the page) and with N applications' worth of
households, agreements, assets, connections and visits added (bench/monitoring_visits.py's
generator, rolled back; target <= 1 s at 100 000), each figure beside its target and the ratio.

Run: DATABASE_URL=... .venv/bin/python bench/indicator_series.py [--applications N]
     [--repeat R] [--smoke]  (tests/core/test_bench_smoke.py: 200 applications, once)
     [--as-is]  (only the database as it is, nothing added: the demo, or a copy of one with the
     100 000 applications' households committed, measured against the 1 s target when it holds
     more than 10 000 households)
"""

import argparse
import statistics
import time

from _django import setup

setup()

import pgtrigger  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from monitoring_visits import add_households  # noqa: E402

from lebork_einclusion.models import Project  # noqa: E402
from lending.models import Participant  # noqa: E402
from monitoring import series  # noqa: E402
from recruitment.models import Application  # noqa: E402


def timed(function, repeat: int):
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries)


def measure(label: str, project, client, repeat: int, page_target_ms: float):
    print(
        f"{label}: applications {Application.objects.count()}, "
        f"households taking part {Participant.objects.count()}"
    )

    def page():
        response = client.get("/monitoring/indicators/", HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    rows = [
        ("  every indicator's series", lambda: series.indicator_series(project), None),
        ("  the series as charts", lambda: series.indicator_charts(project), None),
        ("  indicators page", page, page_target_ms),
    ]
    for name, function, target in rows:
        seconds, queries = timed(function, repeat)
        ms = seconds * 1000
        against = (
            f"  target {target:.0f} ms, ratio {ms / target:.2f} "
            f"{'met' if ms <= target else 'NOT met'}"
            if target
            else ""
        )
        print(f"{name:<30} {ms:9.1f} ms  {queries:3d} queries{against}")
    every = series.indicator_series(project)
    print(f"  months: {len(every[0].months)}, indicators: {len(every)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    parser.add_argument("--as-is", action="store_true", help="nothing added: this database only")
    args = parser.parse_args()
    if args.smoke:
        args.applications, args.repeat = 200, 1
    project = Project.current()
    if project is None:
        raise SystemExit("Load the demo first (manage.py load_demo).")
    client = Client()
    client.force_login(get_user_model().objects.get(username="koordynator"))
    if args.as_is:
        large = Participant.objects.count() > 10_000
        measure("this database", project, client, args.repeat, 1000 if large else 300)
        return
    measure("demo", project, client, args.repeat, 300)
    with transaction.atomic():
        start = time.perf_counter()
        with pgtrigger.ignore():  # the audit triggers would double every insert; rolled back
            add_households(args.applications, get_user_model().objects.get(username="monitoring"))
        print(
            f"added {args.applications} applications and their households in "
            f"{time.perf_counter() - start:.0f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # Logged in again: generating 100 000 households may outlast the session's idle timeout.
        client.force_login(get_user_model().objects.get(username="koordynator"))
        measure(f"+{args.applications} applications", project, client, args.repeat, 1000)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
