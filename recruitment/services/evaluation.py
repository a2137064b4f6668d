"""The live evaluation of a call: its applications read as plain data, assessed, ranked and
stored (Evaluation), in a few queries whatever the call's size."""

import json
from collections import defaultdict

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import CharField, F, Func, Value

from .. import domain
from ..models import (
    Application,
    ApplicationDocument,
    Call,
    Evaluation,
    HouseholdMember,
)
from ..ranking import assess, rank

MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "pesel",
    "role",
    "disability",
    "school_scholarship",
    "foster_child",
    "family_home_child",
)


# --- reading the call as plain data ------------------------------------------------------------


def active_applications(call: Call):
    """The call's applications that take part: every one but those withdrawn by mistake."""
    return Application.objects.filter(call=call, withdrawn_at__isnull=True)


def call_data(call: Call) -> list[domain.ApplicationData]:
    """Every application of the call as plain data, in four queries whatever its size."""
    # A person's own verified documents (criteria 3-5): member id -> types.
    personal = defaultdict(set)
    for member_id, doc_type in ApplicationDocument.objects.filter(
        application__call=call,
        application__withdrawn_at__isnull=True,
        verified_at__isnull=False,
        member__isnull=False,
    ).values_list("member_id", "doc_type"):
        personal[member_id].add(doc_type)
    members = defaultdict(list)
    for row in (
        HouseholdMember.objects.filter(
            application__call=call, application__withdrawn_at__isnull=True
        )
        .order_by("application_id", "pk")
        .values_list("application_id", "pk", *MEMBER_FIELDS)
    ):
        first, last, pesel, role, disability, scholarship, foster, home = row[2:]
        members[row[0]].append(
            domain.MemberData(
                pesel=pesel,
                role=role,
                disability=disability,
                school_scholarship=scholarship,
                foster_child=foster,
                family_home_child=home,
                first_name=first,
                last_name=last,
                documents=frozenset(personal.get(row[1], ())),
            )
        )
    # One row per application: the verified household document types gathered by the database.
    documents = dict(
        ApplicationDocument.objects.filter(
            application__call=call,
            application__withdrawn_at__isnull=True,
            verified_at__isnull=False,
            member__isnull=True,
        )
        .values("application_id")
        .annotate(types=ArrayAgg("doc_type"))
        .values_list("application_id", "types")
    )
    fields = [
        f for f in domain.ApplicationData.__dataclass_fields__ if f not in ("members", "documents")
    ]
    result = []
    for row in active_applications(call).values_list("id", *fields):
        application_id = row[0]
        result.append(
            domain.ApplicationData(
                **dict(zip(fields, row[1:], strict=True)),
                members=tuple(members[application_id]),
                documents=frozenset(documents.get(application_id, ())),
            )
        )
    return result


# --- the live evaluation -------------------------------------------------------------------------


def recompute(call: Call) -> list[domain.Outcome]:
    """Assess every application of the call again and rank them (after a change of the call's
    rules, an import, or when in doubt). The call row is locked: two saves never write at once."""
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        rules = call.rules()
        assessments = [assess(app, rules) for app in call_data(call)]
        return _rank_and_store(call, assessments)


def reassess(application: Application) -> None:
    """Assess one changed application and re-rank its call from the stored assessments of the
    others: a save does not redo the rules' work on every other application."""
    rerank(application.call, changed=application)


def rerank(call: Call, changed: Application | None = None) -> None:
    """Rank the call from the stored assessments (after assessing `changed` again) and update
    the outcomes that moved."""
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        if changed is not None:
            _store_assessment(call, changed.pk, assess(application_data(changed), call.rules()))
        stored = stored_assessments(call)
        if len(stored) < active_applications(call).count():
            recompute(call)  # assessments missing (an older call): assess them all
            return
        outcomes = rank([item for _pk, item, _old in stored.values()], call.rules())
        changed_rows = []
        for outcome in outcomes:
            pk, _item, old = stored[outcome.number]
            new = (
                outcome.status,
                outcome.rank,
                outcome.position,
                outcome.tie,
                outcome.reasons,
                outcome.warnings,
            )
            if new != old:
                changed_rows.append((pk, outcome))
        _update_outcomes(changed_rows)


