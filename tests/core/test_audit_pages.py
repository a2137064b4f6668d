"""The audit trail a page at a time (lebork_einclusion.audit_pages): each event table read for
one page at most; the pages hold the whole trail once each, in its order (newest first, then the
event table, then the event's id), filters included, with the same queries on any page (issue
17, item 4)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pghistory.models import Events

from lebork_einclusion import paging
from lebork_einclusion.models import PublicUnit

pytestmark = pytest.mark.django_db


def _get(client, query=""):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{reverse('core:audit_log')}?{query}")
    assert response.status_code == 200
    return response, len(queries)


def _slugs(response):
    return [event.pgh_slug for event in response.context["page"]]


def _link(response, rel):
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return unescape(found.group(1)) if found else None


def _trail_order(events):
    return [
        e.pgh_slug
        for e in sorted(
            events, key=lambda e: (e.pgh_created_at, e.pgh_model, e.pgh_id), reverse=True
        )
    ]


def test_the_pages_walk_the_whole_filtered_trail_once_in_its_order(coordinator_client):
    # Units changed in three steps: more than two pages of one record type, ties of one moment.
    units = PublicUnit.objects.count()
    for step in range(2 * paging.PAGE_SIZE // units + 1):
        PublicUnit.objects.update(phone=f"59 000 00 {step:02d}")  # one moment for all units
    expected = _trail_order(Events.objects.filter(pgh_obj_model="core.PublicUnit"))
    assert len(expected) > 2 * paging.PAGE_SIZE

    seen, query, counts = [], "model=core.PublicUnit", []
    while query:
        response, queries = _get(coordinator_client, query)
        seen += _slugs(response)
        counts.append(queries)
        query = _link(response, "next")
    assert seen == expected
    assert len(set(counts[1:])) == 1  # every page after the first: the same queries
    assert response.context["page"].count == len(expected)


def test_previous_leads_back_to_the_same_rows(coordinator_client):
    units = PublicUnit.objects.count()
    for step in range(2 * paging.PAGE_SIZE // units + 1):
        PublicUnit.objects.update(phone=f"59 000 01 {step:02d}")
    query = "model=core.PublicUnit"
    first, first_queries = _get(coordinator_client, query)
    second, second_queries = _get(coordinator_client, _link(first, "next"))
    back, back_queries = _get(coordinator_client, _link(second, "prev"))
    assert len(_slugs(first)) == len(_slugs(second)) == paging.PAGE_SIZE
    assert not set(_slugs(first)) & set(_slugs(second))
    assert _slugs(back) == _slugs(first)
    assert second_queries == back_queries == first_queries + 1  # the cursor's event read back
    assert _link(back, "prev") is None


def test_the_first_page_is_the_newest_of_the_whole_trail(coordinator_client):
    first, _ = _get(coordinator_client)
    moments = Events.objects.order_by("-pgh_created_at").values_list("pgh_created_at", flat=True)
    newest = Events.objects.filter(pgh_created_at__gte=moments[paging.PAGE_SIZE - 1])  # ties too
    assert _slugs(first) == _trail_order(newest)[: paging.PAGE_SIZE]


def test_the_record_and_user_filters_keep_the_events_they_name(coordinator_client):
    unit = PublicUnit.objects.order_by("pk").first()
    PublicUnit.objects.filter(pk=unit.pk).update(phone="59 111 11 11")
    response, _ = _get(coordinator_client, f"model=core.PublicUnit&object_id={unit.pk}")
    expected = _trail_order(
        Events.objects.filter(pgh_obj_model="core.PublicUnit", pgh_obj_id=str(unit.pk))
    )
    assert _slugs(response) == expected[: paging.PAGE_SIZE] and expected
    user = coordinator_client.user.pk
    response, _ = _get(coordinator_client, f"user={user}")
    expected = _trail_order(Events.objects.filter(pgh_context__user=user))
    assert _slugs(response) == expected[: paging.PAGE_SIZE]


@pytest.mark.parametrize(
    "cursor",
    ["after=nonsense", "after=core.ProjectEvent:x", "after=a:99999999", "before=" + "9" * 200],
)
def test_a_cursor_that_names_no_event_gives_the_first_page(coordinator_client, cursor):
    first, _ = _get(coordinator_client)
    response, _ = _get(coordinator_client, cursor)
    assert _slugs(response) == _slugs(first)
    assert _link(response, "prev") is None


def test_a_record_id_of_another_type_finds_nothing(coordinator_client):
    response, _ = _get(coordinator_client, "model=core.PublicUnit&object_id=abc")
    assert _slugs(response) == []
    assert response.context["page"].count == 0
