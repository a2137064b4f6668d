"""Keyset ("seek") pagination (lebork_einclusion/paging.py): walking a list page by page with
the next and previous links shows every row once, in the list's order, ties and NULLs in the
sort key included; the cursor names a row by its id only."""

import pytest
from django.db.models import Case, F, IntegerField, Value, When
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lebork_einclusion import paging
from lending.models import Asset

pytestmark = pytest.mark.django_db

SIZE = 24


def request_for(query: str = ""):
    return RequestFactory().get("/list/?" + query)


def keyed(first: list, second: list):
    """SIZE demo assets with two generated sort keys (NULLs and ties among them)."""
    pks = list(Asset.objects.order_by("pk").values_list("pk", flat=True)[:SIZE])

    def column(values):
        return Case(
            *[When(pk=pk, then=Value(v)) for pk, v in zip(pks, values, strict=True)],
            default=Value(None),
            output_field=IntegerField(),
        )

    return Asset.objects.filter(pk__in=pks).annotate(k1=column(first), k2=column(second))


def walk(rows, per_page):
    """The pages met following "next" from the first page, then "previous" back from the last."""
    forward, page = [], paging.seek_page(request_for(), rows, per_page)
    assert not page.has_previous
    forward.append([row.pk for row in page])
    while page.has_next:
        page = paging.seek_page(request_for(page.next_query), rows, per_page)
        assert page.has_previous
        forward.append([row.pk for row in page])
    backward = [[row.pk for row in page]]
    while page.has_previous:
        page = paging.seek_page(request_for(page.previous_query), rows, per_page)
        assert page.has_next
        backward.append([row.pk for row in page])
    return forward, backward[::-1]


sort_value = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
direction = st.sampled_from(["k1", "-k1", "k2", "-k2"])


@hypothesis_settings(max_examples=30)
@given(
    first=st.lists(sort_value, min_size=SIZE, max_size=SIZE),
    second=st.lists(sort_value, min_size=SIZE, max_size=SIZE),
    order=st.lists(direction, min_size=1, max_size=2, unique_by=lambda s: s.lstrip("-")),
    nulls=st.sampled_from([None, "first", "last"]),
    with_pk=st.sampled_from(["pk", "-pk"]),
    per_page=st.integers(min_value=1, max_value=9),
)
def test_walking_the_pages_shows_every_row_once_in_the_lists_order(
    first, second, order, nulls, with_pk, per_page
):
    ordering = list(order)
    if nulls:
        name = ordering[0].lstrip("-")
        expression = F(name)
        nulls_kw = {"nulls_first": True} if nulls == "first" else {"nulls_last": True}
        method = expression.desc if ordering[0].startswith("-") else expression.asc
        ordering[0] = method(**nulls_kw)
    ordering.append(with_pk)  # the list's own order is total (the helper adds it otherwise)
    rows = keyed(first, second).order_by(*ordering)
    expected = list(rows.values_list("pk", flat=True))
    forward, backward = walk(rows, per_page)
    assert [pk for page in forward for pk in page] == expected
    assert all(len(page) == per_page for page in forward[:-1])
    # Back from the last page: the same rows, the walk ending on the list's first rows.
    assert [pk for page in backward for pk in page] == expected
    assert backward[0] == expected[: len(backward[0])]


def test_the_links_carry_the_filters_and_the_row_id_only():
    rows = Asset.objects.order_by("serial_number")
    page = paging.seek_page(request_for("q=abc&status=lent&page=3&after=x"), rows, 5)
    assert page.next_query == f"q=abc&status=lent&after={page.object_list[-1].pk}"
    second = paging.seek_page(request_for(page.next_query), rows, 5)
    assert second.previous_query == f"q=abc&status=lent&before={second.object_list[0].pk}"
    assert second.first_query == "q=abc&status=lent"
    assert page.object_list[-1].serial_number not in page.next_query


@pytest.mark.parametrize(
    "cursor", ["after=abc", "after=-4", "after=99999999", "before=", "after=1e9"]
)
def test_a_cursor_that_names_no_row_of_the_list_gives_the_first_page(cursor):
    rows = Asset.objects.order_by("serial_number")
    page = paging.seek_page(request_for(cursor), rows, 5)
    assert [a.pk for a in page] == list(rows.values_list("pk", flat=True)[:5])
    assert not page.has_previous and page.has_next


def test_a_cursor_filtered_out_of_the_list_gives_the_first_page():
    lent = Asset.objects.filter(status="lent").order_by("serial_number")
    other = Asset.objects.exclude(status="lent").first()
    page = paging.seek_page(request_for(f"after={other.pk}"), lent, 5)
    assert [a.pk for a in page] == list(lent.values_list("pk", flat=True)[:5])


def test_the_count_is_exact_up_to_the_limit_and_estimated_above(monkeypatch):
    rows = Asset.objects.order_by("pk")
    total = rows.count()
    assert paging.count_rows(rows, limit=total) == (total, False)
    count, estimate = paging.count_rows(rows, limit=total - 10)
    assert estimate and count > total - 10


def test_the_query_count_is_the_same_on_every_page(django_assert_num_queries):
    rows = Asset.objects.order_by("serial_number")
    first = paging.seek_page(request_for(), rows, 5)
    with django_assert_num_queries(3):  # the count, the cursor's row, the page
        second = paging.seek_page(request_for(first.next_query), rows, 5)
    with django_assert_num_queries(3):
        paging.seek_page(request_for(second.previous_query), rows, 5)


def test_the_primary_key_makes_the_order_total():
    keys = paging.sort_keys(Asset.objects.order_by("-delivered_on"))
    assert [(k.path, k.descending) for k in keys] == [("delivered_on", True), ("pk", True)]
    keys = paging.sort_keys(Asset.objects.order_by("kind", "id", "serial_number"))
    assert [k.path for k in keys] == ["kind", "id"]


def test_an_order_that_cannot_be_sought_is_refused():
    with pytest.raises(ValueError):
        paging.sort_keys(Asset.objects.order_by("?"))


def test_a_tab_count_is_exact_up_to_the_limit_then_says_more():
    rows = Asset.objects.all()
    total = rows.count()
    assert paging.count_text(rows, limit=total) == total
    assert paging.count_text(rows, limit=total - 1) == f"{total - 1}+"