def application_data(application: Application) -> domain.ApplicationData:
    verified = application.documents.filter(verified_at__isnull=False)
    documents = verified.filter(member__isnull=True).values_list("doc_type", flat=True)
    personal = defaultdict(set)
    for member_id, doc_type in verified.filter(member__isnull=False).values_list(
        "member_id", "doc_type"
    ):
        personal[member_id].add(doc_type)
    return application.to_data(application.members.order_by("pk"), documents, personal)


_SEPARATOR = "\x1f"


def _as_text(column):
    """An array column read as one string: far quicker to fetch and split by the hundred
    thousand than arrays parsed element by element."""
    return Func(F(column), Value(_SEPARATOR), function="array_to_string", output_field=CharField())


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(_SEPARATOR)) if text else ()


def stored_assessments(call: Call) -> dict[str, tuple[int, domain.Assessment, tuple]]:
    """number -> (application id, assessment, stored outcome) from Evaluation. The credits stay
    in the database (ranking needs the points only), so reading 100 000 of them stays quick."""
    arrays = (
        "not_credited",
        "formal",
        "own_reasons",
        "pesels",
        "address",
        "own_warnings",
        "reasons",
        "warnings",
    )
    rows = (
        Evaluation.objects.filter(call=call)
        .annotate(**{f"{name}_text": _as_text(name) for name in arrays})
        .values_list(
            "application_id",
            "application__number",
            "sequence",
            "submitted_on",
            "points",
            *(f"{name}_text" for name in arrays),
            "status",
            "rank",
            "position",
            "tie",
        )
    )
    result = {}
    for (
        pk, number, sequence, submitted, points,
        not_credited, formal, reasons, pesels, address, own_warnings, old_reasons, old_warnings,
        status, rank_, position, tie,
    ) in rows:  # fmt: skip
        result[number] = (
            pk,
            domain.Assessment(
                number,
                (sequence, number),
                submitted,
                points,
                (),
                _split(not_credited),
                _split(formal),
                _split(reasons),
                frozenset(pesels.split(_SEPARATOR)) if pesels else frozenset(),
                _split(address) or None,
                _split(own_warnings),
            ),
            (status, rank_, position, tie, _split(old_reasons), _split(old_warnings)),
        )
    return result


def current_outcomes(call: Call) -> list[domain.Outcome]:
    """The stored outcomes of the call, in the order rank() gives them."""
    order = {status: index for index, status in enumerate(domain.STATUS_ORDER)}
    rows = Evaluation.objects.filter(call=call).values_list(
        "application__number",
        "status",
        "rank",
        "points",
        "breakdown",
        "reasons",
        "warnings",
        "tie",
        "position",
    )
    outcomes = [
        domain.Outcome(
            number,
            status,
            rank_,
            points,
            tuple(domain.Credit(c["criterion"], c["pesel"], c["points"]) for c in breakdown),
            tuple(reasons),
            tuple(warnings),
            tie,
            position,
        )
        for number, status, rank_, points, breakdown, reasons, warnings, tie, position in rows
    ]
    outcomes.sort(key=lambda o: (order[o.status], o.position or 0))
    return outcomes


ASSESSMENT_COLUMNS = (
    "sequence",
    "submitted_on",
    "points",
    "breakdown",
    "not_credited",
    "formal",
    "own_reasons",
    "pesels",
    "address",
    "criteria",
    "own_warnings",
)
OUTCOME_COLUMNS = ("status", "rank", "position", "tie", "reasons", "warnings")


def _credits(item: domain.Assessment) -> list[dict]:
    return [{"criterion": c.criterion, "pesel": c.pesel, "points": c.points} for c in item.credits]


