"""Standing attack: filter, sort and search parameters of every list page never make a server
error (issue 12).

Every page the coordinator opens (the URL list of the role x URL matrix, tests/url_samples.py)
gets the GET parameters of its own search and filter forms plus the usual names of paging and
ordering, each set to SQL fragments, a NUL byte, numbers far over any column's range, an unknown
ordering and other junk: the answer is a page, a redirect or a refusal, never a 500. A NUL byte
in the search box of the lending and training lists was a 500 before: search text goes through
lebork_einclusion/search.py.
"""

import pytest
from django.test import Client

from lebork_einclusion import roles
from tests.crawl import forms_of, urls_for

PAYLOADS = {
    "sql-quote": "' OR '1'='1' --",
    "sql-union": "1 UNION SELECT username, password FROM auth_user--",
    "sql-semicolon": "1; DROP TABLE auth_user;--",
    "nul-byte": "a\x00b",
    "huge-number": "9" * 40,
    "huge-negative": "-" + "9" * 30,
    "unknown-ordering": "-no_such_field__pk",
    "control-and-format": "\x1b[31m\u202e\u200b\r\n",
    "very-long": "x" * 5000,
    "date-junk": "2012-13-45",
}
# Names of paging, ordering and filtering used by lists, whether or not a page has a form.
COMMON_PARAMS = (
    "q",
    "page",
    "o",
    "ordering",
    "sort",
    "order",
    "status",
    "kind",
    "holder",
    "who",
    "unit",
    "year",
    "month",
    "week",
    "tab",
    "officer",
    "module",
    "group",
    "call",
    "pending",
)
# Files are rendered for every request (PDFs are slow); their filters are the pages' filters.
FILE_SUFFIXES = ("_pdf", "_xlsx", "_download", "_scan", "_file", "_json", "_csv")


@pytest.fixture(scope="module")
def list_pages(django_db_setup, django_db_blocker):
    """(name, url, GET parameter names) of every HTML page the coordinator may open."""
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        from django.db import transaction

        pages = []
        with transaction.atomic():
            user = UserFactory(role=roles.COORDINATOR)
            client = Client(raise_request_exception=False)
            client.force_login(user)
            for name, url in urls_for(roles.COORDINATOR):
                if name.endswith(FILE_SUFFIXES) or "export" in name:
                    continue
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                params = set(COMMON_PARAMS)
                for form in forms_of(response.content.decode()):
                    if form.method.lower() == "get":
                        params |= set(form.names)
                pages.append((name, url, sorted(params)))
            transaction.set_rollback(True)
    return pages


def test_the_list_pages_are_found(list_pages):
    names = {name for name, _url, _params in list_pages}
    assert len(list_pages) > 40
    for expected in (
        "recruitment:application_list",
        "lending:participant_list",
        "lending:agreement_list",
        "lending:asset_list",
        "training:trainee_list",
        "procurement:procedure_list",
    ):
        assert expected in names


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_no_list_parameter_makes_a_server_error(db, list_pages, make_user, payload):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(roles.COORDINATOR))
    errors = []
    for name, url, params in list_pages:
        response = client.get(url, dict.fromkeys(params, payload))
        if response.status_code >= 500:
            errors.append((name, response.status_code))
    assert errors == []


def test_a_nul_byte_in_the_lending_and_training_search_boxes_is_no_error(db, make_user):
    from django.urls import reverse

    from tests.url_samples import SAMPLES

    client = Client(raise_request_exception=False)
    client.force_login(make_user(roles.COORDINATOR))
    for name in (
        "lending:participant_list",
        "lending:agreement_list",
        "lending:asset_list",
        "training:group_add_members",
        "training:trainee_list",
        "recruitment:application_list",
    ):
        url = reverse(name, kwargs=SAMPLES[name]() if name in SAMPLES else {})
        response = client.get(url, {"q": "Now\x00ak"})
        assert response.status_code == 200, name


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("  Nowak  ", "Nowak"),
        ("Now\x00ak", "Nowak"),
        ("\u202eNowak\u200b", "Nowak"),
        ("Jan\t\nNowak", "Jan Nowak"),
        (None, ""),
        ("x" * 500, "x" * 100),
    ],
)
def test_search_text_keeps_what_a_person_typed_and_nothing_else(typed, searched):
    from lebork_einclusion.search import MAX_SEARCH_LENGTH, search_text

    assert MAX_SEARCH_LENGTH == 100
    assert search_text(typed) == searched
