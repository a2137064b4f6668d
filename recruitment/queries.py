"""The reads of the recruitment that other apps may use (lending enrols from the latest lists).

Plain query functions, no writes: the writes are recruitment.services' `do_*` functions.
"""

from django.db import connection
from django.db.models import Exists, OuterRef

from .models import ApplicationDocument, Call, Evaluation, RankingVersion


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
