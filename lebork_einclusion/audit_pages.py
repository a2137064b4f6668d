"""The audit trail a page at a time without reading it whole.

pghistory's `Events` is a UNION of every event table, each row with its changes worked out
against the record's previous event; sorting it whole for one page costs every event there is.
Here each event table gives at most a page of its own rows after the cursor (newest first, read
from the table alone), the union of those few rows is sorted and cut to the page, and only the
page's events are then read through `Events` (their changes included). The order: the moment,
then the event table, then the event's id, all descending (events of one transaction share
their moment). The cursor is the event's slug ("app.ModelEvent:id"), as in `paging.seek_page`.
"""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import ForeignKey, Q
from pghistory import core as pghistory_core
from pghistory.models import Events

from .paging import COUNT_LIMIT, PAGE_SIZE, SeekPage, walked_page


def _event_models(tracked: str | None):
    """The event tables, of one tracked model ("app_label.ModelName") when given."""
    found = pghistory_core.event_models()
    if tracked:
        found = [m for m in found if m.pgh_tracked_model._meta.label == tracked]
    return sorted(found, key=lambda m: m._meta.label)


def _part(model, object_id: str | None, user: int | None) -> tuple[str, list] | None:
    """The event table's filter (an SQL condition and its parameters), or None when no row of
    it can match. Written by hand: compiling a queryset per table for ~70 tables costs more than
    the queries."""
    conditions, params = ["TRUE"], []
    if object_id:
        if not hasattr(model, "pgh_obj_id"):
            return None
        try:
            value = model._meta.get_field("pgh_obj").target_field.to_python(object_id)
        except ValidationError:  # not a key of that record type (a text for a number...)
            return None
        conditions.append('"pgh_obj_id" = %s')
        params.append(value)
    if user is not None:
        try:
            context = model._meta.get_field("pgh_context")
        except FieldDoesNotExist:
            return None
        if isinstance(context, ForeignKey):
            conditions.append(
                '"pgh_context_id" IN (SELECT "id" FROM "pghistory_context" '
                "WHERE \"metadata\" -> 'user' = %s::jsonb)"
            )
        else:
            conditions.append("\"pgh_context\" -> 'user' = %s::jsonb")
        params.append(json.dumps(user))
    return " AND ".join(conditions), params


def _parts(tracked, object_id, user) -> dict[str, tuple[str, str, list]]:
    """{event table's label: (table, condition, parameters)} of the tables the filters keep."""
    parts = {}
    for model in _event_models(tracked):
        part = _part(model, object_id, user)
        if part is not None:
            parts[model._meta.label] = (model._meta.db_table, *part)
    return parts


def _after(label: str, cursor: tuple, backwards: bool) -> tuple[str, list]:
    """The table's rows that come after the cursor's event (moment, table, id) in the walk."""
    at, cursor_label, cursor_id = cursor
    beyond = ">" if backwards else "<"
    if label == cursor_label:
        return (
            f'("pgh_created_at" {beyond} %s OR ("pgh_created_at" = %s AND "pgh_id" {beyond} %s))',
            [at, at, cursor_id],
        )
    # Another table: at the same moment its rows come after when its label does.
    same_moment_after = (label < cursor_label) != backwards
    return f'"pgh_created_at" {beyond}{"=" if same_moment_after else ""} %s', [at]


def _union_sql(parts: dict, limit: int, backwards: bool, cursor) -> tuple[str, list]:
    """One query: each table's first `limit` rows in the walk, together sorted and cut."""
    direction = "ASC" if backwards else "DESC"
    selects, params = [], []
    for label, (table, condition, part_params) in parts.items():
        where, where_params = condition, list(part_params)
        if cursor is not None:
            after, after_params = _after(label, cursor, backwards)
            where, where_params = f"{where} AND {after}", where_params + after_params
        selects.append(
            f'(SELECT "pgh_created_at", %s::text AS event_table, "pgh_id" FROM "{table}" '  # noqa: S608
            f'WHERE {where} ORDER BY "pgh_created_at" {direction}, "pgh_id" {direction} '
            f"LIMIT {int(limit)})"
        )
        params += [label, *where_params]
    sql = (
        "SELECT pgh_created_at, event_table, pgh_id FROM ("  # noqa: S608
        + " UNION ALL ".join(selects)
        + ") AS events "
        # The tables' labels compared byte by byte, as Python compares them in _after.
        f'ORDER BY pgh_created_at {direction}, event_table COLLATE "C" {direction}, '
        f"pgh_id {direction} LIMIT {int(limit)}"
    )
    return sql, params


