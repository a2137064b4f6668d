"""Figures that stood at the end of a day, counted for many days in one SQL statement.

A rule such as "an agreement is in force at the end of a day" is written once, as SQL that gives
each counted thing the days it holds on: a `datemultirange` (PostgreSQL), half-open, each day
counted at its end. `count_on_days` then counts, for each of the days asked, the things whose
spans contain it, in the database: each span adds 1 from its first day and 1 less from the day
after its last, the steps grouped by day and summed up to each day asked. One day (a live
figure) and eighty month ends (a series) take the same statement. `holding_on` picks the ids
holding on one day, for querysets of the records themselves.

Used by lending.queries (participants, agreements, connections, equipment) and monitoring (the
indicators and their monthly series); plain SQL, no models of its own.
"""

import datetime
import re
from collections.abc import Sequence

from django.db import connection

_WORD = re.compile(r"^[a-z_]+$")


def lit(value: str) -> str:
    """A code (a status, a kind) as an SQL literal; only lower-case words, never user input."""
    if not _WORD.match(str(value)):
        raise ValueError(f"not a code: {value!r}")
    return f"'{value}'"


def codes(values) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def span(lo: str, hi: str) -> str:
    """SQL: the days from `lo` up to the day before `hi` (NULL `hi`: for good) as a multirange;
    empty when `hi` is not after `lo`, or when `lo` is NULL (never)."""
    return (
        f"(CASE WHEN ({lo}) IS NULL THEN '{{}}'::datemultirange "
        f"WHEN ({hi}) IS NULL OR ({hi}) > ({lo}) THEN datemultirange(daterange({lo}, {hi})) "
        "ELSE '{}'::datemultirange END)"
    )


def spans_or_none(expression: str) -> str:
    """SQL: an aggregate's multirange, the empty one when there was nothing to aggregate."""
    return f"coalesce({expression}, '{{}}'::datemultirange)"


def count_on_days(
    spans_sql: str,
    params: Sequence,
    days: Sequence[datetime.date],
    columns: Sequence[str],
    weight: str | None = None,
) -> list[dict[str, int]]:
    """For each day (in the order given), how many rows of `spans_sql` hold on it, for each of
    its multirange `columns`: [{column: count}, ...]; a row counts as many as its `weight`
    column says, else once (the rows holding on the same days grouped first). One statement."""
    if not days:
        return []
    if weight is None:  # rows holding on the same days counted together
        listed = ", ".join(columns)
        spans_sql = f"SELECT count(*) AS n, {listed} FROM ({spans_sql}) AS a GROUP BY {listed}"  # noqa: S608
        weight = "n"
    n = f"s.{weight}"
    pairs = ", ".join(f"({index}, s.{name}, {n})" for index, name in enumerate(columns))
    sql = f"""
        WITH counted AS ({spans_sql}),
        parts AS (
            SELECT c.k, c.n, r FROM counted s
            CROSS JOIN LATERAL (VALUES {pairs}) AS c(k, m, n)
            CROSS JOIN LATERAL unnest(c.m) AS r
        ),
        steps AS (
            SELECT k, day, sum(n) AS n FROM (
                SELECT k, coalesce(lower(r), '-infinity'::date) AS day, n FROM parts
                UNION ALL
                SELECT k, upper(r), -n FROM parts WHERE upper(r) IS NOT NULL
            ) AS edges
            GROUP BY k, day
        )
        SELECT d.i, steps.k, sum(steps.n)
        FROM unnest(%s::date[]) WITH ORDINALITY AS d(day, i)
        JOIN steps ON steps.day <= d.day
        GROUP BY d.i, steps.k
    """  # noqa: S608 - the callers' own SQL (table names, codes); the values are parameters
    counts = [dict.fromkeys(columns, 0) for _day in days]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, list(days)])
        for index, k, n in cursor.fetchall():
            counts[index - 1][columns[k]] = int(n)
    return counts


def holding_on(spans_sql: str, params: Sequence, day: datetime.date, column: str = "spans"):
    """(SQL, params) of a subquery of the `id`s of `spans_sql` whose `column` holds on `day`,
    for `pk__in=RawSQL(...)`."""
    return (
        f"SELECT s.id FROM ({spans_sql}) AS s WHERE s.{column} @> %s::date",  # noqa: S608
        [*params, day],
    )
