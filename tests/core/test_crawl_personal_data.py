"""Every page, PDF, XLSX and JSON export of the demo, crawled as each role (SECURITY.md, Access
and Data): no PESEL in any log line or URL, every response that shows a PESEL writes an access
row, roles without personal data never see one, and every form that takes personal data carries
the information clause.

The URL list is the role x URL matrix's (tests/url_samples.py): a new page is crawled as soon as
it has a role-table entry and a sample. Each role's crawl runs once per test session (in the
first test that needs it, inside that test's transaction) and the later tests read its result.
"""

import re

import pytest
from django.test import Client

from lebork_einclusion import pesel as pesel_rules
from lebork_einclusion import roles
from lebork_einclusion.logfilters import PESEL_RE
from tests.crawl import ELEVEN_DIGITS, crawl, demo_pesels, forms_of, urls_in

_CRAWLS: dict = {}


@pytest.fixture
def crawled(make_user, db):
    """crawled(role) -> the crawl of every URL the role may open (cached for the session), with
    the demo's PESEL numbers as they were during it."""

    def _get(role):
        if role not in _CRAWLS:
            client = Client()
            if role:
                client.force_login(make_user(role))
            _CRAWLS[role] = (crawl(client, role), demo_pesels())
        return _CRAWLS[role]

    return _get


def _found(text: str, pesels: set[str]) -> set[str]:
    return {match for match in ELEVEN_DIGITS.findall(text) if match in pesels}


# --- logs ------------------------------------------------------------------------------------------

LOG_ROLES = [roles.COORDINATOR, roles.COMMITTEE, roles.MONITORING, roles.FINANCE, roles.AUDITOR]


@pytest.mark.parametrize("role", LOG_ROLES)
def test_no_log_line_of_any_page_or_export_carries_a_pesel(crawled, role):
    result, pesels = crawled(role)
    assert pesels, "the demo holds PESEL numbers"
    # The crawl reached the files as well as the pages, and the logs saw it.
    assert any(f.status == 200 for f in result.fetched)
    assert result.records, "nothing was logged: the capture does not work"
    # What the configured handlers write (their filters and formatter applied).
    assert not PESEL_RE.search(result.output), PESEL_RE.search(result.output)
    # What every logger was asked to write, before any filter: the redacting filter is a safety
    # net, not the reason no PESEL reaches the logs.
    leaks = []
    for record in result.records:
        message = record.getMessage()
        for number in ELEVEN_DIGITS.findall(message):
            if number in pesels or pesel_rules.is_valid_pesel(number):
                leaks.append(f"{record.name}: {message[:200]}")
    assert leaks == []


def test_the_crawl_reaches_every_kind_of_export(crawled):
    result, _pesels = crawled(roles.COORDINATOR)
    kinds = {f.content_type.split(";")[0] for f in result.fetched if f.status == 200}
    assert {
        "text/html",
        "application/pdf",
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    } <= kinds
    # And the pages that hold PESEL numbers are among them (the test below has work to do).
    assert any(_found(f.text, _pesels) for f in result.fetched if f.content_type.startswith("text"))
    assert any(_found(f.text, _pesels) for f in result.fetched if f.content_type.endswith("pdf"))


# --- URLs --------------------------------------------------------------------------------------------


def test_no_link_form_or_redirect_carries_a_pesel(crawled):
    """PESEL numbers travel only in POST bodies: no href, src, form action or redirect of any
    page holds one (nor any other 11-digit number that could be one)."""
    result, _pesels = crawled(roles.COORDINATOR)
    bad = []
    for fetched in result.fetched:
        for url in [
            fetched.url,
            fetched.location,
            *(urls_in(fetched.text) if fetched.is_page else []),
        ]:
            if ELEVEN_DIGITS.search(url or ""):
                bad.append((fetched.name, url))
    assert bad == []


PESEL_FIELD = re.compile(r"(^|[-_])pesel$")


