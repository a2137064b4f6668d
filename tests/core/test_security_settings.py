import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from lebork_einclusion.logfilters import RedactPeselFilter

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "x7!" + "k2p9Qz" * 10,
        "DJANGO_ALLOWED_HOSTS": "einclusion.lebork.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_PRODUCTION": "1", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_every_request_that_writes_runs_in_a_transaction():
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_pages_carry_a_strict_content_security_policy(coordinator_client):
    response = coordinator_client.get(reverse("monitoring:home"))
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy  # a nonce is added only for pages that use one
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_log_lines_never_carry_a_pesel():
    import logging

    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "applicant %s refused", ("44051401359",), None
    )
    RedactPeselFilter().filter(record)
    assert "44051401359" not in record.getMessage()
    assert "[REDACTED]" in record.getMessage()
