"""Recruitment at scale: 100 000 applications (about 400 000 members), the time to recompute the
whole ranking, and the application list and ranking pages under 20 concurrent clients compared
with Django admin's changelist of the same applications.

Run: DATABASE_URL=postgres://… .venv/bin/python bench/recruitment_scale.py [--applications N]
     [--clients 20] [--seconds 15] [--rounds 3] [--keep] [--shared-pesels] [--smoke]

It works in its own database (<name>_bench beside the one in DATABASE_URL, dropped and created
again each run unless `--keep`), serves it with gunicorn (2 sync workers per core) and prints its
figures. Every person's PESEL is unique, as real ones are (one household in a hundred applies
twice: a duplicate); `--shared-pesels` generates the former data instead, each PESEL in some 70
applications (96 % duplicate households), in <name>_bench_shared.
`--smoke` (tests/core/test_bench_smoke.py): 200 applications, 2 clients for 1 s, and the bench
database copied from the one in DATABASE_URL (migrated, demo loaded, nobody else connected)
instead of migrated from nothing, when PostgreSQL allows it.
"""

import argparse
import datetime
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# Street names for synthetic addresses (a few households share a dwelling, as in life).
STREETS = [f"Testowa {n}" for n in range(1, 400)]


def bench_database(url: str, shared_pesels: bool = False) -> tuple[str, str]:
    parts = urlparse(url)
    name = parts.path.lstrip("/") + ("_bench_shared" if shared_pesels else "_bench")
    return name, urlunparse(parts._replace(path="/" + name))


def recreate_database(admin_url: str, name: str, copy: bool = False) -> None:
    """A fresh empty database; with `copy`, a copy of the one in admin_url when PostgreSQL
    allows it (nobody else connected to it), else empty."""
    import psycopg

    parts = urlparse(admin_url)
    maintenance = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if copy:
            try:
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{parts.path.lstrip("/")}"')
                return
            except psycopg.errors.ObjectInUse:
                print("  (the database is in use: the bench database is migrated from nothing)")
        connection.execute(f'CREATE DATABASE "{name}"')


def timed(label, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label:<52} {time.perf_counter() - start:8.2f} s")
    return result


def generate(call, count: int, audit: bool, shared_pesels: bool = False) -> None:
    """Applications, members and verified documents through COPY. Synthetic bulk data is not a
    user's change: unless `audit`, the audit triggers are switched off for the load (needs a
    superuser; otherwise they run)."""
    from django.db import connection, transaction

    with transaction.atomic():
        if not audit:
            with connection.cursor() as cursor:
                try:
                    with transaction.atomic():
                        cursor.execute("SET LOCAL session_replication_role = replica")
                except Exception:
                    print("  (not a superuser: the audit triggers run during the load)")
        _generate(call, count, shared_pesels)