def test_every_form_that_takes_a_pesel_posts_it(crawled):
    """A search by PESEL sent with GET would put the number in the URL, the browser's history
    and the server's access log: every form with a PESEL field uses POST."""
    result, _pesels = crawled(roles.COORDINATOR)
    with_pesel = []
    for fetched in result.pages():
        for form in forms_of(fetched.text):
            if any(PESEL_FIELD.search(name) for name in form.names):
                with_pesel.append((fetched.name, form.method))
    assert with_pesel, "the crawl found the forms that take a PESEL"
    assert [(name, method) for name, method in with_pesel if method != "post"] == []


# --- the information clause ---------------------------------------------------------------------------

# Forms that take a PESEL to look a record up, not to collect data about someone.
PESEL_LOOKUPS = {"core:subject_export"}
PERSONAL_FIELD = re.compile(r"(^|[-_])(pesel|first_name|last_name|monthly_net_income|disability)$")


def test_every_form_that_collects_personal_data_shows_the_information_clause(crawled):
    """GDPR Art. 13: the clause is on every page whose form collects a person's data."""
    result, _pesels = crawled(roles.COORDINATOR)
    collecting, missing = [], []
    for fetched in result.pages():
        if fetched.name in PESEL_LOOKUPS:
            continue
        forms = [form for form in forms_of(fetched.text) if form.method == "post"]
        if any(PERSONAL_FIELD.search(name) for form in forms for name in form.names):
            collecting.append(fetched.name)
            if 'class="gdpr-clause"' not in fetched.text:
                missing.append(fetched.name)
    assert {"recruitment:application_new", "recruitment:application_edit"} <= set(collecting)
    assert missing == []


# --- the access log ------------------------------------------------------------------------------------

ACCESS_ROLES = [roles.COORDINATOR, roles.COMMITTEE, roles.MONITORING, roles.AUDITOR]


@pytest.mark.parametrize("role", ACCESS_ROLES)
def test_every_response_showing_a_pesel_records_the_access(crawled, role):
    """SECURITY.md: viewing a record with PESEL, income or disability data is logged. Every
    page, PDF and export whose text holds a PESEL of the demo wrote a row naming its own view
    (pages with income or disability data show the household's PESEL numbers too)."""
    result, pesels = crawled(role)
    showing = [f for f in result.fetched if _found(f.text, pesels)]
    assert showing, "the role sees some PESEL numbers"
    unlogged = [
        (f.name, f.url)
        for f in showing
        if not any(view == f.name and object_type for view, object_type, _id, _k in f.access_rows)
    ]
    assert unlogged == []
    # The rows name a record and never the number itself.
    for fetched in showing:
        for _view, _type, object_id, kinds in fetched.access_rows:
            assert not _found(object_id, pesels) and "pesel" in kinds


# --- roles without personal data -----------------------------------------------------------------------


def _personal_data_markers():
    """Text that only a household's own data puts on a page: the demo's PESEL numbers, and the
    labels of the income and disability fields as the pages print them."""
    from django.utils.translation import gettext

    from recruitment.domain import NO_DISABILITY
    from recruitment.models import Application, HouseholdMember

    disability = HouseholdMember._meta.get_field("disability")
    labels = [
        str(Application._meta.get_field("monthly_net_income").verbose_name),
        *(str(label) for value, label in disability.choices if value != NO_DISABILITY),
    ]
    return [gettext(label) for label in labels]


@pytest.mark.parametrize("role", [roles.FINANCE, None], ids=["finance", "anonymous"])
def test_roles_without_personal_data_never_see_a_pesel_income_or_disability(crawled, role):
    """The finance officer (and anyone on the public pages) opens every page, PDF and export
    the role table allows: none shows a PESEL, an income or a disability."""
    assert role not in roles.PERSONAL_DATA_ROLES
    result, pesels = crawled(role)
    opened = [f for f in result.fetched if f.status == 200]
    assert len(opened) > (20 if role else 5)
    markers = _personal_data_markers()
    shown = []
    for fetched in opened:
        if _found(fetched.text, pesels):
            shown.append((fetched.name, "PESEL"))
        for marker in markers:
            if marker.lower() in fetched.text.lower():
                shown.append((fetched.name, marker))
    assert shown == []
    assert all(not f.access_rows for f in result.fetched)


# --- files made in the background --------------------------------------------------------------------