def _count(parts: dict) -> tuple[int, bool]:
    """Exact up to COUNT_LIMIT, then the planner's estimate (as paging.count_rows)."""
    if not parts:
        return 0, False
    params = [p for _table, _condition, part_params in parts.values() for p in part_params]
    limited = " UNION ALL ".join(
        f'(SELECT 1 FROM "{table}" WHERE {condition} LIMIT {COUNT_LIMIT + 1})'  # noqa: S608
        for table, condition, _ in parts.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({limited}) AS e LIMIT {COUNT_LIMIT + 1}) AS n",  # noqa: S608
            params,
        )
        counted = cursor.fetchone()[0]
        if counted <= COUNT_LIMIT:
            return counted, False
        whole = " UNION ALL ".join(
            f'SELECT 1 FROM "{table}" WHERE {condition}'  # noqa: S608
            for table, condition, _ in parts.values()
        )
        cursor.execute("EXPLAIN (FORMAT JSON) " + whole, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return max(int(plan[0]["Plan"]["Plan Rows"]), COUNT_LIMIT + 1), True


def _cursor(parts: dict, text: str | None) -> tuple | None:
    """(moment, table, id) of the event a cursor names, or None (not an event the filters keep)."""
    if not text or len(text) > 100 or ":" not in text:
        return None
    label, _, number = text.rpartition(":")
    if label not in parts or not number.isdigit() or not 0 < int(number) < 2**63:
        return None
    table, condition, params = parts[label]
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "pgh_created_at" FROM "{table}" WHERE {condition} AND "pgh_id" = %s',  # noqa: S608
            [*params, int(number)],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], label, int(number))


def events_page(
    request, *, tracked: str | None = None, object_id: str | None = None, user: int | None = None
) -> SeekPage:
    """The page of the audit trail that the request's cursor asks for, newest first; filtered
    by the tracked model ("app_label.ModelName"), the record's id and the user. Queries: the
    cursor's event, the page's keys, the page's events, the count: the same on any page."""
    parts = _parts(tracked, object_id, user)
    after, before = request.GET.get("after"), request.GET.get("before")
    backwards = bool(before) and not after
    cursor = _cursor(parts, before if backwards else after)
    if cursor is None:
        backwards = False
    keys = []
    if parts:
        sql, params = _union_sql(parts, PAGE_SIZE + 1, backwards, cursor)
        with connection.cursor() as db:
            db.execute(sql, params)
            keys = db.fetchall()
    more = len(keys) > PAGE_SIZE
    keys = keys[:PAGE_SIZE]
    return walked_page(
        request,
        _events(keys),
        more=more,
        backwards=backwards,
        from_cursor=cursor is not None,
        count=_count(parts),
    )


def _events(keys: list[tuple[datetime.datetime, str, int]]) -> list:
    """The events of the page's keys through pghistory's `Events` (their changes worked out),
    newest first."""
    if not keys:
        return []
    by_table: dict[str, list[int]] = {}
    for _at, label, pk in keys:
        by_table.setdefault(label, []).append(pk)
    models = [m for m in pghistory_core.event_models() if m._meta.label in by_table]
    wanted = Q(pk__in=[])
    for label, ids in by_table.items():
        wanted |= Q(pgh_model=label, pgh_id__in=ids)
    events = list(Events.objects.across(*models).filter(wanted))
    return sorted(events, key=lambda e: (e.pgh_created_at, e.pgh_model, e.pgh_id), reverse=True)
