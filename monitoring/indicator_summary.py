"""The indicators counted from records held on many days, kept as a summary the database keeps
up to date in the same transaction as every change.

Each figure's rule is lending.queries' (or the visits' and the applications' below): SQL giving
each record (a household, an asset, a planned visit, a unit, an application) the days it holds
on, one multirange per column.
The summary holds those days as steps: each subject's (`IndicatorPart`: +n from the first day
of each stretch, -n from the day after its last) and their sums by day (`IndicatorStep`). The
figure at the end of a day is then the sum of its steps up to that day: a few thousand rows
whatever the number of households.

Statement-level triggers on the counted tables (migrations 0007 and 0009) note the subjects a statement
changed in `IndicatorChange`, in the writer's own transaction (one insert: a write is not made
slower by the rule). Before counting, `count` folds the noted subjects in: their days counted
again by the rule (for those subjects only, through the indexes), the difference from their
former parts added to the steps, under a lock per figure (two folds never count one change
twice). So the figures are those of the rule on the records as the reader sees them, its own
uncommitted changes included, and a change is never lost: one noted after a fold began is
folded by the next.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from lebork_einclusion.day_spans import lit, span
from lending import queries as lending_queries
from recruitment import domain
from recruitment.models import Application, RankingEntry, RankingVersion

from .models import IndicatorChange, IndicatorPart, IndicatorStep

STEP, PART = IndicatorStep._meta.db_table, IndicatorPart._meta.db_table
CHANGE = IndicatorChange._meta.db_table


@dataclass(frozen=True)
class Figure:
    code: str
    rows: Callable[[str | None], tuple[str, list]]  # among -> (SQL of id, n, columns; params)
    columns: tuple[str, ...]
    weights: tuple[str, ...]  # the SQL column counting each column's row (default: n)


FIGURES: dict[str, Figure] = {}


def register(code: str, rows, columns: Sequence[str], weights: Sequence[str] = ()) -> None:
    FIGURES[code] = Figure(code, rows, tuple(columns), tuple(weights) or ("n",) * len(columns))


register("participants", lending_queries.participant_rows, ["spans"])
register("households_connected", lending_queries.households_connected_rows, ["spans"])
register("units_connected", lending_queries.units_connected_rows, ["spans"])
register("equipment", lending_queries.equipment_rows, lending_queries.EQUIPMENT_COLUMNS)


def _parts_sql(figure: Figure, among: str) -> tuple[str, list]:
    """SQL of the steps (subject, k, day, n) of the subjects `IN among`, by the figure's rule."""
    rows_sql, params = figure.rows(among)
    pairs = ", ".join(
        f"({k}, s.{name}, s.{weight})"
        for k, (name, weight) in enumerate(zip(figure.columns, figure.weights, strict=True))
    )
    sql = f"""
        SELECT subject, k, day, sum(n)::int AS n FROM (
            SELECT s.id AS subject, c.k, coalesce(lower(r), '-infinity'::date) AS day, c.n
            FROM ({rows_sql}) AS s
            CROSS JOIN LATERAL (VALUES {pairs}) AS c(k, m, n)
            CROSS JOIN LATERAL unnest(c.m) AS r
            UNION ALL
            SELECT s.id, c.k, upper(r), -c.n
            FROM ({rows_sql}) AS s
            CROSS JOIN LATERAL (VALUES {pairs}) AS c(k, m, n)
            CROSS JOIN LATERAL unnest(c.m) AS r
            WHERE upper(r) IS NOT NULL
        ) AS edges
        GROUP BY subject, k, day HAVING sum(n) <> 0
    """  # noqa: S608 - the rules' own SQL; the values are parameters
    return sql, [*params, *params]


