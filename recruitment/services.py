"""Every write of the recruitment: one `do_*` function per state change, taking the acting user,
each in one transaction. Views, commands and other apps (lending's resignation) call these."""

import datetime
import json
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

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
from .ranking import evaluate

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


def call_data(call: Call) -> list[domain.ApplicationData]:
    """Every application of the call as plain data, in three queries whatever its size."""
    members = defaultdict(list)
    for row in (
        HouseholdMember.objects.filter(application__call=call)
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
    documents = defaultdict(set)
    for application_id, doc_type in ApplicationDocument.objects.filter(
        application__call=call, verified_at__isnull=False
    ).values_list("application_id", "doc_type"):
        documents[application_id].add(doc_type)
    fields = [
        f for f in domain.ApplicationData.__dataclass_fields__ if f not in ("members", "documents")
    ]
    result = []
    for row in Application.objects.filter(call=call).values("id", *fields):
        application_id = row.pop("id")
        result.append(
            domain.ApplicationData(
                **row,
                members=tuple(members[application_id]),
                documents=frozenset(documents[application_id]),
            )
        )
    return result


# --- the live evaluation -------------------------------------------------------------------------


def recompute(call: Call) -> list[domain.Outcome]:
    """Evaluate the whole call and store the result (Evaluation) in one COPY.

    Duplicates, shared addresses and ranks depend on every application, so one change means a
    new evaluation of the call. The call row is locked so two saves never write it at once.
    """
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        outcomes = evaluate(call_data(call), call.rules())
        ids = dict(Application.objects.filter(call=call).values_list("number", "id"))
        Evaluation.objects.filter(call=call).delete()
        _copy_evaluations(call, outcomes, ids)
    return outcomes


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


def _copy_evaluations(call: Call, outcomes, ids) -> None:
    columns = (
        "application_id",
        "call_id",
        "status",
        "rank",
        "points",
        "tie",
        "reasons",
        "warnings",
        "criteria",
        "breakdown",
    )
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {Evaluation._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for o in outcomes:
            criteria = sorted({c.criterion for c in o.breakdown}, key=domain.CRITERION_ORDER.index)
            copy.write_row(
                (
                    ids[o.number],
                    call.pk,
                    o.status,
                    o.rank,
                    o.points,
                    o.tie,
                    _pg_array(o.reasons),
                    _pg_array(o.warnings),
                    _pg_array(criteria),
                    json.dumps(breakdown_json(o)),
                )
            )


# --- applications ----------------------------------------------------------------------------------


def next_number(call: Call) -> tuple[str, int]:
    last = Application.objects.filter(call=call).aggregate(m=Max("sequence"))["m"] or 0
    return f"{call.code}/{last + 1:03d}", last + 1


def sequence_of(number: str) -> int:
    tail = number.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@transaction.atomic
def do_create_application(
    call: Call, fields: dict, members: list[dict], received: dict, actor
) -> Application:
    """Register an application (number assigned in registration order), its members and the
    documents handed in (doc type -> uploaded scan or None)."""
    Call.objects.select_for_update().filter(pk=call.pk).exists()
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
    recompute(call)
    return application


@transaction.atomic
def do_set_documents(application: Application, received: dict) -> None:
    """Bring the checklist to `received` (doc type -> new scan or None). A document taken off
    the list is removed with its scan; a new scan replaces the old one and needs a new
    verification (the committee has not seen it)."""
    current = {d.doc_type: d for d in application.documents.all()}
    for doc_type, document in current.items():
        if doc_type not in received:
            if document.scan:
                document.scan.delete(save=False)
            document.delete()
    for doc_type, scan in received.items():
        document = current.get(doc_type) or ApplicationDocument(
            application=application, doc_type=doc_type
        )
        if scan:
            if document.scan:
                document.scan.delete(save=False)
            document.scan.save(scan.name, scan, save=False)
            document.verified_at = None
            document.verified_by = None
        document.save()


def lock_version(application: Application, expected_version) -> Application:
    """Lock the application's row; refuse when someone saved it since the form was opened."""
    current = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and int(expected_version) != current.version:
        raise ValidationError(
            _(
                "Someone else saved this application while you were working on it. Nothing of "
                "yours has been saved yet: your entries are still in the form. Review the "
                "current state below and save again."
            ),
            code="concurrent_edit",
        )
    return current


def bump_version(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(version=application.version + 1)
    application.version += 1


@transaction.atomic
def do_update_application(
    application: Application,
    fields: dict,
    members: list[dict],
    received: dict,
    actor,
    expected_version,
) -> Application:
    """Save an edited application: its fields, members (dicts with "id" for existing ones;
    those left out are removed) and document checklist, refusing a concurrent edit."""
    current = lock_version(application, expected_version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
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
    do_set_documents(current, received)
    recompute(current.call)
    application.version = current.version
    return current


@transaction.atomic
def do_review(
    application: Application, verified: set[str], note: str, actor, expected_version
) -> None:
    """The committee's review: confirm the documents that are in order (un-confirm the others)
    and leave a note. Optimistic locking: a concurrent save of the same application is refused."""
    current = lock_version(application, expected_version)
    now = timezone.now()
    for document in current.documents.all():
        if document.doc_type in verified and not document.verified:
            document.verified_at, document.verified_by = now, actor
            document.save(update_fields=["verified_at", "verified_by"])
        elif document.doc_type not in verified and document.verified:
            document.verified_at, document.verified_by = None, None
            document.save(update_fields=["verified_at", "verified_by"])
    if note.strip():
        ReviewNote.objects.create(application=current, author=actor, text=note.strip())
    bump_version(current)
    application.version = current.version
    recompute(current.call)


@transaction.atomic
def do_add_notification(
    application: Application, channel: str, sent_on: datetime.date, note: str, actor
) -> Notification:
    if sent_on > timezone.localdate():
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


# --- approved lists ---------------------------------------------------------------------------------


def latest_version(call: Call) -> RankingVersion | None:
    return call.versions.order_by("-number").first()


def unverified_numbers(call: Call, limit: int | None = None) -> list[str]:
    """Numbers of applications with documents the committee has not verified yet."""
    pending = (
        Application.objects.filter(call=call)
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


@transaction.atomic
def do_approve_lists(call: Call, meeting, decided_on: datetime.date, actor) -> RankingVersion:
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
    version = _new_version(call, RankingVersion.Kind.APPROVAL, decided_on, actor, meeting=meeting)
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


@transaction.atomic
def do_promote_from_reserve(leaving: Application, reason: str, actor, decided_on=None) -> Promotion:
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
    version = _new_version(
        call, kind, decided_on or timezone.localdate(), actor, reason=reason.strip()
    )
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
