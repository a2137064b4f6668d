"""Every write of the recruitment: one `do_*` function per state change, taking the acting user,
each in one transaction. Views, commands and other apps (lending's resignation) call these."""

import datetime
import json
from collections import defaultdict

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, Exists, F, Func, Max, OuterRef, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.records import locked, save_changed, service
from lebork_einclusion.uploads import delete_on_commit

from . import domain
from .models import (
    LEFT,
    Application,
    ApplicationDocument,
    Call,
    Evaluation,
    HouseholdMember,
    Notification,
    RankingEntry,
    RankingVersion,
    ReviewNote,
)
from .queries import latest_version
from .ranking import assess, rank

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
    """Every application of the call as plain data, in three queries whatever its size."""
    members = defaultdict(list)
    for row in (
        HouseholdMember.objects.filter(
            application__call=call, application__withdrawn_at__isnull=True
        )
        .order_by("application_id", "pk")
        .values_list("application_id", *MEMBER_FIELDS)
    ):
        first, last, pesel, role, disability, scholarship, foster, home = row[1:]
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
            )
        )
    # One row per application: the verified document types gathered by the database.
    documents = dict(
        ApplicationDocument.objects.filter(
            application__call=call,
            application__withdrawn_at__isnull=True,
            verified_at__isnull=False,
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
    documents = application.documents.filter(verified_at__isnull=False).values_list(
        "doc_type", flat=True
    )
    return application.to_data(application.members.order_by("pk"), documents)


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
    arrays = ("not_credited", "formal", "own_reasons", "pesels", "address", "reasons", "warnings")
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
        not_credited, formal, reasons, pesels, address, old_reasons, old_warnings,
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


# --- applications ----------------------------------------------------------------------------------


def next_number(call: Call) -> tuple[str, int]:
    last = Application.objects.filter(call=call).aggregate(m=Max("sequence"))["m"] or 0
    return f"{call.code}/{last + 1:03d}", last + 1


def sequence_of(number: str) -> int:
    tail = number.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def refuse_registered_pesels(call: Call, pesels, exclude: Application | None = None) -> None:
    """A person is in one application of a call: refuse a PESEL already in another one that is
    not withdrawn. The caller holds the call's row lock, so two saves never both pass."""
    taken = HouseholdMember.objects.filter(
        application__call=call, application__withdrawn_at__isnull=True, pesel__in=set(pesels)
    )
    if exclude is not None:
        taken = taken.exclude(application=exclude)
    numbers = sorted(set(taken.values_list("application__number", flat=True)))
    if numbers:
        raise ValidationError(
            _(
                "A member of this household is already listed in application %(numbers)s of "
                "this call. An application is registered once; correct that application instead."
            )
            % {"numbers": ", ".join(numbers)},
            code="pesel_registered",
        )


@service
def do_create_application(
    call: Call, fields: dict, members: list[dict], received: dict, *, actor
) -> Application:
    """Register an application (number assigned in registration order), its members and the
    documents handed in (doc type -> uploaded scan or None)."""
    Call.objects.select_for_update().filter(pk=call.pk).exists()
    refuse_registered_pesels(call, [m["pesel"] for m in members])
    number = fields.pop("number", None)
    if number:
        sequence = sequence_of(number)
    else:
        number, sequence = next_number(call)
    application = Application.objects.create(
        call=call, number=number, sequence=sequence, created_by=actor, **fields
    )
    HouseholdMember.objects.bulk_create(
        HouseholdMember(application=application, **m) for m in members
    )
    for doc_type, scan in received.items():
        document = ApplicationDocument(application=application, doc_type=doc_type)
        if scan:
            document.scan.save(scan.name, scan, save=False)
        document.save()
    reassess(application)
    return application


@service
def do_set_documents(application: Application, received: dict, *, actor) -> None:
    """Bring the checklist to `received` (doc type -> new scan or None). A document taken off
    the list is removed with its scan; a new scan replaces the old one and needs a new
    verification (the committee has not seen it)."""
    current = {d.doc_type: d for d in application.documents.all()}
    for doc_type, document in current.items():
        if doc_type not in received:
            delete_on_commit(document.scan)
            document.delete()
    for doc_type, scan in received.items():
        document = current.get(doc_type) or ApplicationDocument(
            application=application, doc_type=doc_type
        )
        if scan:
            delete_on_commit(document.scan)
            document.scan.save(scan.name, scan, save=False)
            document.verified_at = None
            document.verified_by = None
        document.save()


EDITED_SINCE = gettext_lazy(
    "Someone else saved this application while you were working on it. Nothing of "
    "yours has been saved yet: your entries are still in the form. Review the "
    "current state below and save again."
)


def _refuse_withdrawn(application: Application) -> None:
    if application.withdrawn:
        raise ValidationError(
            _("Application %(number)s has been withdrawn: it can no longer be changed.")
            % {"number": application.number},
            code="withdrawn",
        )


def _locked_application(application: Application, expected_version) -> Application:
    """The application's row, locked; refused when withdrawn (that refusal first) or saved by
    someone else since the form was opened."""
    try:
        current = locked(application, expected_version=expected_version, message=EDITED_SINCE)
    except ValidationError:
        _refuse_withdrawn(Application.objects.get(pk=application.pk))
        raise
    _refuse_withdrawn(current)
    return current


@service
def do_update_application(
    application: Application,
    fields: dict,
    members: list[dict],
    received: dict,
    *,
    expected_version,
    actor,
) -> Application:
    """Save an edited application: its fields, members (dicts with "id" for existing ones;
    those left out are removed) and document checklist, refusing a concurrent edit."""
    current = _locked_application(application, expected_version)
    # The application's row first, then the call's (the order every save of it takes).
    Call.objects.select_for_update().filter(pk=current.call_id).exists()
    refuse_registered_pesels(current.call, [m["pesel"] for m in members], exclude=current)
    for name, value in fields.items():
        setattr(current, name, value)
    save_changed(current)
    existing = {m.pk: m for m in current.members.all()}
    # Removed members go first, so a PESEL moved to a new row does not collide with itself.
    wanted = {m.get("id") for m in members if m.get("id")}
    for pk, member in existing.items():
        if pk not in wanted:
            member.delete()
    for data in members:
        data = dict(data)
        pk = data.pop("id", None)
        if pk and pk in existing:
            member = existing[pk]
            changed = [name for name, value in data.items() if getattr(member, name) != value]
            if changed:
                for name in changed:
                    setattr(member, name, data[name])
                member.save(update_fields=changed)
        else:
            HouseholdMember.objects.create(application=current, **data)
    do_set_documents(current, received, actor=actor)
    reassess(current)
    application.version = current.version
    return current


@service
def do_review(
    application: Application, verified: set[str], note: str, *, expected_version, actor
) -> None:
    """The committee's review: confirm the documents that are in order (un-confirm the others)
    and leave a note. Optimistic locking: a concurrent save of the same application is refused."""
    current = _locked_application(application, expected_version)
    now = clock.now()
    for document in current.documents.all():
        if document.doc_type in verified and not document.verified:
            document.verified_at, document.verified_by = now, actor
            document.save(update_fields=["verified_at", "verified_by"])
        elif document.doc_type not in verified and document.verified:
            document.verified_at, document.verified_by = None, None
            document.save(update_fields=["verified_at", "verified_by"])
    if note.strip():
        ReviewNote.objects.create(application=current, author=actor, text=note.strip())
    save_changed(current)  # its documents and notes changed: a form opened before is stale
    application.version = current.version
    reassess(current)


@service
def do_add_notification(
    application: Application, channel: str, sent_on: datetime.date, note: str, *, actor
) -> Notification:
    if sent_on > clock.today():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    version = latest_version(application.call)
    return Notification.objects.create(
        application=application,
        version=version,
        channel=channel,
        sent_on=sent_on,
        note=note,
        sent_by=actor,
    )


@service
def do_withdraw_application(
    application: Application, reason: str, *, actor, expected_version=None
) -> Application:
    """Withdraw an application registered by mistake (twice, or for the wrong household): kept
    with who withdrew it, when and why, never deleted; it leaves the evaluation, and with it the
    live lists, and so every later approved version and the public results. Refused once it is
    on an approved version of the lists: a place there is freed by a resignation instead."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    current = _locked_application(application, expected_version)
    Call.objects.select_for_update().filter(pk=current.call_id).exists()
    on_list = (
        RankingEntry.objects.filter(application=current)
        .order_by("version__number")
        .values_list("version__number", flat=True)
        .first()
    )
    if on_list is not None:
        raise ValidationError(
            _(
                "Application %(number)s is on the approved lists (version %(version)d): it "
                "cannot be withdrawn. A place on the lists is freed by a resignation."
            )
            % {"number": current.number, "version": on_list},
            code="on_approved_list",
        )
    current.withdrawn_at = clock.now()
    current.withdrawn_by = actor
    current.withdrawal_reason = reason[:500]
    save_changed(current, "withdrawn_at", "withdrawn_by", "withdrawal_reason")
    Evaluation.objects.filter(application=current).delete()
    rerank(current.call)
    application.version = current.version
    return current


# --- approved lists ---------------------------------------------------------------------------------


def unverified_numbers(call: Call, limit: int | None = None) -> list[str]:
    """Numbers of applications with documents the committee has not verified yet."""
    pending = (
        active_applications(call)
        .filter(
            Exists(
                ApplicationDocument.objects.filter(
                    application=OuterRef("pk"), verified_at__isnull=True
                )
            )
        )
        .order_by("sequence")
        .values_list("number", flat=True)
    )
    return list(pending[:limit] if limit else pending)


@service
def do_approve_lists(call: Call, meeting, decided_on: datetime.date, *, actor) -> RankingVersion:
    """Freeze the live lists as a dated version tied to a committee meeting."""
    Call.objects.select_for_update().filter(pk=call.pk).exists()
    if meeting is None or meeting.call_id != call.pk:
        raise ValidationError(
            {"meeting": _("Choose the committee meeting that approved the lists.")}
        )
    if decided_on < meeting.held_on:
        raise ValidationError({"decided_on": _("The lists cannot be approved before the meeting.")})
    pending = unverified_numbers(call)
    if pending:
        raise ValidationError(
            _(
                "Documents not verified yet in applications: %(numbers)s. The committee verifies them first."
            )
            % {"numbers": ", ".join(pending[:20]) + (" …" if len(pending) > 20 else "")}
        )
    outcomes = recompute(call)
    ids = dict(Application.objects.filter(call=call).values_list("number", "id"))
    # Households that left the project stay gone (§7): a later approval ranks the others and
    # keeps their entries as they were, never bringing them back onto a list.
    previous = latest_version(call)
    departed = (
        {e.application_id: e for e in previous.entries.filter(status=LEFT)} if previous else {}
    )
    if departed:
        credits = {o.number: o.breakdown for o in outcomes}
        kept = [
            item._replace(credits=credits[number])
            for number, (pk, item, _old) in stored_assessments(call).items()
            if pk not in departed
        ]
        outcomes = rank(kept, call.rules())
    version = _new_version(call, RankingVersion.Kind.APPROVAL, decided_on, actor, meeting=meeting)
    RankingEntry.objects.bulk_create(
        RankingEntry(
            version=version,
            application_id=entry.application_id,
            status=LEFT,
            points=entry.points,
            reasons=entry.reasons,
            warnings=entry.warnings,
            breakdown=entry.breakdown,
            note=entry.note,
        )
        for entry in departed.values()
    )
    RankingEntry.objects.bulk_create(
        RankingEntry(
            version=version,
            application_id=ids[o.number],
            status=o.status,
            rank=o.rank,
            points=o.points,
            tie=o.tie,
            reasons=list(o.reasons),
            warnings=list(o.warnings),
            breakdown=breakdown_json(o),
        )
        for o in outcomes
    )
    return version


def _new_version(call, kind, decided_on, actor, meeting=None, reason="") -> RankingVersion:
    last = latest_version(call)
    return RankingVersion.objects.create(
        call=call,
        number=(last.number + 1) if last else 1,
        kind=kind,
        decided_on=decided_on,
        meeting=meeting,
        reason=reason,
        created_by=actor,
    )


class Promotion:
    """What do_promote_from_reserve() did: the new version, and who took the place (or None
    when the reserve list was empty: the place stays open)."""

    def __init__(self, version: RankingVersion, promoted: Application | None):
        self.version = version
        self.promoted = promoted


@service
def do_promote_from_reserve(
    leaving: Application, reason: str, *, actor, decided_on=None
) -> Promotion:
    """§5.6, §7.6: the application `leaving` gives up its place on the main list (resignation,
    end of participation, exclusion); the first on the reserve list takes it. Recorded as a new
    version of the lists, never an edit of the approved one."""
    call = leaving.call
    Call.objects.select_for_update().filter(pk=call.pk).exists()
    if not reason.strip():
        raise ValidationError(_("Give the reason the place is freed."))
    previous = latest_version(call)
    if previous is None:
        raise ValidationError(_("The lists of this call have not been approved yet."))
    entries = list(previous.entries.select_related("application").order_by("pk"))
    leaving_entry = next((e for e in entries if e.application_id == leaving.pk), None)
    if leaving_entry is None or leaving_entry.status != domain.MAIN:
        raise ValidationError(
            _("Application %(number)s is not on the main list: it has no place to free.")
            % {"number": leaving.number}
        )
    reserve = sorted((e for e in entries if e.status == domain.RESERVE), key=lambda e: e.rank)
    promoted = reserve[0] if reserve else None
    kind = RankingVersion.Kind.PROMOTION if promoted else RankingVersion.Kind.VACANCY
    version = _new_version(call, kind, decided_on or clock.today(), actor, reason=reason.strip())
    # Main list first, then the reserve, renumbered 1..n in the order they had.
    ranked = [e for e in entries if e.status == domain.MAIN and e is not leaving_entry]
    if promoted:
        ranked.append(promoted)
    ranked += [e for e in reserve if e is not promoted]
    new_rank = {e.pk: index + 1 for index, e in enumerate(ranked)}
    rows = []
    for entry in entries:
        status, rank, note = entry.status, entry.rank, entry.note
        if entry is leaving_entry:
            status, rank, note = LEFT, None, reason.strip()[:300]
        elif entry is promoted:
            status, rank = domain.MAIN, new_rank[entry.pk]
            note = _("promoted from the reserve list in place of %(number)s") % {
                "number": leaving.number
            }
        elif entry.pk in new_rank:
            rank = new_rank[entry.pk]
        rows.append(
            RankingEntry(
                version=version,
                application_id=entry.application_id,
                status=status,
                rank=rank,
                points=entry.points,
                tie=entry.tie,
                reasons=entry.reasons,
                warnings=entry.warnings,
                breakdown=entry.breakdown,
                note=note,
            )
        )
    RankingEntry.objects.bulk_create(rows)
    return Promotion(version, promoted.application if promoted else None)


def approved_status(application: Application) -> RankingEntry | None:
    """The application's entry in the latest version of its call's lists (None before approval)."""
    version = latest_version(application.call)
    if version is None:
        return None
    return version.entries.filter(application=application).first()
