"""The live evaluation of a call: its applications read as plain data, assessed, ranked and
stored (Evaluation), in a few queries whatever the call's size."""

import json
import re
from collections import defaultdict

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

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
    """Assess every application of the call again and rank them with the pure rules (after a
    change of the call's rules, an import, or when in doubt). The call row is locked: two saves
    never write at once."""
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        rules = call.rules()
        assessments = [assess(app, rules) for app in call_data(call)]
        return _rank_and_store(call, assessments)


def reassess(application: Application) -> None:
    """Assess one changed application and give it its standing: its own assessment is stored,
    the few applications sharing one of its old or new PESEL numbers or addresses get their
    duplicate reason and address warning again, and the database ranks the call (only the
    rows whose outcome moved are written). The rules' work is not redone for any other
    application, and no application is read into Python to be sorted."""
    call = application.call
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        if _assessments_missing(call, besides=application.pk):
            recompute(call)  # an older call with no stored assessments: assess them all
            return
        rows = Evaluation.objects.filter(application_id=application.pk)
        old = _links(rows)
        before = _standing(rows)
        item = assess(application_data(application), call.rules())
        _store_assessment(call, application.pk, item)
        new = (set(item.pesels), {tuple(item.address)} if item.address else set())
        regrouped = _refresh_links(
            call, old[0] | new[0], old[1] | new[1], also=application.pk, since=item.sequence[0]
        )
        after = _standing(rows)
        if before == after and not regrouped:
            return  # nothing that orders the lists changed: every place stays as it is
        # The eligible rows are numbered again (the others' lists are already settled).
        rank_in_database(call)


def forget(application: Application) -> None:
    """Take a withdrawn application out of the evaluation: the applications it shared a PESEL
    number or an address with are looked at again, then the database ranks the call."""
    call = application.call
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        rows = Evaluation.objects.filter(application_id=application.pk)
        pesels, addresses = _links(rows)
        rows.delete()
        _refresh_links(call, pesels, addresses, since=application.sequence)
        rank_in_database(call)


def rerank(call: Call) -> None:
    """Rank the whole call from the stored assessments, in the database."""
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        if _assessments_missing(call):
            recompute(call)
            return
        rank_in_database(call)


def _assessments_missing(call: Call, besides: int | None = None) -> bool:
    """No stored assessment at all although the call has applications (a call from before the
    assessments were stored). Two indexed probes, not counts of the whole call."""
    others = active_applications(call).exclude(pk=besides)
    return others.exists() and not Evaluation.objects.filter(call=call).exists()


def _group(formal, reasons) -> str:
    return "rejected" if formal else ("ineligible" if reasons else "eligible")


def _standing(rows) -> tuple | None:
    """What orders a stored application in the lists: its list, and in the ranking its
    points, effective date and registration order (None: not assessed yet)."""
    row = rows.values_list("formal", "reasons", "points", "submitted_on", "sequence").first()
    if row is None:
        return (None,)
    group = _group(row[0], row[1])
    return (group, *row[2:]) if group == "eligible" else (group,)


def _links(rows) -> tuple[set[str], set[tuple]]:
    """The PESEL numbers and addresses of stored assessments (what ties them to others)."""
    pesels, addresses = set(), set()
    for row_pesels, address in rows.values_list("pesels", "address"):
        pesels.update(row_pesels)
        if address:
            addresses.add(tuple(address))
    return pesels, addresses


