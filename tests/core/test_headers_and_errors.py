"""Headers on every page and error pages without tracebacks (SECURITY.md, "Deployment")."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import Project

ROOT = Path(__file__).resolve().parents[2]


def test_pages_for_logged_in_users_are_never_cached(coordinator_client):
    for name in ("monitoring:home", "core:project", "core:personal_data_log"):
        response = coordinator_client.get(reverse(name))
        assert "no-store" in response["Cache-Control"], name


def test_public_pages_for_anonymous_visitors_may_be_cached(client, db):
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_403_page_is_polish(client, make_user):
    client.force_login(make_user(roles.COMMITTEE))
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 403
    assert "Brak dostępu" in response.content.decode()


def test_the_404_page_is_polish_and_shows_no_debug_information(client, make_user):
    assert settings.DEBUG is False
    client.force_login(make_user(roles.COORDINATOR))
    response = client.get("/core/units/999999/edit/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Nie znaleziono strony" in text
    assert "URLconf" not in text and "Traceback" not in text


def test_a_server_error_shows_the_polish_page_without_a_traceback(make_user, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret detail 44051401359")

    monkeypatch.setattr(Project, "current", classmethod(boom))
    client = Client(raise_request_exception=False)
    client.force_login(make_user(roles.COORDINATOR))
    response = client.get(reverse("core:project"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Błąd serwera" in text
    assert "Traceback" not in text and "secret detail" not in text and "RuntimeError" not in text


def test_a_stale_form_gets_a_polish_page_not_djangos(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(roles.COORDINATOR))
    before = Project.current().name
    response = client.post(reverse("core:project_edit"), {"name": "x"})
    assert response.status_code == 403
    assert "Formularz wygasł" in response.content.decode()
    assert Project.current().name == before


def _templates():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    for directory in dirs:
        if ".venv" in directory.parts:
            continue
        yield from directory.rglob("*.html")


def test_no_template_has_inline_script_style_attribute_or_event_handler():
    """CSP forbids them: they would silently not work (script-src/style-src without
    'unsafe-inline'). Print templates (WeasyPrint, no CSP) may have a <style>."""
    offences = []
    for path in _templates():
        text = path.read_text()
        relative = path.relative_to(ROOT)
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offences.append(f"{relative}: inline <script>")
        if re.search(r"\sstyle\s*=", text):
            offences.append(f"{relative}: style= attribute")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offences.append(f"{relative}: on...= event handler")
        if "/pdf/" not in str(relative) and "print/" not in str(relative) and "<style" in text:
            offences.append(f"{relative}: <style> element")
    assert offences == []


@pytest.mark.parametrize("name", ["login", "accessibility_statement", "privacy_notice"])
def test_public_pages_carry_the_same_strict_policy(client, db, name):
    policy = client.get(reverse(name))["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
