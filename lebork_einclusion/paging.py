"""Long lists are shown a page at a time: one page size and one way to keep the list's filters
in the links to the other pages.

`seek_page` is the one way of paging a list that may grow: keyset ("seek") pagination. A link to
the next page names the last row shown (`?after=<id>`), a link to the previous one the first
(`?before=<id>`); the page is the rows that come after (before) that row in the list's own order,
read by a condition on the ordering key that an index walks, so the hundredth page costs what
the first does (never an OFFSET that grows). The cursor is the row's id: no name, PESEL or other
value of the row is ever put in a URL; the row's ordering key is read back from the database (one
query by primary key). The number of rows is counted exactly up to `COUNT_LIMIT` and estimated by
the planner above it (said so under the list).

`page_of` (numbered pages, an OFFSET) stays for short lists that do not grow with the project.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Field, Func, OrderBy, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.http import QueryDict

PAGE_SIZE = 50
# Counting stops here: an exact count walks every matching row, which grows with the list.
COUNT_LIMIT = 5_000
CURSOR_PARAMETERS = ("page", "after", "before")


def page_of(request, rows, per_page: int = PAGE_SIZE) -> Page:
    """The page of `rows` that the request's `page` parameter asks for (the first, or the last,
    when it is not a page number)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The request's query string without its page or cursor: the filters that the page links
    (and the exports of the rows shown) carry on."""
    query = request.GET.copy()
    for name in CURSOR_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


# --- keyset pagination ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order: its lookup path, its direction and where NULLs go
    (PostgreSQL's default: last ascending, first descending)."""

    path: str
    descending: bool = False
    nulls_last: bool | None = None
    # False when the column cannot hold NULL: the conditions then leave out "or IS NULL", which
    # would keep PostgreSQL from walking the index from the cursor on.
    nullable: bool = True

    @property
    def nulls_at_end(self) -> bool:
        return (not self.descending) if self.nulls_last is None else self.nulls_last

    def reversed(self) -> SortKey:
        return SortKey(self.path, not self.descending, not self.nulls_at_end, self.nullable)

    def order_by(self):
        nulls = {"nulls_last": True} if self.nulls_at_end else {"nulls_first": True}
        expression = F(self.path)
        return expression.desc(**nulls) if self.descending else expression.asc(**nulls)

    def equal(self, value) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})

    def after(self, value) -> Q:
        """Rows whose value of this key comes strictly after `value` in this order."""
        if value is None:
            return Q(pk__in=[]) if self.nulls_at_end else Q(**{f"{self.path}__isnull": False})
        beyond = Q(**{f"{self.path}__{'lt' if self.descending else 'gt'}": value})
        if self.nulls_at_end and self.nullable:
            return beyond | Q(**{f"{self.path}__isnull": True})
        return beyond

    def at_or_after(self, value) -> Q:
        """Rows whose value of this key is `value` or comes after it: one range of an index
        (>= or <=), where the index walk starts."""
        if value is None:
            return self.after(value) | self.equal(value)
        at = Q(**{f"{self.path}__{'lte' if self.descending else 'gte'}": value})
        if self.nulls_at_end and self.nullable:
            return at | Q(**{f"{self.path}__isnull": True})
        return at


def _nullable(model, path: str) -> bool:
    """Whether the column a lookup path ends in may be NULL (through a nullable relation
    included); True when it is not a plain field path (an annotation...)."""
    try:
        for part in path.split("__"):
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            if getattr(field, "null", True):
                return True
            if not field.is_relation:
                return False
            model = field.related_model
    except Exception:  # an annotation or a reverse relation: say it may be NULL
        return True
    return False