def _refresh_links(
    call: Call, pesels: set[str], addresses: set[tuple], also=None, since: int | None = None
) -> set[int]:
    """The cross-application parts of the outcome, for the applications sharing one of these
    PESEL numbers or addresses (and `also`): §4.2.6 a household already in an earlier-registered
    application is a duplicate; applications at the same address are warned of each other.
    Indexed look-ups (GIN on the PESEL numbers, btree on the address) in two queries.
    Only applications registered from `since` on (the changed one's registration order) can
    have become or stopped being duplicates; the others keep theirs. Returns the applications
    other than `also` that went into or out of a list."""
    touching = Q(pk=also) if also is not None else Q(pk__in=[])
    if pesels:
        touching |= Q(pesels__overlap=sorted(pesels))
    for address in addresses:
        touching |= Q(address=list(address))
    changed, regrouped = [], set()
    # §4.2.6 for each of them in the same query: the first registration holding one of its
    # PESEL numbers (a minimum over the GIN index's matches: an EXISTS would be planned as a
    # scan of the call hoping for an early match); before its own, it is a duplicate. Asked
    # only of those registered from `since` on.
    first_sharing = Subquery(
        Evaluation.objects.filter(call=call, pesels__overlap=OuterRef("pesels"))
        .order_by()
        .values("call")
        .annotate(first=Min("sequence"))
        .values("first")
    )
    asked = ~Q(pesels=[]) if since is None else ~Q(pesels=[]) & Q(sequence__gte=since)
    earlier = Case(When(asked, then=first_sharing), default=Value(None))
    rows = list(
        Evaluation.objects.filter(touching, call=call)
        .only(
            "sequence",
            "pesels",
            "address",
            "formal",
            "own_reasons",
            "not_credited",
            "reasons",
            "warnings",
            "status",
            "rank",
            "position",
            "tie",
        )
        .annotate(number=F("application__number"), earlier=earlier)
    )
    # Who lives at each of these addresses, in registration order: one query for them all.
    at_address = defaultdict(list)
    wanted = {tuple(row.address) for row in rows if row.address}
    if wanted:
        same = Q(pk__in=[])
        for address in wanted:
            same |= Q(address=list(address))
        for address, number in (
            Evaluation.objects.filter(same, call=call)
            .order_by("sequence")
            .values_list("address", "application__number")
        ):
            at_address[tuple(address)].append(number)
    for row in rows:
        if row.earlier is not None:
            duplicate = row.earlier < row.sequence
        else:
            duplicate = domain.DUPLICATE_HOUSEHOLD in row.reasons
        neighbours = (
            [n for n in at_address[tuple(row.address)] if n != row.number] if row.address else []
        )
        if row.formal:
            reasons = list(row.formal)
        else:
            reasons = list(row.own_reasons) + ([domain.DUPLICATE_HOUSEHOLD] if duplicate else [])
        warnings = [f"{domain.CRITERION_NOT_CREDITED}:{code}" for code in row.not_credited] + [
            f"{domain.SAME_ADDRESS_AS}:{number}" for number in neighbours
        ]
        # An ineligible or rejected application's outcome is its list, with no place (its
        # place is its registration order, read when shown): settled here, so the ranking
        # never looks at the tens of thousands of them.
        group = _group(row.formal, reasons)
        outcome = (row.status, row.rank, row.position, row.tie)
        settled = outcome if group == "eligible" else (group, None, None, False)
        if (reasons, warnings, settled) != (list(row.reasons), list(row.warnings), outcome):
            if row.pk != also and _group(row.formal, row.reasons) != group:
                regrouped.add(row.pk)
            row.reasons, row.warnings = reasons, warnings
            row.status, row.rank, row.position, row.tie = settled
            changed.append(row)
    Evaluation.objects.bulk_update(
        changed, ["reasons", "warnings", "status", "rank", "position", "tie"]
    )
    return regrouped


# --- the ranking, in the database ----------------------------------------------------------------

# Eligible: not rejected on formal grounds and no reason against it (its own or a duplicate
# household). The partial index `evaluation_ranking` holds exactly these rows, in ranking order.
ELIGIBLE = Q(formal=[], reasons=[])
INELIGIBLE = Q(formal=[]) & ~Q(reasons=[])
REJECTED = ~Q(formal=[])
# Rows still holding a ranking's status though not eligible (the index `evaluation_unsettled`).
UNSETTLED = Q(status__in=[domain.MAIN, domain.RESERVE, domain.UNLISTED]) & ~ELIGIBLE
# ranking.rank()'s order: more points, then the earlier effective date, then registration.
RANKING_ORDER = (F("points").desc(), F("submitted_on").asc(), F("sequence").asc())