def fold(codes: Sequence[str]) -> None:
    """Fold the subjects noted as changed for each figure of `codes` into its steps."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT figure FROM {CHANGE} WHERE figure = ANY(%s)",  # noqa: S608
            [list(codes)],
        )
        pending = sorted(row[0] for row in cursor.fetchall())
    for code in pending:
        _fold(FIGURES[code])


def _fold(figure: Figure) -> None:
    code = figure.code
    among = f"(SELECT c.subject FROM {CHANGE} c WHERE c.figure = {lit(code)} AND c.fold)"  # noqa: S608
    parts_sql, params = _parts_sql(figure, among)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"indicators:{code}"])
        cursor.execute(
            f"UPDATE {CHANGE} SET fold = true WHERE figure = %s AND NOT fold",  # noqa: S608
            [code],
        )
        if not cursor.rowcount:
            return  # folded by another transaction meanwhile
        cursor.execute(
            f"""
            WITH old AS (
                DELETE FROM {PART} WHERE figure = %s AND subject IN {among}
                RETURNING k, day, -n AS n
            ),
            new AS (
                INSERT INTO {PART} (figure, subject, k, day, n)
                SELECT %s, subject, k, day, n FROM ({parts_sql}) AS parts
                RETURNING k, day, n
            )
            INSERT INTO {STEP} (figure, k, day, n)
            SELECT %s, k, day, sum(n) FROM (
                SELECT k, day, n FROM old UNION ALL SELECT k, day, n FROM new
            ) AS delta
            GROUP BY k, day HAVING sum(n) <> 0
            ORDER BY k, day
            ON CONFLICT (figure, k, day) DO UPDATE SET n = {STEP}.n + excluded.n
            """,  # noqa: S608 - our own tables and rules; the values are parameters
            [code, code, *params, code],
        )
        cursor.execute(
            f"DELETE FROM {CHANGE} WHERE figure = %s AND fold",  # noqa: S608
            [code],
        )


def count(code: str, days: Sequence[datetime.date]) -> list[dict[str, int]]:
    """For each day (in the order given), the figure `code`'s columns at its end, as the rule
    counts them on the records now: [{column: count}, ...]. Folds what changed first."""
    return count_all(days, [code])[code]


def count_all(
    days: Sequence[datetime.date], codes: Sequence[str] | None = None
) -> dict[str, list[dict[str, int]]]:
    """count() of every figure of `codes` (default: all), in two queries (one when nothing
    changed): {code: [{column: count} for each day]}."""
    codes = list(codes or FIGURES)
    fold(codes)
    counts = {code: [dict.fromkeys(FIGURES[code].columns, 0) for _day in days] for code in codes}
    if not days:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT s.figure, d.i, s.k, sum(s.n)
            FROM unnest(%s::date[]) WITH ORDINALITY AS d(day, i)
            JOIN {STEP} s ON s.figure = ANY(%s) AND s.day <= d.day
            GROUP BY s.figure, d.i, s.k
            """,  # noqa: S608 - our own table; the values are parameters
            [list(days), codes],
        )
        for code, index, k, n in cursor.fetchall():
            counts[code][index - 1][FIGURES[code].columns[k]] = int(n)
    return counts


def rebuild(codes: Sequence[str] | None = None) -> None:
    """Count the figures again from all their records (the summary emptied first)."""
    for code in codes or FIGURES:
        figure = FIGURES[code]
        parts_sql, params = _parts_sql(figure, None)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"indicators:{code}"])
            for table in (CHANGE, PART, STEP):
                cursor.execute(f"DELETE FROM {table} WHERE figure = %s", [code])  # noqa: S608
            cursor.execute(
                f"""
                INSERT INTO {PART} (figure, subject, k, day, n)
                SELECT %s, subject, k, day, n FROM ({parts_sql}) AS parts
                """,  # noqa: S608 - our own tables and rules; the values are parameters
                [code, *params],
            )
            cursor.execute(
                f"""
                INSERT INTO {STEP} (figure, k, day, n)
                SELECT figure, k, day, sum(n) FROM {PART} WHERE figure = %s
                GROUP BY figure, k, day HAVING sum(n) <> 0
                """,  # noqa: S608 - our own tables; the values are parameters
                [code],
            )


def visit_rows(among: str | None):
    """A planned visit's days (monitoring.indicators.VISIT_SPANS, one row per visit)."""
    from .indicators import visit_rows_sql

    return visit_rows_sql(among), [timezone.get_current_timezone_name()]


register("visits", visit_rows, ["present", "planned", "done"])


APPLICATION = Application._meta.db_table


def application_rows(among: str | None):
    """An application's days: received from its day of receipt on, for good; a withdrawn one
    (registered by mistake) never (monitoring.indicators.applications_received's rule)."""
    whose = f"a.id IN {among}" if among else "TRUE"
    sql = f"""
        SELECT a.id, 1 AS n, {span("a.received_on", "NULL")} AS spans
        FROM {APPLICATION} a WHERE a.withdrawn_at IS NULL AND {whose}
    """  # noqa: S608 - the model's table and our own SQL
    return sql, []


register("applications_received", application_rows, ["spans"])


VERSION, ENTRY = RankingVersion._meta.db_table, RankingEntry._meta.db_table


def list_rows(among: str | None):
    """An approved version of a call's lists: its entries on the main list ("main") and on the
    main or reserve list ("ranked") count from its decision day until the day a version of the
    same call with a higher number is decided (the latest version decided by a day is that
    day's lists: monitoring.indicators.lists_on_days' rule). One row per version."""
    whose = f"v.id IN {among}" if among else "TRUE"
    main, ranked = lit(domain.MAIN), lit(domain.RESERVE)
    sql = f"""
        SELECT id, main_n, ranked_n, {span("lo", "hi")} AS main, {span("lo", "hi")} AS ranked
        FROM (
            SELECT v.id, v.decided_on AS lo,
                (SELECT min(w.decided_on) FROM {VERSION} w
                 WHERE w.call_id = v.call_id AND w.number > v.number) AS hi,
                (SELECT count(*) FROM {ENTRY} e
                 WHERE e.version_id = v.id AND e.status = {main})::int AS main_n,
                (SELECT count(*) FROM {ENTRY} e
                 WHERE e.version_id = v.id AND e.status IN ({main}, {ranked}))::int AS ranked_n
            FROM {VERSION} v WHERE {whose}
        ) AS versions
    """  # noqa: S608 - the models' tables and our own codes
    return sql, []


register("lists", list_rows, ["main", "ranked"], ["main_n", "ranked_n"])
