"""No PESEL in any log line (SECURITY.md): logins (a PESEL typed as the login name), lockouts,
refused requests, the data-subject export, and every page. The crawler over every page, PDF and
export of the demo as several roles is tests/core/test_crawl_personal_data.py."""

import pytest
from django.test import Client
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.logfilters import PESEL_RE
from tests import crawl
from tests.url_samples import SAMPLES, all_url_names

PESEL = "44051401359"


@pytest.fixture
def captured_logs():
    """Everything logged, through the handler configuration of settings.LOGGING (its filters
    and formatter), and every record as it was before those filters (tests/crawl.py)."""
    with crawl.captured_logs() as (raw, stream):
        yield stream, raw


def test_no_log_line_carries_a_pesel(captured_logs, make_user):
    stream, raw = captured_logs
    anonymous = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(11):
        anonymous.post(reverse("login"), {"username": PESEL, "password": "wrong"})
    coordinator = Client()
    coordinator.force_login(make_user(roles.COORDINATOR))
    coordinator.post(reverse("core:subject_export"), {"pesel": PESEL, "format": "json"})
    committee = Client()
    committee.force_login(make_user(roles.COMMITTEE))
    committee.get(reverse("core:audit_log"))  # 403, logged
    for name, _has_args in all_url_names():
        url = reverse(name, kwargs=SAMPLES[name]() if name in SAMPLES else {})
        coordinator.get(url)
    output = stream.getvalue()
    assert "login failed" in output and "request refused (403)" in output
    assert not PESEL_RE.search(output), output
    ours = [r.getMessage() for r in raw if r.name.startswith("einclusion")]
    assert ours and not any(PESEL in message for message in ours)
