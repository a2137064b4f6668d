"""Every list page at 100 000 rows (issue 17, item 4): the first page and a deep one (the page
after a row 90 % down the list, as its "next" links lead there), through the Django test client
logged in as the coordinator; the median time beside the target of 50 ms and the ratio, and the
number of queries (the same on the first and the deep page: keyset pagination, no OFFSET).

Run: DATABASE_URL=... .venv/bin/python bench/list_pages.py [--rows N] [--repeat R] [--smoke]
`--smoke` (tests/core/test_bench_smoke.py): 200 rows, once.
On the demo data. `--rows N` (default 100 000) adds N applications (with their evaluations) in a
call of their own, 75 of every 79 taking part with an agreement, a promissory note, a computer set,
a connection and six planned visits (one made): tests/factories.add_households; and N entries of
the personal-data access log. All inside a transaction rolled back at the end (the audit triggers
off while the rows are inserted), so the database is left as it was. The lists that do not grow
with the households (procedures, suppliers, trainees, sessions, lab reports, the audit log...) are
measured on the demo's rows.
"""

import argparse
import json
import statistics
import sys
import time

import pgtrigger
from _django import ROOT, setup

setup()
sys.path.insert(0, str(ROOT))

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from pghistory.models import Events  # noqa: E402

from lebork_einclusion import clock  # noqa: E402
from lebork_einclusion.models import PersonalDataAccess, Project  # noqa: E402
from lebork_einclusion.paging import PAGE_SIZE  # noqa: E402
from lending.models import Asset, Connection, LoanAgreement, Participant, PromissoryNote  # noqa: E402
from monitoring.models import MonitoringVisit, PlannedVisit  # noqa: E402
from procurement.models import Contract, Procedure, Supplier  # noqa: E402
from recruitment.models import Evaluation  # noqa: E402
from tests.factories import add_access_log, add_households  # noqa: E402
from training.models import Trainee  # noqa: E402
from training.sessions_due import sessions_without_attendance  # noqa: E402

TARGET_MS = 50.0


def deep_row(rows, fraction: float = 0.9):
    """The id of the row `fraction` down the list (a queryset in the list's order)."""
    count = rows.count()
    if count < 2:
        return None
    return rows.values_list("pk", flat=True)[min(count - 1, int(count * fraction))]


def pages(call):
    """(label, URL, the list's rows in its order for a deep cursor or None)."""
    visits_planned = PlannedVisit.objects.filter(status="planned")
    return [
        (
            "applications (registration order)",
            f"{reverse('recruitment:application_list')}?call={call.pk}",
            Evaluation.objects.filter(call=call).order_by("sequence", "pk"),
        ),
        (
            "applications (by points)",
            f"{reverse('recruitment:application_list')}?call={call.pk}&sort=-points",
            Evaluation.objects.filter(call=call).order_by("-points", "position", "-pk"),
        ),
        (
            "loan agreements",
            reverse("lending:agreement_list"),
            LoanAgreement.objects.order_by("number", "pk"),
        ),
        (
            "promissory notes",
            reverse("lending:note_list"),
            PromissoryNote.objects.order_by("number", "pk"),
        ),
        (
            "equipment register",
            reverse("lending:asset_list"),
            Asset.objects.order_by("serial_number"),
        ),
        (
            "participants",
            reverse("lending:participant_list"),
            Participant.objects.order_by("sequence", "pk"),
        ),
        (
            "connections",
            reverse("lending:connection_list"),
            Connection.objects.order_by(
                F("household_sequence").asc(nulls_first=True),
                "public_unit__name",
                "-installed_on",
                "-pk",
            ),
        ),
        ("exclusion proposals", reverse("lending:exclusion_list"), None),
        (
            "visits overdue (all officers)",
            f"{reverse('monitoring:visit_list')}?tab=overdue&officer=all",
            visits_planned.filter(due_on__lt=Project.current().durability_end).order_by(
                "due_on", "household_sequence", "pk"
            ),
        ),
        (
            "visits made in March 2013",
            f"{reverse('monitoring:visit_list')}?tab=done&month=2013-03&officer=all",
            MonitoringVisit.objects.filter(visited_at__year=2013, visited_at__month=3).order_by(
                "visited_at", "pk"
            ),
        ),
        ("follow-up actions", reverse("monitoring:follow_up_list"), None),
        ("lab reports", reverse("monitoring:lab_report_list"), None),
        # The page shows the live indicators above the snapshots (issue 17 item 3, not a list's).
        ("indicators page (snapshots list)", reverse("monitoring:indicators"), None),
        (
            "personal-data access log",
            reverse("core:personal_data_log"),
            PersonalDataAccess.objects.order_by("-at", "-pk"),
        ),
        (
            "audit log",
            reverse("core:audit_log"),
            Events.objects.order_by("-pgh_created_at", "-pgh_model", "-pgh_id"),
        ),
        (
            "procedures",
            reverse("procurement:procedure_list"),
            Procedure.objects.order_by("-announcement_date", "-pk"),
        ),
        (
            "contracts",
            reverse("procurement:contract_list"),
            Contract.objects.order_by("-signed_on", "number", "-pk"),
        ),
        (
            "suppliers",
            reverse("procurement:supplier_list"),
            Supplier.objects.order_by("name", "pk"),
        ),
        (
            "trainees",
            reverse("training:trainee_list"),
            Trainee.objects.order_by(
                "module__number", "group_id", "member__last_name", "last_name", "pk"
            ),
        ),
        (
            "training sessions held, attendance not entered",
            f"{reverse('training:session_list')}?show=unmarked",
            sessions_without_attendance(clock.today()).order_by(
                "-date", "starts_at", "group_id", "pk"
            ),
        ),
    ]


