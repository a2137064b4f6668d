"""Benchmarks that cannot rot (issue 13): every script in bench/ runs here with `--smoke` (tiny
sizes, once), in a subprocess as a person runs it, so a migration or a change of code that breaks
one fails the suite. No figure is asserted, only that the script ends well and prints its
figures' labels.

The scripts run against a scratch database copied from the test database (migrated, the demo
loaded) and dropped afterwards: what they write (the committee-day accounts, recruitment_scale's
own `<scratch>_bench` database) never reaches the test database.
"""

import ast
import csv
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

# script -> the labels of the figures it prints
SMOKES = {
    "pdf_pipeline": ["render_pdf (static-only fetcher)", "bare WeasyPrint", "ratio ours / bare"],
    "ocds_export": ["as loaded:", "+20 signed:", "releases", "queries", "MB of JSON"],
    "monitoring_indicators": [
        "added 50 applications",
        "live_indicators()",
        "home page /",
        "indicators page",
        "export_indicators --format json",
        "figures (export_indicators):",
        "households_connected",
    ],
    "training_pdfs": [
        "sign-in sheets of 2 sessions, one PDF",
        "3 certificates of module 1, one PDF",
        "pages:",
        "time per page:",
        "peak Python memory:",
        "process peak RSS so far:",
        "queries:",
    ],
    "lending_pdfs": [
        "one agreement with declaration and protocol",
        "all 3 agreements of call 2012 in one PDF",
        "PDF workers, call_agreements_file",
        "bare WeasyPrint, sequential, same HTML",
        "ratio ours / bare",
        "peak memory (RSS), the batch",
        "joining the parts with pypdf",
        "| 3 agreements: ours / sequential bare WeasyPrint",
        "| peak memory: batch / one document",
    ],
    "monitoring_visits": [
        "The visit form's first load",
        "Slow 3G",
        "visit protocols in one PDF (3 visits",
        "peak memory of Python objects",
        "added 200 applications and their households",
        "visit list (overdue, all officers)",
        "visits_made",
        "an application's day of receipt moved and back",
    ],
    "indicator_series": [
        "demo: applications",
        "every indicator's series",
        "the series as charts",
        "indicators page",
        "target 300 ms, ratio",
        "added 200 applications and their households",
        "+200 applications: applications",
        "target 1000 ms, ratio",
        "months:",
    ],
    "list_pages": [
        "added 200 applications and their households",
        "| list page | rows | page |",
        "applications (registration order)",
        "equipment register",
        "deep (90 %)",
        "slowest list page:",
        "target 50 ms, ratio",
    ],
    "recruitment_scale": [
        "200 applications",
        "generate (COPY, audit triggers",
        "members:",
        "re-assess and rank every application (recompute)",
        "rank the call in Python (before: rank())",
        "rank the call in PostgreSQL (window query), best of 3",
        "save one application, now (median of",
        "| rank the whole call ",
        "| ranking page / admin changelist throughput",
        "application list (50 per page)",
        "ranking",
        "admin changelist (50 per page)",
        "the admin's throughput",
    ],
}

# Scripts with a main that other test modules already run (their real code path, tiny sizes).
COVERED_ELSEWHERE = {
    "photo_memory": "tests/security/test_image_limits.py",
    "committee_day_db": "tests/core/test_committee_day.py",
}

# Run here without --smoke: it only reads locust's files (made up below) and runs the check.
REPORT = "committee_day_report"


def _has_main(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body
    )


def test_every_bench_script_with_a_main_is_run_by_a_test():
    scripts = {path.stem for path in BENCH.glob("*.py") if _has_main(path)}
    assert scripts, "no script found in bench/"
    assert scripts == set(SMOKES) | set(COVERED_ELSEWHERE) | {REPORT}, (
        "a bench/ script with a main must be smoke-tested in tests/core/test_bench_smoke.py"
    )
    for script, test in COVERED_ELSEWHERE.items():
        assert f"{script}" in (ROOT / test).read_text(), f"{test} no longer runs {script}"
    for script in SMOKES:
        assert "--smoke" in (BENCH / f"{script}.py").read_text(), script


def _maintenance(url: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/postgres"))


@pytest.fixture(scope="module")
def scratch_url(django_db_setup, django_db_blocker):
    """A copy of the test database (the demo loaded), dropped at the end with what the
    scripts made beside it."""
    test_name = connections["default"].settings_dict["NAME"]
    name = f"{test_name}_benchsmoke"
    url = urlunparse(urlparse(settings.DATABASE_URL)._replace(path="/" + name))
    env = {**os.environ, "DATABASE_URL": url}
    connections.close_all()  # a template database must have no session open
    with psycopg.connect(_maintenance(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{test_name}"')
        except psycopg.errors.ObjectInUse:
            admin.execute(f'CREATE DATABASE "{name}"')
            manage(env, "migrate", "-v0")
    # Idempotent: in case the test database's demo was emptied before this module ran.
    manage(env, "load_demo", "--quiet-logins", "-v0")
    try:
        yield url
    finally:
        with psycopg.connect(_maintenance(url), autocommit=True) as admin:
            for database in (f"{name}_bench", name):
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def run(url: str, *args) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The marker makes pytest-django set up the test database (the copy's template); the
# module-scoped copy is made before the test's own transaction opens.
@pytest.mark.django_db
@pytest.mark.parametrize("script", sorted(SMOKES))
def test_the_script_runs_with_smoke_and_prints_its_figures(scratch_url, script):
    args = ["--port", str(free_port())] if script == "recruitment_scale" else []
    out = run(scratch_url, f"bench/{script}.py", "--smoke", *args)
    missing = [label for label in SMOKES[script] if label not in out]
    assert not missing, f"{script} printed no {missing}:\n{out}"


@pytest.mark.django_db
def test_the_committee_day_report_reads_locust_files_and_runs_the_check(scratch_url, tmp_path):
    run(scratch_url, "bench/committee_day_db.py", "prepare", str(tmp_path / "plan.json"))
    columns = ["Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%"]
    columns.append("Max Response Time")
    with (tmp_path / "locust_stats.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerow(["review page", "3", "0", "0.05", "23", "71", "160", "399.2"])
        writer.writerow(["Aggregated", "3", "0", "0.05", "23", "71", "160", "399.2"])
    with (tmp_path / "locust_failures.csv").open("w", newline="") as handle:
        csv.writer(handle).writerow(["Method", "Name", "Error", "Occurrences"])
    (tmp_path / "outcomes.jsonl").write_text("")
    out = run(scratch_url, "bench/committee_day_report.py", str(tmp_path), "1m")
    for label in ("committee day: 1m", "requests 3, errors 0", "review page", "all"):
        assert label in out, out
