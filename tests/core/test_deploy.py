"""What of docs/deploy.md can be checked here: production settings, the compose file, the
systemd units, the pip-audit step and sessions shared by two web processes."""

import configparser
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "x7!" + "k2p9Qz" * 10,
    "DJANGO_ALLOWED_HOSTS": "einclusion.lebork.example",
}


def _settings(extra_env: dict, *names: str) -> dict:
    env = {**os.environ, **PRODUCTION, **extra_env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        # The settings module alone: optional packages (django-storages, django-tasks-rq) need
        # not be installed for the settings to name them.
        "import json; import lebork_einclusion.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "lebork_einclusion.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_settings_load_with_https_only_cookies_and_hsts():
    values = _settings(
        {},
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "STORAGES",
        "EINCLUSION_BEHIND_PROXY",
        "DEMO_BANNER",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage")
    assert values["EINCLUSION_BEHIND_PROXY"] is True
    assert values["DEMO_BANNER"] is False


def test_uploads_move_to_s3_by_settings_alone():
    values = _settings(
        {"EINCLUSION_S3_BUCKET": "uploads", "EINCLUSION_S3_ENDPOINT_URL": "https://s3.example"},
        "STORAGES",
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "uploads"
    assert default["OPTIONS"]["default_acl"] == "private"


def test_tasks_move_to_redis_by_settings_alone():
    values = _settings({"EINCLUSION_REDIS_URL": "redis://redis:6379/0"}, "TASKS", "RQ_QUEUES")
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert values["RQ_QUEUES"]["default"]["URL"] == "redis://redis:6379/0"


def test_the_compose_file_has_web_worker_and_database_and_no_secrets():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "worker", "db"} <= set(services)
    assert "db_worker" in " ".join(services["worker"]["command"])
    assert "gunicorn" in services["web"]["command"]
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    env = services["web"]["environment"]
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert "media:/srv/einclusion/media" in services["worker"]["volumes"]


@pytest.mark.parametrize(
    "unit",
    [
        "einclusion-web.service",
        "einclusion-worker.service",
        "einclusion-backup.service",
        "einclusion-clear-generated.service",
        "einclusion-daily.service",
    ],
)
def test_the_systemd_units_run_the_project_with_secrets_from_a_file(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(ROOT / "deploy" / "systemd" / unit)
    service = parser["Service"]
    assert service["EnvironmentFile"] == "/etc/einclusion/env"
    assert service["User"] == "einclusion"
    command = service["ExecStart"]
    if "gunicorn" in command:
        assert (ROOT / "deploy" / "gunicorn.conf.py").exists()
        assert "lebork_einclusion.wsgi:application" in command
    else:
        name = command.split("manage.py ")[1].split()[0]
        assert name in {"db_worker", "backup", "clear_generated_files", "run_daily"}


@pytest.mark.parametrize(
    "name", ["einclusion-backup", "einclusion-clear-generated", "einclusion-daily"]
)
def test_each_timer_runs_its_service_once_a_day_and_catches_up(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(ROOT / "deploy" / "systemd" / f"{name}.timer")
    timer = parser["Timer"]
    assert timer["OnCalendar"].startswith("*-*-* ")
    assert timer["Persistent"] == "true"
    assert parser["Install"]["WantedBy"] == "timers.target"
    assert (ROOT / "deploy" / "systemd" / f"{name}.service").exists()


def test_pip_audit_is_skipped_with_a_notice_when_the_advisories_are_unreachable():
    result = subprocess.run(
        ["scripts/audit_dependencies.sh"],
        cwd=ROOT,
        env={**os.environ, "EINCLUSION_AUDIT_PROBE_URL": "http://127.0.0.1:9/"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "NOTICE: pip-audit skipped" in result.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def shared_session(db):
    """A session of the demo coordinator, committed through a connection of its own (the
    test's transaction would be invisible to the servers); `db` keeps this test among those
    that run before the browser tests empty the database."""
    import datetime

    import psycopg
    from django.db import connection
    from django.utils import timezone

    from lebork_einclusion.backups import _libpq_params

    user = get_user_model().objects.get(username="koordynator")
    key = f"shared{os.getpid()}x{time.time_ns()}"[:40]
    data = SessionStore().encode(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
    )
    params = _libpq_params(connection.settings_dict["NAME"])
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, %s, %s)",
            (key, data, timezone.now() + datetime.timedelta(minutes=10)),
        )
    yield key
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("DELETE FROM django_session WHERE session_key = %s", (key,))


@pytest.mark.real_clock  # its web processes run outside time-machine
def test_two_web_processes_on_one_database_serve_the_same_session(shared_session):
    from django.db import connection

    env = {
        **os.environ,
        # The test database (test_<name>, test_<name>_gw0 under pytest-xdist) in the URL's path.
        "DATABASE_URL": urlunsplit(
            urlsplit(os.environ["DATABASE_URL"])._replace(
                path=f"/{connection.settings_dict['NAME']}"
            )
        ),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "lebork_einclusion.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        pages = []
        for port in ports:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/core/project/",
                headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={shared_session}"},
            )
            # Under a loaded machine (the whole suite on two cores) gunicorn may need a while to
            # boot and to answer its first request: wait up to a minute, never a fixed few seconds.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                        pages.append((response.status, response.read().decode()))
                    break
                except (ConnectionError, TimeoutError, urllib.error.URLError):
                    time.sleep(0.2)
        assert len(pages) == 2
        for status, text in pages:
            assert status == 200
            assert "Koordynatorska" in text  # the logged-in demo coordinator, on both servers
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