def page_query_ms(queries) -> float | None:
    """The execution time (EXPLAIN ANALYZE, in the database alone) of the page's main query:
    the one that reads a page of rows and one more (LIMIT 51), the slowest if several; the
    figure that the machine's load (other processes on the cores) disturbs least."""
    marker = f"LIMIT {PAGE_SIZE + 1}"
    found = []
    for query in queries:
        if marker not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        found.append(plan[0]["Execution Time"])
    return max(found) if found else None


def timed(client, url: str, repeat: int) -> tuple[float, int, str, float | None]:
    """Median milliseconds of `repeat` GETs (after one warm-up), the queries of one, the page,
    the page query's execution time."""
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="localhost")
    return (
        statistics.median(times),
        len(queries),
        response.content.decode(),
        page_query_ms(queries.captured_queries),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.repeat = 200, 1
    if Project.current() is None or not Participant.objects.exists():
        raise SystemExit("Load the demo first (manage.py load_demo).")
    coordinator = get_user_model().objects.get(username="koordynator")
    client = Client()
    client.force_login(coordinator)
    with transaction.atomic():
        start = time.perf_counter()
        # The audit triggers would double every insert; the rows are rolled back anyway.
        with pgtrigger.ignore():
            call = add_households(args.rows)
            add_access_log(args.rows, user=coordinator)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"added {args.rows} applications and their households, {args.rows} access-log")
        print(f"entries in {time.perf_counter() - start:.0f} s (rolled back at the end)")
        print(
            f"rows: applications {Evaluation.objects.count()}, agreements "
            f"{LoanAgreement.objects.count()}, assets {Asset.objects.count()}, planned visits "
            f"{PlannedVisit.objects.count()}, access log {PersonalDataAccess.objects.count()}"
        )
        print()
        print(
            f"| list page | rows | page | ms (median of {args.repeat}) | target | ratio | queries "
            "| page query ms (EXPLAIN ANALYZE) |"
        )
        print("|---|---:|---|---:|---:|---:|---:|---:|")
        worst = 0.0
        for label, url, rows in pages(call):
            if args.only not in label:
                continue
            deep = deep_row(rows) if rows is not None else None
            count = rows.count() if rows is not None else "demo"
            runs = [("first", url)]
            if deep is not None:
                runs.append(("deep (90 %)", f"{url}{'&' if '?' in url else '?'}after={deep}"))
            for which, address in runs:
                ms, queries, html, query_ms = timed(client, address, args.repeat)
                if which != "first" and 'rel="prev"' not in html:
                    which += ": not reached, first page shown"
                worst = max(worst, ms)
                print(
                    f"| {label} | {count} | {which} | {ms:.1f} | {TARGET_MS:.0f} | "
                    f"{ms / TARGET_MS:.2f} | {queries} | "
                    f"{'' if query_ms is None else f'{query_ms:.1f}'} |"
                )
        print()
        print(
            f"slowest list page: {worst:.1f} ms, target {TARGET_MS:.0f} ms, ratio "
            f"{worst / TARGET_MS:.2f}"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
