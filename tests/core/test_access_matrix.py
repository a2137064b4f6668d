"""Every URL x every role (and anonymous): the role table in roles.ACCESS is what happens.

Shaped like pretix's permission tests: anonymous -> login redirect; a role the table does not
name -> 403; a role it names -> the page (never 403, never a server error).

The matrix asks only who may open what: templates and PDFs are not rendered in it (`no_rendering`;
the crawl tests, tests/crawl.py and the browser tests, render every page for real).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from lebork_einclusion import roles
from tests.url_samples import OWNER_ONLY, SAMPLES, all_url_names

URLS = all_url_names()
PEOPLE = [None, *roles.ROLES]  # None: anonymous


def _blank_pdf() -> bytes:
    """One blank page: not rendered, yet a PDF that a batch of papers can join."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer, out = PdfWriter(), BytesIO()
    writer.add_blank_page(width=10, height=10)
    writer.write(out)
    return out.getvalue()


STUB_PDF = _blank_pdf()


class _StubDocument:
    pages = [None]

    def copy(self, pages):
        return self

    def write_pdf(self, *args, **kwargs):
        return STUB_PDF


def _stub_write_pdf(self, target=None, *args, **kwargs):
    """As WeasyPrint's: the bytes, or written to the target (a batch's part on disk)."""
    if target is None:
        return STUB_PDF
    with open(target, "wb") as handle:
        handle.write(STUB_PDF)
    return None


@pytest.fixture
def no_rendering(monkeypatch):
    """Django templates render to an empty page and WeasyPrint makes no PDF: the view, its
    permission checks and its queries still run (the matrix's 2 688 requests then take a
    fraction of the time)."""
    import weasyprint
    from django.template.backends.django import Template

    monkeypatch.setattr(Template, "render", lambda self, context=None, request=None: "")
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", _stub_write_pdf)
    monkeypatch.setattr(weasyprint.HTML, "render", lambda self, *a, **k: _StubDocument())


def test_every_url_has_an_entry_in_the_role_table():
    missing = [name for name, _ in URLS if name not in roles.ACCESS]
    assert missing == [], f"URLs without a role-table entry in roles.ACCESS: {missing}"


def test_the_role_table_names_no_url_that_does_not_exist():
    names = {name for name, _ in URLS}
    stale = sorted(set(roles.ACCESS) - names)
    assert stale == [], f"roles.ACCESS entries for URLs that do not exist: {stale}"


def test_every_url_with_arguments_has_a_sample():
    missing = [name for name, has_args in URLS if has_args and name not in SAMPLES]
    assert missing == [], f"add sample arguments to tests/url_samples.py for: {missing}"


def _url(name):
    kwargs = SAMPLES[name]() if name in SAMPLES else {}
    return reverse(name, kwargs=kwargs)


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(
        reverse(settings.LOGIN_URL)
    )


@pytest.mark.parametrize("name", [name for name, _ in URLS])
@pytest.mark.parametrize("role", PEOPLE, ids=lambda r: r or "anonymous")
def test_page_access(client, make_user, name, role, no_rendering):
    rule = roles.ACCESS[name]
    url = _url(name)
    if role:
        client.force_login(make_user(role))
    response = client.get(url)
    if rule.public:
        assert response.status_code < 500
    elif role is None:
        assert _is_login_redirect(response), f"{name}: anonymous got {response.status_code}"
    elif role in rule.view:
        allowed_missing = (404,) if name in OWNER_ONLY else ()
        assert response.status_code not in {403, 404} - set(allowed_missing), (
            f"{name}: {role} should see it, got {response.status_code}"
        )
        assert response.status_code < 500, (
            f"{name}: {role} should see it, got {response.status_code}"
        )
        assert not _is_login_redirect(response)
    else:
        assert response.status_code == 403, f"{name}: {role} should get 403"


@pytest.mark.parametrize("name", [name for name, _ in URLS])
@pytest.mark.parametrize("role", PEOPLE, ids=lambda r: r or "anonymous")
def test_write_access(client, make_user, name, role, no_rendering):
    """A POST from a role without write access is refused before the view runs."""
    rule = roles.ACCESS[name]
    url = _url(name)
    if role:
        client.force_login(make_user(role))
    response = client.post(url, {})
    if rule.public:
        assert response.status_code < 500
    elif role is None:
        assert _is_login_redirect(response)
    elif role in rule.change:
        assert response.status_code != 403 and response.status_code < 500, (
            f"{name}: {role} may write, got {response.status_code}"
        )
    else:
        assert response.status_code == 403, (
            f"{name}: {role} may not write, got {response.status_code}"
        )


def test_the_auditor_never_writes():
    assert all(
        roles.AUDITOR not in rule.change
        for rule in roles.ACCESS.values()
        if rule is not roles.OWN_ACCOUNT
    )


def test_a_url_missing_from_the_table_is_refused(rf, make_user, monkeypatch):
    monkeypatch.delitem(roles.ACCESS, "core:project")
    from django.test import Client

    client = Client()
    client.force_login(make_user(roles.COORDINATOR))
    assert client.get(reverse("core:project")).status_code == 403