def _credited(item: domain.Assessment) -> list[str]:
    return sorted({c.criterion for c in item.credits}, key=domain.CRITERION_ORDER.index)


def _assessment_row(item: domain.Assessment) -> tuple:
    """The assessment columns for COPY, in the order of ASSESSMENT_COLUMNS."""
    return (
        item.sequence[0],
        item.submitted_on,
        item.points,
        json.dumps(_credits(item)),
        _pg_array(item.not_credited),
        _pg_array(item.formal),
        _pg_array(item.reasons),
        _pg_array(sorted(item.pesels)),
        _pg_array(item.address) if item.address else None,
        _pg_array(_credited(item)),
        _pg_array(item.warnings),
    )


def _outcome_row(outcome: domain.Outcome) -> tuple:
    return (
        outcome.status,
        outcome.rank,
        outcome.position,
        outcome.tie,
        _pg_array(outcome.reasons),
        _pg_array(outcome.warnings),
    )


def _store_assessment(call: Call, application_id: int, item: domain.Assessment) -> None:
    values = {
        "call": call,
        "sequence": item.sequence[0],
        "submitted_on": item.submitted_on,
        "points": item.points,
        "breakdown": _credits(item),
        "not_credited": list(item.not_credited),
        "formal": list(item.formal),
        "own_reasons": list(item.reasons),
        "pesels": sorted(item.pesels),
        "address": list(item.address) if item.address else None,
        "criteria": _credited(item),
        "own_warnings": list(item.warnings),
    }
    # A new application gets a placeholder outcome, replaced by the ranking that follows.
    Evaluation.objects.update_or_create(
        application_id=application_id,
        defaults=values,
        create_defaults={**values, "status": domain.REJECTED},
    )


def _rank_and_store(call: Call, assessments: list[domain.Assessment]) -> list[domain.Outcome]:
    """Write every assessment and outcome of the call anew (one COPY)."""
    outcomes = rank(assessments, call.rules())
    by_number = {a.number: a for a in assessments}
    ids = dict(Application.objects.filter(call=call).values_list("number", "id"))
    Evaluation.objects.filter(call=call).delete()
    columns = ("application_id", "call_id", *ASSESSMENT_COLUMNS, *OUTCOME_COLUMNS)
    table = Evaluation._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for outcome in outcomes:
            copy.write_row(
                (
                    ids[outcome.number],
                    call.pk,
                    *_assessment_row(by_number[outcome.number]),
                    *_outcome_row(outcome),
                )
            )
    return outcomes


def _update_outcomes(changed: list[tuple[int, domain.Outcome]]) -> None:
    """Update the outcome columns of the rows whose outcome changed (a temporary table, COPY,
    one UPDATE)."""
    if not changed:
        return
    table = Evaluation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE new_outcome (application_id bigint PRIMARY KEY, status varchar(12), "
            "rank integer, position integer, tie boolean, reasons varchar(60)[], warnings varchar(60)[]) "
            "ON COMMIT DROP"
        )
        with cursor.copy("COPY new_outcome FROM STDIN") as copy:
            for pk, outcome in changed:
                copy.write_row((pk, *_outcome_row(outcome)))
        cursor.execute(
            f"UPDATE {table} AS e SET status = n.status, rank = n.rank, position = n.position, "  # noqa: S608 - a model table name, not input
            "tie = n.tie, reasons = n.reasons, warnings = n.warnings FROM new_outcome AS n "
            "WHERE e.application_id = n.application_id"
        )
        cursor.execute("DROP TABLE new_outcome")


def _pg_array(values) -> str:
    return (
        "{"
        + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        + "}"
    )


def breakdown_json(outcome: domain.Outcome) -> list[dict]:
    return [
        {"criterion": c.criterion, "pesel": c.pesel, "points": c.points} for c in outcome.breakdown
    ]