def _background_exports():
    """(URL name, URL, POST data) of every export made in the background, with demo samples."""
    from django.urls import reverse

    from recruitment.models import Call
    from tests.url_samples import SAMPLES

    call = Call.objects.get(code="2012")
    return [
        (
            "lending:agreements_batch_pdf",
            reverse("lending:agreements_batch_pdf"),
            {"call": call.pk},
        ),
        (
            "training:module_sheets",
            reverse("training:module_sheets", kwargs=SAMPLES["training:module_sheets"]()),
            {},
        ),
        (
            "training:module_certificates",
            reverse("training:module_certificates", kwargs={"pk": _completed_small_module()}),
            {},
        ),
    ]


def _completed_small_module() -> int:
    """The small sample module with its one trainee present at its one session: a batch of
    certificates refuses to be empty, so this one holds her certificate (a draft)."""
    from tests.url_samples import _small_training
    from training.models import Attendance

    sample = _small_training()
    Attendance.objects.get_or_create(
        session_id=sample["session"],
        trainee_id=sample["trainee"],
        defaults={"status": Attendance.Status.PRESENT},
    )
    return sample["module"]


def test_files_made_in_the_background_log_the_request_and_no_pesel(coordinator_client):
    """A PDF made in the background (all agreements of a call) is logged as an access when it
    is asked for (only the one who asked can download it), and its making logs no PESEL."""
    from django.urls import resolve

    from lebork_einclusion.models import GeneratedFile
    from lending.models import LoanAgreement
    from tests.crawl import access_rows_since, body_of, captured_logs, last_access_row, text_of

    # Two agreements in force are enough for the call's batch (the rest ended: rolled back).
    open_agreements = LoanAgreement.objects.filter(status__in=LoanAgreement.OPEN_STATUSES)
    keep = list(open_agreements.order_by("number").values_list("pk", flat=True)[:2])
    open_agreements.exclude(pk__in=keep).update(status=LoanAgreement.Status.ENDED)
    pesels = demo_pesels()
    with_pesel = []
    with captured_logs() as (records, stream):
        for name, url, data in _background_exports():
            last = last_access_row()
            response = coordinator_client.post(url, data)
            assert response.status_code == 302, name
            rows = access_rows_since(last)
            generated = GeneratedFile.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
            assert generated.status == GeneratedFile.Status.DONE, (name, generated.error)
            download = coordinator_client.get(_download(generated))
            text = text_of(download["Content-Type"], body_of(download))
            if _found(text, pesels):
                with_pesel.append(name)
                assert any(view == name and kinds for view, _t, _i, kinds in rows), name
    assert "lending:agreements_batch_pdf" in with_pesel
    assert not PESEL_RE.search(stream.getvalue())
    leaks = [r.getMessage() for r in records if _found(r.getMessage(), pesels)]
    assert leaks == []


def _download(generated):
    from django.urls import reverse

    return reverse("core:generated_file_download", args=[generated.pk])


# --- files --------------------------------------------------------------------------------------------

# The views that serve uploaded files (uploads.file_response): scans of documents, signed
# sheets, contract attachments, the terms of reference, and files made in the background.
UPLOADS = {
    "recruitment:document_scan",
    "training:session_scan",
    "procurement:contract_attachment",
    "procurement:procedure_document",
    "core:generated_file_download",
}


def test_uploads_are_served_as_attachments_and_every_file_without_sniffing(crawled):
    """SECURITY.md, uploads: served only through a permission-checked view (the role matrix),
    with `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`; every other
    file (PDF, XLSX, JSON) is never sniffed either, and never cached."""
    result, _pesels = crawled(roles.COORDINATOR)
    files = [f for f in result.fetched if f.status == 200 and not f.is_page]
    served = {f.name for f in files}
    assert served >= UPLOADS
    for fetched in files:
        assert fetched.headers.get("X-Content-Type-Options") == "nosniff", fetched.name
        assert "no-store" in fetched.headers.get("Cache-Control", ""), fetched.name
        if fetched.name in UPLOADS:
            assert fetched.headers["Content-Disposition"].startswith("attachment"), fetched.name
