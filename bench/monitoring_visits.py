"""Monitoring visits: the visit form's first load on a phone (bytes transferred, and the time
they take on throttled connections), the indicators page and `export_indicators` on 100 000
applications' worth of data, and a month's visit protocols as one PDF (time, peak memory).

Run: DATABASE_URL=... .venv/bin/python bench/monitoring_visits.py [--applications N]
     [--repeat R] [--skip-scale] [--smoke]
`--smoke` (tests/core/test_bench_smoke.py): 200 applications, once, the protocols of 3 visits.
On the demo data. `--applications N` (default 100 000) adds N applications to a new call and,
as in the demo's call, 75 of every 79 take part: each with its household member, agreement,
computer set (lent, with its history), connection, six planned visits and one visit made; all
inside a transaction rolled back at the end (the audit triggers off while the rows are
inserted), so the database is left as it was. Training keeps
the demo's trainees (its figures are read once per call, whatever the number of households).
`--skip-scale` generates nothing: run it on a copy of a database with the households already
committed (e.g. `create database h5_big template big`, migrated) to time that data.

The indicators' summary (monitoring/indicator_summary.py): the first count after generating
folds every noted household, asset and planned visit in (timed on its own, like a migration's
first count); the figures are then timed as the pages read them. A write's cost: the same
service writes timed with the summary's triggers and without them (in the rolled-back
transaction).
"""

import argparse
import datetime
import gzip
import io
import json
import re
import resource
import statistics
import time
import tracemalloc

import pgtrigger
from _django import setup

setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lebork_einclusion import clock  # noqa: E402
from lebork_einclusion.models import Project  # noqa: E402
from lending import services as lending_services  # noqa: E402
from lending.models import (  # noqa: E402
    Connection,
    Participant,
)
from monitoring import indicator_summary, papers, visit_rules, visits  # noqa: E402
from monitoring.models import MonitoringVisit, PlannedVisit  # noqa: E402
from recruitment.models import Application  # noqa: E402
from tests import factories  # noqa: E402

# Throttled connections as Chrome's DevTools define them: download kbit/s and round trip.
CONNECTIONS = [("Slow 3G", 400, 2.0), ("Fast 3G", 1_440, 0.563), ("Slow 4G", 9_000, 0.17)]
BATCH = 5_000


def timed(function, repeat: int):
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries), result


# --- the visit form's first load -------------------------------------------------------------


def first_load(client, url: str):
    """The page and what it makes the browser fetch (stylesheets, scripts): raw and gzip bytes."""
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
    html = response.content
    files = [("HTML", len(html), len(gzip.compress(html)))]
    for path in re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        name = path.decode()
        with open(finders.find(name), "rb") as handle:
            content = handle.read()
        files.append((name, len(content), len(gzip.compress(content))))
    return files


def print_first_load(files):
    print("The visit form's first load (what a phone downloads, nothing cached):")
    for name, raw, packed in files:
        print(f"  {name:<48} {raw / 1024:8.1f} KiB  gzip {packed / 1024:7.1f} KiB")
    raw = sum(f[1] for f in files)
    packed = sum(f[2] for f in files)
    ours = sum(f[2] for f in files if "visit-form" in f[0] or "monitoring" in f[0])
    print(f"  {'total':<48} {raw / 1024:8.1f} KiB  gzip {packed / 1024:7.1f} KiB")
    print(f"  of it the visit form's own script and style (gzip): {ours / 1024:.1f} KiB")
    # The HTML first, then its stylesheets and scripts in parallel: two round trips and the
    # bytes at the connection's speed.
    for label, kbit, rtt in CONNECTIONS:
        seconds = 2 * rtt + packed * 8 / (kbit * 1000)
        print(f"  {label:<8} ({kbit} kbit/s, RTT {rtt * 1000:.0f} ms): ~{seconds:.1f} s (gzip)")


# --- 100 000 applications' worth of data ---------------------------------------------------------


def add_households(n_applications: int, officer):
    """N applications; 75 of every 79 take part with a full history (bulk inserts): the tests'
    generator, with the whole plan of visits to the end of durability."""
    return factories.add_households(n_applications, officer=officer, batch=BATCH, visits=None)


# --- a month's protocols -----------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def month_protocols(limit: int | None = None):
    first, last = visit_rules.month_bounds(datetime.date(2013, 3, 1))
    found = visits.with_details(visits.visits_between(first, last))
    if limit:
        found = found.filter(pk__in=found.values_list("pk", flat=True)[:limit])
    count = found.count()
    rss_before = peak_rss_mb()
    # Timed on its own: tracemalloc slows Python down several times over.
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        content = papers.visits_pdf(found)
        seconds = time.perf_counter() - start
    tracemalloc.start()
    papers.visits_pdf(found)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(content)).pages)
    print(f"March 2013's visit protocols in one PDF ({count} visits, {pages} pages):")
    print(
        f"  time: {seconds:.1f} s ({seconds / max(count, 1) * 1000:.0f} ms a visit), {len(queries)} queries"
    )
    print(f"  size: {len(content) / 1024:.0f} KiB")
    print(f"  peak memory of Python objects (tracemalloc): {peak / 1_048_576:.1f} MiB")
    print(
        f"  peak memory of the process (RSS): {peak_rss_mb():.1f} MiB (before: {rss_before:.1f} MiB)"
    )