def rank_in_database(call: Call) -> int:
    """ranking.rank() as one statement over the stored assessments, writing only what moved.

    Only the main list's places are stored: the reserve list (unlimited in most calls: tens of
    thousands at 100 000 applications) and the unlisted keep their status and no place, read
    when shown (fill_places, current_outcomes), so an application moving in the ranking
    renumbers no one. The statement walks the top of the ranking (the partial index
    `evaluation_ranking`, eligible rows in ranking order) up to the end of the main list, or of
    a limited reserve list, and one row beyond; every other eligible row belongs on the rest
    list (the reserve, or the unlisted after a limited reserve). Beside the top it looks only
    at the rows that may hold something else: those on the main list, with no ranking status
    yet (a new or newly eligible application), on the other of the two rest lists, flagged as
    tied, or with the line's points when the line is tied (each an index look-up). The tie
    flag: main and reserve rows with the line's points when the first reserve row has them
    too. The ineligible and the rejected still holding a ranking's status are moved to their
    list (their place is their registration order, read when shown). Returns how many rows
    were written."""
    places = call.places
    reserve_end = None if call.reserve_places is None else call.places + call.reserve_places
    rest, other = (
        (domain.RESERVE, domain.UNLISTED)
        if reserve_end is None
        else (domain.UNLISTED, domain.RESERVE)
    )
    eligible = Evaluation.objects.filter(ELIGIBLE, call=call).order_by()
    top = (
        eligible.annotate(place=Window(RowNumber(), order_by=RANKING_ORDER))
        .order_by(*RANKING_ORDER)
        .values("application_id", "points", "place")[: (reserve_end or places) + 1]
    )
    top_sql, top_params = top.query.sql_with_params()
    # Each a look-up of its own index (evaluation_to_place, evaluation_list_ranking,
    # evaluation_tied).
    held = [
        eligible.filter(status__in=[domain.MAIN, domain.INELIGIBLE, domain.REJECTED]),
        eligible.filter(status=other),
        eligible.filter(tie=True),
    ]
    held_parts = [part.values("application_id", "points").query.sql_with_params() for part in held]
    held_sql = " UNION ".join(f"({part_sql})" for part_sql, _params in held_parts)
    held_params = [param for _sql, part_params in held_parts for param in part_params]
    line_sql, line_params = eligible.values("application_id", "points").query.sql_with_params()
    unsettled = Evaluation.objects.filter(UNSETTLED, call=call).values("application_id", "formal")
    unsettled_sql, unsettled_params = unsettled.query.sql_with_params()
    table = Evaluation._meta.db_table
    sql = f"""
        WITH top AS MATERIALIZED ({top_sql}),
        line AS (
            SELECT (SELECT points FROM top WHERE place = %(places)s) AS line,
                   (SELECT points FROM top WHERE place = %(places)s + 1
                      AND (%(reserve_end)s::integer IS NULL OR place <= %(reserve_end)s::integer)
                   ) AS next
        ),
        looked AS (
            SELECT application_id, points FROM top
            UNION
            SELECT application_id, points FROM ({held_sql}) AS held
            UNION
            SELECT at_line.application_id, at_line.points FROM ({line_sql}) AS at_line
            WHERE at_line.points = (SELECT l.line FROM line AS l WHERE l.line = l.next)
        ),
        listed AS (
            SELECT o.application_id, o.points, t.place,
                   CASE WHEN t.place IS NULL THEN %(rest)s
                        WHEN t.place <= %(places)s THEN %(main)s
                        WHEN %(reserve_end)s::integer IS NULL
                             OR t.place <= %(reserve_end)s::integer THEN %(reserve)s
                        ELSE %(unlisted)s END AS status
            FROM looked AS o LEFT JOIN top AS t ON t.application_id = o.application_id
        ),
        new AS (
            SELECT o.application_id, o.status,
                   CASE WHEN o.status = %(main)s THEN o.place END AS rank,
                   CASE WHEN o.status = %(main)s THEN o.place END AS position,
                   COALESCE(o.status IN (%(main)s, %(reserve)s)
                            AND l.line = l.next AND o.points = l.line, false) AS tie
            FROM listed AS o CROSS JOIN line AS l
            UNION ALL
            SELECT u.application_id,
                   CASE WHEN u.formal <> '{{}}' THEN %(rejected)s ELSE %(ineligible)s END,
                   NULL, NULL, false
            FROM ({unsettled_sql}) AS u
        )
        SELECT application_id, status, rank, position, tie FROM new
    """  # noqa: S608 - the ORM's own SQL, the values are parameters
    # The ORM's parts use positional %s: name every parameter instead.
    named = {
        "places": places,
        "reserve_end": reserve_end,
        "rest": rest,
        "main": domain.MAIN,
        "reserve": domain.RESERVE,
        "unlisted": domain.UNLISTED,
        "ineligible": domain.INELIGIBLE,
        "rejected": domain.REJECTED,
    }
    positional = iter((*top_params, *held_params, *line_params, *unsettled_params))
    sql, params = _in_order(sql, positional, named)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if not rows:
            return 0
        # The few rows looked at, written by the primary key where their outcome moved (a
        # join the planner would otherwise make by hashing the whole table).
        cursor.execute(
            f"""
            UPDATE {table} AS e
            SET status = new.status, rank = new.rank, position = new.position, tie = new.tie
            FROM unnest(%s::integer[], %s::varchar[], %s::integer[], %s::integer[], %s::boolean[])
                 AS new(application_id, status, rank, position, tie)
            WHERE e.application_id = new.application_id
              AND (e.status, e.rank, e.position, e.tie)
                  IS DISTINCT FROM (new.status, new.rank, new.position, new.tie)
            """,  # noqa: S608 - a model table name, the values are parameters
            [list(column) for column in zip(*rows, strict=True)],
        )
        return cursor.rowcount