def pesel_of(serial: int, adult: bool, female: bool, shared: bool) -> str:
    """Member `serial`'s PESEL. Unique, as real ones are; `shared`: the former generator's,
    where a number recurs every 5 000 members (each PESEL in some 70 applications, 96 % of
    them duplicate households)."""
    from lebork_einclusion.pesel import make_pesel

    base = datetime.date(1960, 1, 1) if adult else datetime.date(1998, 1, 1)
    if shared:
        return make_pesel(base + datetime.timedelta(days=serial % 5000), serial % 1000, female)
    return make_pesel(base + datetime.timedelta(days=serial // 1000), serial % 1000, female)


def _generate(call, count: int, shared_pesels: bool = False) -> None:
    from django.db import connection

    from recruitment import domain
    from recruitment.models import Application, ApplicationDocument, HouseholdMember

    rnd = random.Random(2012)
    today = datetime.datetime.now(datetime.UTC)
    rows = []
    households = []
    for n in range(1, count + 1):
        day = datetime.date(2012, 8, 6) + datetime.timedelta(days=rnd.randrange(31))
        post = rnd.random() < 0.2
        flags = [
            rnd.random() < 0.45,
            rnd.random() < 0.5,
            rnd.random() < 0.1,
            n % 500 == 0,
            n % 900 == 0,
        ]
        size = rnd.choice([1, 2, 3, 4, 4, 5, 6])
        rows.append(
            (
                call.pk,
                f"BENCH/{n:06d}",
                n,
                "post" if post else "in_person",
                day + datetime.timedelta(days=2) if post else day,
                day if post else None,
                f"ul. Testowa {n % 700}",
                str(n % 90 + 1),
                str(n % 40) if n % 3 else "",
                "84-300",
                "Lębork",
                "",
                rnd.random() < 0.01,
                rnd.random() < 0.01,
                Decimal(rnd.randrange(300, 1800) * size),
                *flags,
                today,
                1,
                "",  # withdrawal reason: none
            )
        )
        households.append((size, flags))
    app_columns = (
        "call_id, number, sequence, channel, received_on, postmarked_on, street, building, flat, "
        "postal_code, city, phone, has_computer, has_internet, monthly_net_income, "
        "social_assistance, family_benefits, alimony_fund, foster_family, family_childrens_home, "
        "created_at, version, withdrawal_reason"
    )
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {Application._meta.db_table} ({app_columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"SELECT sequence, id FROM {Application._meta.db_table} WHERE call_id = %s",  # noqa: S608
            [call.pk],
        )
        ids = dict(cursor.fetchall())
        serial = 0
        with cursor.copy(
            f"COPY {HouseholdMember._meta.db_table} (application_id, first_name, last_name, pesel, "
            "role, disability, school_scholarship, foster_child, family_home_child, sex, age_group) "
            "FROM STDIN"
        ) as copy:
            applicants = {}
            for n, (size, flags) in enumerate(households, start=1):
                for index in range(size):
                    serial += 1
                    adult = index < 2
                    pesel = pesel_of(serial, adult, index % 2 == 0, shared_pesels)
                    if index == 0:
                        # One household in a hundred applies again (§4.2.6: a duplicate).
                        if n % 100 == 0 and not shared_pesels:
                            pesel = applicants[n - 37]
                        applicants[n] = pesel
                    disability = (
                        "none"
                        if rnd.random() > 0.04
                        else rnd.choice(["severe", "moderate", "light"])
                    )
                    copy.write_row(
                        (
                            ids[n],
                            "Jan",
                            f"Testowy{n}",
                            pesel,
                            domain.APPLICANT
                            if index == 0
                            else (domain.SPOUSE if adult else domain.CHILD),
                            disability,
                            (not adult) and rnd.random() < 0.3,
                            flags[3] and not adult,
                            flags[4] and not adult,
                            "",  # sex and age group: kept only once a member is anonymised
                            "",
                        )
                    )
        with cursor.copy(
            f"COPY {ApplicationDocument._meta.db_table} (application_id, doc_type, scan, verified_at, note) FROM STDIN"
        ) as copy:
            for n, (_size, flags) in enumerate(households, start=1):
                documents = list(domain.ALWAYS_REQUIRED)
                if n % 97 == 0:
                    documents.remove(domain.RECOMMENDATION)
                if flags[0]:
                    documents.append(domain.MOPS_SOCIAL_ASSISTANCE_CERTIFICATE)
                if flags[1] or flags[2]:
                    documents.append(domain.MOPS_FAMILY_BENEFITS_CERTIFICATE)
                # A person's own certificates (criteria 3-5) would need the members' ids: the
                # bench's households prove the household criteria only.
                if flags[3] or flags[4]:
                    documents.append(domain.COURT_DECISION)
                for doc in documents:
                    copy.write_row((ids[n], doc, "", today, ""))


def has_bench_call(url: str, count: int) -> bool:
    """The bench database of an earlier run, with its call of `count` applications."""
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            row = connection.execute(
                "SELECT count(*) FROM recruitment_application a JOIN recruitment_call c "
                "ON c.id = a.call_id WHERE c.code = 'BENCH'"
            ).fetchone()
    except psycopg.Error:
        return False
    return row[0] == count


def timed_value(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def save_before(evaluation, application) -> None:
    """A save as it was before the ranking moved to the database: re-assess the application,
    then rank the whole call in Python."""
    from django.db import transaction

    from recruitment.ranking import assess

    with transaction.atomic():
        item = assess(evaluation.application_data(application), application.call.rules())
        evaluation._store_assessment(application.call, application.pk, item)
        evaluation.rerank_in_python(application.call)


def print_targets(figures) -> None:
    """Each target beside its figure: the table bench/README.md keeps."""
    print(f"\n| {'target':<44} | {'goal':>9} | {'measured':>9} | {'ratio':>6} | met |")
    print(f"|{'-' * 46}|{'-' * 11}:|{'-' * 11}:|{'-' * 8}:|-----|")
    for label, goal, measured, unit, sense in figures:
        ratio = measured / goal
        met = measured <= goal if sense == "≤" else measured >= goal
        print(
            f"| {label:<44} | {sense} {goal:g} {unit:<3} | {measured:7.3f} {unit:<1} | {ratio:6.2f} | "
            f"{'yes' if met else 'no':<3} |"
        )


def analyze() -> None:
    """What autovacuum does after a bulk load: fresh statistics and visibility maps (so the
    pages are measured in their steady state, not during autovacuum's catch-up)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def load_test(base: str, path: str, cookie: str, clients: int, seconds: float) -> dict:
    """`clients` threads requesting `path` for `seconds`: the answered requests' latencies,
    the errors and the time it took."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    host = urlparse(base)
    stop = time.perf_counter() + seconds

    def worker():
        nonlocal errors
        while time.perf_counter() < stop:
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            connection.close()
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "errors": errors, "duration": time.perf_counter() - started}


def summary(parts: list[dict]) -> dict:
    """Requests/s and latency percentiles of one page over its load tests."""
    latencies = sorted(x for part in parts for x in part["latencies"])
    duration = sum(part["duration"] for part in parts)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "rps": len(latencies) / duration,
        "p50": pick(0.50) if latencies else 0,
        "p95": pick(0.95) if latencies else 0,
        "mean": statistics.mean(latencies) * 1000 if latencies else 0,
        "errors": sum(part["errors"] for part in parts),
        "n": len(latencies),
    }


def session_cookie(base: str, username: str, password: str) -> str:
    """Log in through the login form like a browser and return the cookie header."""
    import re

    host = urlparse(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": base + "/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if not session:
        raise SystemExit("login failed")
    return f"csrftoken={csrf_cookie}; sessionid={session.group(1)}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="The load tests take the pages in turn this many times (--seconds shared out).",
    )
    parser.add_argument(
        "--with-audit", action="store_true", help="Keep the audit triggers on during the load."
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Reuse the bench database of an earlier run when it holds the same number of "
        "applications (generating 100 000 takes minutes).",
    )
    parser.add_argument(
        "--shared-pesels",
        action="store_true",
        help="The former synthetic data: each PESEL in some 70 applications (its own bench "
        "database, <name>_bench_shared). By default every person's PESEL is unique, as real "
        "ones are, and one household in a hundred applies twice.",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny: the test suite runs it")
    args = parser.parse_args()
    if args.smoke:
        args.applications, args.clients, args.seconds = 200, 2, 1

    name, url = bench_database(os.environ["DATABASE_URL"], args.shared_pesels)
    reuse = args.keep and has_bench_call(url, args.applications)
    print(f"database {name}: " + ("kept from an earlier run" if reuse else "fresh"))
    if not reuse:
        recreate_database(os.environ["DATABASE_URL"], name, copy=args.smoke)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lebork_einclusion.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from recruitment.models import Application, Call, HouseholdMember
    from recruitment.ranking import evaluate
    from recruitment.services import evaluation

    pesels = "shared by some 70 applications each" if args.shared_pesels else "unique"
    print(f"\n{args.applications} applications, PESEL numbers {pesels}")
    if reuse:
        call_command("migrate", verbosity=0)  # the kept database gains this code's indexes
        call = Call.objects.get(code="BENCH")
    else:
        call_command("migrate", verbosity=0)
        call_command("load_demo", quiet_logins=True, verbosity=0)
        user_model = get_user_model()
        user_model.objects.create_superuser("bench", "bench@example.invalid", "bench-password-2012")
        call = Call.objects.create(
            code="BENCH",
            title="Bench",
            opens_on=datetime.date(2012, 8, 6),
            deadline=datetime.date(2012, 9, 5),
            places=75,
            average_salary=Decimal("3399.52"),
        )
        label = "generate (COPY, audit triggers " + ("on)" if args.with_audit else "off)")
        timed(label, generate, call, args.applications, args.with_audit, args.shared_pesels)
    print(f"  members: {HouseholdMember.objects.filter(application__call=call).count()}")
    data = timed("read the call as plain data (3 queries)", evaluation.call_data, call)
    timed("evaluate (rules, pure Python)", evaluate, data, call.rules())
    timed("re-assess and rank every application (recompute)", evaluation.recompute, call)
    analyze()
    # The whole call ranked from the stored assessments: before (Python) and now (SQL), in
    # the same run, each on an evaluation that another way has just written.
    timed("rank the call in Python (before: rank())", evaluation.rerank_in_python, call)
    ranks = [timed_value(evaluation.rerank, call) for _ in range(3)]
    print(f"  {'rank the call in PostgreSQL (window query), best of 3':<52} {min(ranks):8.3f} s")
    figures = [("rank the whole call", 0.3, min(ranks), "s", "≤")]
    rnd = random.Random(17)
    ids = list(Application.objects.filter(call=call).values_list("pk", flat=True))
    picked = [Application.objects.get(pk=pk) for pk in rnd.sample(ids, min(10, len(ids)))]
    python_saves = [timed_value(save_before, evaluation, app) for app in picked[:3]]
    print(
        f"  {'save one application, before (whole call re-ranked)':<52} {statistics.median(python_saves):8.3f} s"
    )
    saves = []
    for index, app in enumerate(picked):
        # Half the saves change the points (a criterion credited or taken away), so the
        # application moves in the ranking; the others only re-assess it.
        if index % 2:
            app.social_assistance = not app.social_assistance
            app.save(update_fields=["social_assistance"])
        saves.append(timed_value(evaluation.reassess, app))
    print(
        f"  {'save one application, now (median of ' + str(len(saves)) + ')':<52} {statistics.median(saves):8.3f} s"
        f"  (max {max(saves):.3f} s)"
    )
    figures.append(("save one application (median)", 0.05, statistics.median(saves), "s", "≤"))
    analyze()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    workers = 2 if args.smoke else 2 * (os.cpu_count() or 1)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lebork_einclusion.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/accounts/login/"
                )
                break
            except OSError:
                time.sleep(0.2)
        cookie = session_cookie(base, "bench", "bench-password-2012")
        pages = [
            ("application list (50 per page)", f"/recruitment/applications/?call={call.pk}"),
            (
                "application list, sorted by points",
                f"/recruitment/applications/?call={call.pk}&sort=-points",
            ),
            ("ranking", f"/recruitment/calls/{call.pk}/ranking/"),
            (
                "admin changelist (50 per page)",
                f"/admin/recruitment/application/?call__id__exact={call.pk}",
            ),
        ]
        rounds = 1 if args.smoke else args.rounds
        print(
            f"\n{args.clients} concurrent clients, {args.seconds:.0f} s each in {rounds} "
            f"round(s) taking the pages in turn, gunicorn with {workers} workers"
        )
        print(f"  {'page':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for _label, path in pages:
            load_test(base, path, cookie, 2, min(2, args.seconds))  # warm up
        # The pages take turns, a share of the time each per round: the other work on a shared
        # machine comes and goes, and weighs on every page alike instead of on one page's turn.
        parts = {label: [] for label, _path in pages}
        for _round in range(rounds):
            for label, path in pages:
                parts[label].append(
                    load_test(base, path, cookie, args.clients, args.seconds / rounds)
                )
        results = {}
        for label, _path in pages:
            result = results[label] = summary(parts[label])
            print(
                f"  {label:<40} {result['rps']:8.1f} {result['p50']:8.1f} {result['p95']:8.1f} {result['errors']:7d}"
            )
        if args.smoke and any(r["errors"] or not r["n"] for r in results.values()):
            raise SystemExit("a page failed")
        admin_rps = results["admin changelist (50 per page)"]["rps"]
        for label in [p[0] for p in pages[:3]]:
            print(f"  {label:<40} {results[label]['rps'] / admin_rps:6.2f}x the admin's throughput")
        figures.append(
            (
                "ranking page / admin changelist throughput",
                1.5,
                results["ranking"]["rps"] / admin_rps,
                "x",
                "≥",
            )
        )
        print_targets(figures)
        print(
            f"(load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; other work shares the machine)"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
