"""Every list page that grows with the project is paged by keyset (lebork_einclusion.paging
.seek_page): its number of queries is the same on the demo and with many more rows, on the
first page and on the pages its "next" and "previous" links lead to; those pages hold the
list's rows once each, and the links name rows by id only (issue 17, item 4)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lebork_einclusion import paging
from tests.factories import SupplierFactory, add_access_log, add_households

pytestmark = pytest.mark.django_db

# (list, URL query, the rows added by `grow`): the lists the bulk households feed.
HOUSEHOLD_LISTS = [
    ("recruitment:application_list", "call={call}"),
    ("recruitment:application_list", "call={call}&sort=-points"),
    ("lending:agreement_list", ""),
    ("lending:note_list", ""),
    ("lending:asset_list", ""),
    ("lending:participant_list", ""),
    ("lending:connection_list", ""),
    ("monitoring:visit_list", "tab=overdue&officer=all"),
    ("monitoring:visit_list", "tab=done&month=2013-03&officer=all"),
    ("core:personal_data_log", ""),
]
ADDED = 3 * paging.PAGE_SIZE


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries)


def pks(response):
    return [row.pk for row in response.context["page"]]


def link(response, rel):
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return unescape(found.group(1)) if found else None


def walk_three_pages(client, url):
    """The first page, the next one and back: their rows and queries."""
    first, first_queries = get(client, url)
    next_query = link(first, "next")
    assert next_query, "no link to the next page"
    assert re.fullmatch(r".*after=\d+", next_query)
    base = url.split("?")[0]
    second, second_queries = get(client, f"{base}?{next_query}")
    back, back_queries = get(client, f"{base}?{link(second, 'prev')}")
    return (first, second, back), (first_queries, second_queries, back_queries)


@pytest.mark.parametrize(("name", "query"), HOUSEHOLD_LISTS)
def test_the_list_keeps_its_queries_and_rows_with_many_more_households(
    coordinator_client, name, query
):
    call = add_households(10)  # the list's own call for the application list
    url = f"{reverse(name)}?{query.format(call=call.pk)}"
    if name == "core:personal_data_log":
        add_access_log(10, user=coordinator_client.user)
    _, small = get(coordinator_client, url)

    add_households(ADDED, call=call, start=1_000)
    if name == "core:personal_data_log":
        add_access_log(ADDED, user=coordinator_client.user)
    (first, second, back), (many, after, before) = walk_three_pages(coordinator_client, url)

    assert many == small
    assert after == before <= small + 1  # the cursor's row is read back: one query more
    assert len(pks(first)) == len(pks(second)) == paging.PAGE_SIZE
    assert not set(pks(first)) & set(pks(second))
    assert pks(back) == pks(first)
    assert link(first, "prev") is None and link(back, "prev") is None


def test_the_next_page_follows_the_first_in_the_lists_order_ties_included(coordinator_client):
    """By points many applications tie: the pages still hold each application once."""
    call = add_households(2 * paging.PAGE_SIZE + 7)
    url = f"{reverse('recruitment:application_list')}?call={call.pk}&sort=-points"
    seen, query = [], url.split("?")[1]
    while query:
        response, _ = get(coordinator_client, f"{url.split('?')[0]}?{query}")
        seen += pks(response)
        query = link(response, "next")
    assert len(seen) == len(set(seen)) == 2 * paging.PAGE_SIZE + 7
    points = dict(call.applications.values_list("pk", "evaluation__points"))
    assert [points[pk] for pk in seen] == sorted(points.values(), reverse=True)


def test_the_supplier_list_keeps_its_queries_with_many_more_suppliers(coordinator_client):
    url = reverse("procurement:supplier_list")
    _, small = get(coordinator_client, url)
    SupplierFactory.create_batch(ADDED)
    (first, second, back), (many, after, before) = walk_three_pages(coordinator_client, url)
    assert many == small and after == before <= small + 1
    assert not set(pks(first)) & set(pks(second)) and pks(back) == pks(first)


def test_filters_stay_with_the_cursor(coordinator_client):
    add_households(ADDED)
    url = f"{reverse('lending:asset_list')}?status=lent"
    (first, second, _), _ = walk_three_pages(coordinator_client, url)
    assert "status=lent" in link(first, "next")
    assert {a.status for a in second.context["page"]} == {"lent"}


def test_no_name_or_pesel_is_put_in_a_page_link(coordinator_client):
    call = add_households(ADDED)
    url = f"{reverse('recruitment:application_list')}?call={call.pk}"
    first, _ = get(coordinator_client, url)
    next_query = link(first, "next")
    assert next_query == f"call={call.pk}&after={pks(first)[-1]}"