def fill_places(call: Call, rows) -> None:
    """Give the reserve and unlisted rows among these evaluations their place in the ranking
    (`position`, and `rank` on the reserve list), as rank() gives them: not stored (only the
    main list's are), so numbered here by one window query over the eligible rows ahead of
    the lowest of them (an index-only walk; the rows shown near the top cost little)."""
    wanted = {
        row.pk: row
        for row in rows
        if row.status in (domain.RESERVE, domain.UNLISTED) and row.position is None
    }
    if not wanted:
        return
    lowest = max(wanted.values(), key=lambda row: (-row.points, row.submitted_on, row.sequence))
    ahead = (
        Q(points__gt=lowest.points)
        | Q(points=lowest.points, submitted_on__lt=lowest.submitted_on)
        | Q(points=lowest.points, submitted_on=lowest.submitted_on, sequence__lte=lowest.sequence)
    )
    numbered = (
        Evaluation.objects.filter(ELIGIBLE, ahead, call=call)
        .annotate(place=Window(RowNumber(), order_by=RANKING_ORDER))
        .values_list("application_id", "place")
    )
    sql, params = numbered.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT application_id, place FROM ({sql}) AS numbered "  # noqa: S608 - the ORM's SQL
            "WHERE application_id = ANY(%s)",
            (*params, list(wanted)),
        )
        for pk, place in cursor.fetchall():
            row = wanted[pk]
            row.position = place
            row.rank = place if row.status == domain.RESERVE else None


def ranking_places(call: Call) -> dict[int, int]:
    """application id -> place in the ranking of every eligible application (one window
    query; for the exports of the whole call)."""
    return dict(
        Evaluation.objects.filter(ELIGIBLE, call=call)
        .annotate(place=Window(RowNumber(), order_by=RANKING_ORDER))
        .values_list("application_id", "place")
    )


_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s|%s")


def _in_order(sql: str, positional, named: dict) -> tuple[str, list]:
    """One positional parameter list for SQL mixing the ORM's `%s` (taken from `positional` in
    order) with our `%(name)s`."""
    params = []

    def replace(match):
        if match.group(0) == "%%":
            return "%%"
        params.append(named[match.group(1)] if match.group(1) else next(positional))
        return "%s"

    return _PLACEHOLDER.sub(replace, sql), params


def rerank_in_python(call: Call) -> None:
    """The former way, kept as the reference the benchmark compares with: every stored
    assessment read into Python, ranked by ranking.rank(), the moved outcomes written."""
    with transaction.atomic():
        stored = stored_assessments(call)
        outcomes = rank([item for _pk, item, _old in stored.values()], call.rules())
        changed_rows = []
        for outcome in outcomes:
            pk, _item, old = stored[outcome.number]
            new = (
                outcome.status,
                _stored_place(outcome),
                _stored_place(outcome),
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
    """The stored outcomes of the call, in the order rank() gives them, each with its place
    in its list: the main list's stored, the reserve's and the unlisted's numbered on from it
    in ranking order, the ineligible and the rejected numbered in registration order."""
    order = {status: index for index, status in enumerate(domain.STATUS_ORDER)}
    ranked = {domain.MAIN, domain.RESERVE, domain.UNLISTED}

    def key(row):
        status, points, submitted_on, sequence, number = row[1], row[3], row[9], row[10], row[0]
        if status in ranked:
            return (order[status], -points, submitted_on, sequence, number)
        return (order[status], sequence, number)

    rows = sorted(
        Evaluation.objects.filter(call=call).values_list(
            "application__number",
            "status",
            "rank",
            "points",
            "breakdown",
            "reasons",
            "warnings",
            "tie",
            "position",
            "submitted_on",
            "sequence",
        ),
        key=key,
    )
    outcomes = []
    counted = defaultdict(int)
    place = 0
    for number, status, rank_, points, breakdown, reasons, warnings, tie, position, *_ in rows:
        counted[status] += 1
        if status in ranked:
            place += 1
            position = position if position is not None else place
            if rank_ is None and status == domain.RESERVE:
                rank_ = position
        outcomes.append(
            domain.Outcome(
                number,
                status,
                rank_,
                points,
                tuple(domain.Credit(c["criterion"], c["pesel"], c["points"]) for c in breakdown),
                tuple(reasons),
                tuple(warnings),
                tie,
                position if position is not None else counted[status],
            )
        )
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


def _stored_place(outcome: domain.Outcome) -> int | None:
    """The place kept in the database (as rank and position): the main list's only. The
    reserve and the unlisted are numbered on in ranking order, the ineligible and the
    rejected in registration order, when shown (fill_places, current_outcomes)."""
    return outcome.position if outcome.status == domain.MAIN else None


def _outcome_row(outcome: domain.Outcome) -> tuple:
    return (
        outcome.status,
        _stored_place(outcome),
        _stored_place(outcome),
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