# --- what the summary's triggers cost a write -------------------------------------------------

SUMMARY_TABLES = ("lending_connection", "lending_outage")


def with_and_without_triggers(one, tables, rounds: int) -> tuple[float, float]:
    """Median ms of one() with the summary's triggers of `tables` on, then off (turned off in
    the bench's transaction, rolled back with the rest)."""
    figures = []
    for _pass in ("with the summary's triggers", "without them"):
        one()  # warm
        times = []
        for _round in range(rounds):
            start = time.perf_counter()
            one()
            times.append(time.perf_counter() - start)
        figures.append(statistics.median(times) * 1000)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events
            for table in tables:
                for op in ("ins", "upd", "del"):
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_indicators_{op}")
    on, off = figures
    return on, off


def write_cost(actor, rounds: int):
    """Reporting and closing an outage (two services, three tables with triggers written)."""
    connection_ = Connection.objects.exclude(status=Connection.Status.ENDED).order_by("pk").first()
    today = clock.today()

    def one():
        outage = lending_services.do_report_outage(connection_, today, "Bench.", actor=actor)
        lending_services.do_close_outage(outage, today, "Bench.", actor=actor)

    on, off = with_and_without_triggers(one, SUMMARY_TABLES, rounds)
    print(
        f"  a write (report and close an outage, median of {rounds}): {on:.1f} ms with the "
        f"summary's triggers, {off:.1f} ms without ({on - off:+.1f} ms)"
    )


def application_write_cost(rounds: int):
    """One application's day of receipt moved and moved back (two UPDATE statements, each
    noted for the summary's applications_received)."""
    application = Application.objects.order_by("pk").first()
    days = [application.received_on + datetime.timedelta(days=1), application.received_on]
    rows = Application.objects.filter(pk=application.pk)

    def one():
        for day in days:
            rows.update(received_on=day)

    on, off = with_and_without_triggers(one, ["recruitment_application"], rounds)
    print(
        f"  an application's day of receipt moved and back (median of {rounds}): {on:.1f} ms "
        f"with the summary's triggers, {off:.1f} ms without ({on - off:+.1f} ms)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-scale", action="store_true", help="only the demo's data")
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    parser.add_argument(
        "--skip-papers", action="store_true", help="no visit form, no protocols: the figures only"
    )
    args = parser.parse_args()
    if args.smoke:
        args.applications, args.repeat = 200, 1
    if Project.current() is None or not MonitoringVisit.objects.exists():
        raise SystemExit("Load the demo first (manage.py load_demo).")
    officer = get_user_model().objects.get(username="monitoring")
    client = Client()
    client.force_login(officer)
    planned = PlannedVisit.objects.filter(status="planned", participant__status="active").first()
    if not args.skip_papers:
        url = f"/monitoring/visits/new/{planned.participant_id}/?planned={planned.pk}"
        print_first_load(first_load(client, url))
        print()
        month_protocols(3 if args.smoke else None)
        print()
    coordinator = Client()
    coordinator.force_login(get_user_model().objects.get(username="koordynator"))

    def page(url):
        def get():
            response = coordinator.get(url, HTTP_HOST="localhost")
            assert response.status_code == 200, response.status_code
            return len(response.content)

        return get

    def export():
        out = io.StringIO()
        call_command("export_indicators", format="json", stdout=out)
        return out.getvalue()

    with transaction.atomic():
        if not args.skip_scale:
            start = time.perf_counter()
            # The audit triggers would double every insert; the rows are rolled back anyway.
            with pgtrigger.ignore():
                add_households(args.applications, officer)
            print(
                f"added {args.applications} applications and their households in "
                f"{time.perf_counter() - start:.0f} s"
            )
        start = time.perf_counter()
        indicator_summary.fold(list(indicator_summary.FIGURES))
        print(f"the summary's first fold of what was noted: {time.perf_counter() - start:.1f} s")
        # Logged in again: generating 100 000 households outlasts the session's idle timeout.
        coordinator.force_login(get_user_model().objects.get(username="koordynator"))
        print(
            f"applications: {Application.objects.count()}, households taking part: "
            f"{Participant.objects.count()}, planned visits: {PlannedVisit.objects.count()}, "
            f"visits: {MonitoringVisit.objects.count()}"
        )
        # Targets at 100 000 households (issue 17 item 3, issue 19 item 5, issue 17 item 4).
        for label, function, target in [
            ("home page /", page("/"), 100),
            ("indicators page", page("/monitoring/indicators/"), 1000),
            ("export_indicators --format json", export, 100),
            (
                "visit list (overdue, all officers)",
                page("/monitoring/visits/?tab=overdue&officer=all"),
                50,
            ),
        ]:
            seconds, queries, _result = timed(function, args.repeat)
            ms = seconds * 1000
            print(
                f"  {label:<38} {ms:9.1f} ms  {queries:3d} queries  target {target} ms, "
                f"ratio {ms / target:.2f} {'met' if ms <= target else 'NOT met'}"
            )
        figures = {row["code"]: row for row in json.loads(export())}
        for code in ("households_connected", "assets_in_working_order", "visits_made"):
            row = figures[code]
            print(f"  {code:<26} {row['value']} / {row['target']}")
        write_cost(officer, 5 if args.smoke else 30)
        application_write_cost(5 if args.smoke else 30)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