def sort_keys(rows: QuerySet) -> list[SortKey]:
    """The queryset's order as sort keys, made total by the primary key at its end."""
    ordering = list(rows.query.order_by) or list(rows.query.get_meta().ordering or ())
    keys = []
    for item in ordering:
        if isinstance(item, str):
            if item == "?":
                raise ValueError(f"cannot seek in the order {item!r}")
            keys.append(SortKey(item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            nulls = True if item.nulls_last else False if item.nulls_first else None
            keys.append(SortKey(item.expression.name, item.descending, nulls))
        elif isinstance(item, F):
            keys.append(SortKey(item.name))
        else:
            raise ValueError(f"cannot seek in the order {item!r}")
    keys = [
        SortKey(key.path, key.descending, key.nulls_last, _nullable(rows.model, key.path))
        for key in keys
    ]
    pk_names = {"pk", "id", rows.model._meta.pk.name}
    unique_at = next((i for i, key in enumerate(keys) if key.path in pk_names), None)
    if unique_at is None:
        keys.append(SortKey("pk", keys[-1].descending if keys else False, nullable=False))
    else:
        keys = keys[: unique_at + 1]
    return keys


def seek_condition(keys: list[SortKey], values: tuple) -> Q:
    """Rows that come strictly after the row whose ordering key is `values`: (k1 after v1) or
    (k1 = v1 and k2 after v2) or ...; the first key's "at or after" is repeated on its own so that
    PostgreSQL starts the index walk there."""
    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= prefix & key.after(value)
        prefix &= key.equal(value)
    first, value = keys[0], values[0]
    if len({key.descending for key in keys}) == 1 and not any(key.nullable for key in keys):
        # One direction and no NULL: the same condition as one row comparison, which PostgreSQL
        # walks in a multicolumn index from the cursor on, however many rows share its first
        # values (the OR above would be read as a union of ranges, then sorted).
        row, at = _Row(*(F(key.path) for key in keys)), _Row(*(Value(v) for v in values))
        condition = LessThan(row, at) if keys[0].descending else GreaterThan(row, at)
    return first.at_or_after(value) & condition


class _Row(Func):
    function = "ROW"
    output_field = Field()


def _cursor(rows: QuerySet, text: str | None):
    """The primary key a cursor parameter names, or None when it is not one."""
    if not text or len(text) > 100:
        return None
    try:
        value = rows.model._meta.pk.to_python(text)
    except ValidationError:
        return None
    if isinstance(value, int) and not 0 < value < 2**63:
        return None
    return value


@dataclass
class SeekPage:
    """A page of a keyset-paged list; in a template like Django's Page: iterate over it,
    `has_other_pages`, `paginator.count`."""

    object_list: list
    has_next: bool
    has_previous: bool
    count: int
    count_is_estimate: bool
    query: str = ""
    keyset: bool = field(default=True, init=False)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    @property
    def paginator(self):
        return self  # templates ask `page.paginator.count`, as of Django's Page

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def _link(self, name: str, row) -> str:
        query = QueryDict(self.query, mutable=True)
        query[name] = str(row.pk)
        return query.urlencode()

    @property
    def next_query(self) -> str:
        return self._link("after", self.object_list[-1]) if self.has_next else ""

    @property
    def previous_query(self) -> str:
        if not self.has_previous:
            return ""
        # Nothing after the cursor's row (the last rows deleted since): back to the start.
        return self._link("before", self.object_list[0]) if self.object_list else self.query

    @property
    def first_query(self) -> str:
        return self.query


def count_rows(rows: QuerySet, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """(number of rows, whether it is an estimate): exact up to `limit`, the planner's estimate
    above it (never below the limit)."""
    # Only the ids: the annotations that show a row (subqueries) are not computed to count it.
    counted = rows.order_by().values("pk")[: limit + 1].count()
    if counted <= limit:
        return counted, False
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return max(estimate, limit + 1), True


def count_text(rows: QuerySet, limit: int = COUNT_LIMIT) -> int | str:
    """The number of rows for a tab or a badge: exact up to `limit`, "5000+" above (one query
    that walks at most limit + 1 rows)."""
    counted = rows.order_by().values("pk")[: limit + 1].count()
    return counted if counted <= limit else f"{limit}+"


def seek_page(
    request, rows: QuerySet, per_page: int = PAGE_SIZE, *, count: bool = True
) -> SeekPage:
    """The page of `rows` (a queryset in its list's order) that the request's cursor asks for:
    the first page without one, the rows after `?after=<id>`, or before `?before=<id>`. A cursor
    naming a row that is not in the list (deleted, filtered out, a typo) gives the first page.
    Queries: the count (when asked), the cursor's row, the page: the same on any page."""
    keys = sort_keys(rows)
    after, before = (
        _cursor(rows, request.GET.get("after")),
        _cursor(rows, request.GET.get("before")),
    )
    cursor, backwards = (before, True) if before is not None and after is None else (after, False)
    values = None
    if cursor is not None:
        values = rows.filter(pk=cursor).values_list(*(key.path for key in keys)).first()
    if values is None:
        cursor = None
    walk = [key.reversed() for key in keys] if backwards and cursor is not None else keys
    page_rows = rows.order_by(*(key.order_by() for key in walk))
    if cursor is not None:
        page_rows = page_rows.filter(seek_condition(walk, values))
    found = list(page_rows[: per_page + 1])
    more = len(found) > per_page
    found = found[:per_page]
    backwards = backwards and cursor is not None
    if backwards:
        found.reverse()
    total, estimate = count_rows(rows) if count else (len(found), False)
    return walked_page(
        request,
        found,
        more=more,
        backwards=backwards,
        from_cursor=cursor is not None,
        count=(total, estimate),
    )


def walked_page(
    request, found: list, *, more: bool, backwards: bool, from_cursor: bool, count: tuple
) -> SeekPage:
    """The page of rows a keyset walk found, in the list's order: `more` when the walk found a
    row beyond the page (towards the start when it walked `backwards` from its cursor);
    `count` is (total, whether it is an estimate). seek_page() and the audit trail's pages."""
    if backwards:
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, from_cursor
    total, estimate = count
    return SeekPage(
        found,
        has_next=has_next,
        has_previous=has_previous,
        count=total,
        count_is_estimate=estimate,
        query=query_without_page(request),
    )
