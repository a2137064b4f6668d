"""The reads of the recruitment that other apps may use (lending enrols from the latest lists).

Plain query functions, no writes: the writes are recruitment.services' `do_*` functions.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef

from . import domain
from .models import (
    Application,
    ApplicationDocument,
    Call,
    Evaluation,
    HouseholdMember,
    RankingVersion,
)


def latest_version(call: Call) -> RankingVersion | None:
    """The call's newest version of the ranking lists (any status), or None before the first."""
    return call.versions.order_by("-number").first()


def current_call() -> Call | None:
    """The call the recruitment pages open on when none is named: the newest."""
    return Call.objects.order_by("-opens_on").first()


def awaiting_verification(call: Call):
    """The call's live evaluations whose application has a document not yet verified (the
    committee's "to verify"); the application list's "Documents not yet verified" filter."""
    return Evaluation.objects.filter(call=call).filter(
        Exists(
            ApplicationDocument.objects.filter(
                application=OuterRef("application_id"), verified_at__isnull=True
            )
        )
    )


def verified_by_reviewer(user) -> Exists:
    """An evaluation's application has a document this reviewer has verified."""
    return Exists(
        ApplicationDocument.objects.filter(application=OuterRef("application_id"), verified_by=user)
    )


def verification_begun_by(call: Call, user):
    """The applications a reviewer has begun to verify and not finished: some document verified
    by them, another still waiting (the list's "Verification I have begun" filter)."""
    return awaiting_verification(call).filter(verified_by_reviewer(user))


def list_sizes(call: Call, statuses, cap: int) -> dict[str, int]:
    """How many of the call's applications are in each of these lists, counted up to `cap` + 1
    (an index walk of that many entries at most, whatever the call's size), in one query."""
    parts, params = [], []
    for status in statuses:
        among = Evaluation.objects.filter(call=call, status=status).order_by().values("pk")
        sql, among_params = among[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS listed)")  # noqa: S608 - the ORM's SQL
        params.extend(among_params)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(statuses, cursor.fetchone(), strict=True))


@dataclass(slots=True)
class ListedApplication:
    """What a list row shows of an application: its number (and its id for the link)."""

    pk: int
    number: str


@dataclass(slots=True)
class ListedEvaluation:
    """A row of a list on the ranking page: the evaluation's columns shown, read as plain values
    (no model instances: the page shows a hundred rows or more on every view)."""

    pk: int
    sequence: int
    submitted_on: datetime.date
    points: int
    status: str
    rank: int | None
    position: int | None
    tie: bool
    reasons: list
    warnings: list
    application: ListedApplication
    applicant_first_name: str | None
    applicant_last_name: str | None
    applicant_pesel: str | None

    @property
    def application_id(self) -> int:
        return self.pk


# Each list's order: the ranking's (more points, the earlier effective date, the earlier
# registration) for the ranked lists, registration order for the others. Both are indexes
# (evaluation_list_ranking, evaluation_list_order) walked from the list's first row.
_RANKED_ORDER = "points DESC, submitted_on, sequence"
_REGISTRATION_ORDER = "sequence"


def list_heads(call: Call, limits: dict[str, int], ranked) -> dict[str, list[ListedEvaluation]]:
    """The first `limits[status]` rows of each of the call's lists, in one query: a UNION ALL of
    one index walk per list (the ranking's order for the `ranked` statuses, registration order
    for the others), then the application's number and the applicant's name for those rows
    only. Each list's rows in its order."""
    walk = (
        "(SELECT application_id, sequence, submitted_on, points, status, rank, position, tie, "
        "reasons, warnings FROM {evaluation} WHERE call_id = %s AND status = %s "
        "ORDER BY {order} LIMIT %s)"
    )
    walks, params = [], []
    for status, limit in limits.items():
        order = _RANKED_ORDER if status in ranked else _REGISTRATION_ORDER
        walks.append(walk.format(evaluation=Evaluation._meta.db_table, order=order))
        params.extend([call.pk, status, limit])
    if not walks:
        return {}
    # Table names and the two orders above only: every value is a parameter.
    sql = (  # noqa: S608
        "SELECT e.application_id, e.sequence, e.submitted_on, e.points, e.status, e.rank, "
        "e.position, e.tie, e.reasons, e.warnings, a.number, m.first_name, m.last_name, m.pesel "
        "FROM ({walks}) AS e JOIN {application} a ON a.id = e.application_id "
        "LEFT JOIN LATERAL (SELECT first_name, last_name, pesel FROM {member} "
        "WHERE application_id = e.application_id AND role = %s ORDER BY id LIMIT 1) AS m ON true"
    ).format(
        walks=" UNION ALL ".join(walks),
        application=Application._meta.db_table,
        member=HouseholdMember._meta.db_table,
    )
    params.append(domain.APPLICANT)
    heads = {status: [] for status in limits}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            pk, number, applicant = row[0], row[10], row[11:]
            heads[row[4]].append(
                ListedEvaluation(*row[:10], ListedApplication(pk, number), *applicant)
            )
    for status, rows in heads.items():
        if status in ranked:
            rows.sort(key=lambda row: (-row.points, row.submitted_on, row.sequence))
        else:
            rows.sort(key=lambda row: row.sequence)
    return heads


def tied_at_the_line(call: Call, limit: int) -> list[str]:
    """The registration numbers of the applications tied at the line between the main and the
    reserve lists, in ranking order, the first `limit`: the eligible rows flagged as tied with
    the line's points (the last main row's). The flagged rows are a small index
    (evaluation_tied); only the first `limit` of them are joined to their application."""
    evaluation, application = Evaluation._meta.db_table, Application._meta.db_table
    # Table names only in the text: every value is a parameter.
    sql = (
        f"SELECT a.number FROM (SELECT application_id, submitted_on, sequence FROM {evaluation} "  # noqa: S608
        "WHERE call_id = %s AND tie AND formal = '{}' AND reasons = '{}' AND points = "
        f"(SELECT points FROM {evaluation} WHERE call_id = %s AND status = %s "
        "ORDER BY points, submitted_on DESC, sequence DESC LIMIT 1) "
        "ORDER BY submitted_on, sequence LIMIT %s) AS tied "
        f"JOIN {application} a ON a.id = tied.application_id "
        "ORDER BY tied.submitted_on, tied.sequence"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [call.pk, call.pk, domain.MAIN, limit])
        return [number for (number,) in cursor.fetchall()]
