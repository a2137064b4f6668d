"""The committee's papers from an approved version of the lists: the protocol, the letters to
applicants and the public results list (registration numbers only)."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lebork_einclusion import archive, clock
from lebork_einclusion.models import Project
from lebork_einclusion.office_language import in_office_language
from lebork_einclusion.pdf import render_pdf

from . import domain
from .models import (
    ENTRY_STATUSES,
    LEFT,
    Application,
    Evaluation,
    HouseholdMember,
    RankingEntry,
    RankingVersion,
)
from .presenting import breakdown_rows, describe_reason, describe_warning, missing_documents

ENTRY_LABELS = dict(ENTRY_STATUSES)
ENTRY_ORDER = (*domain.STATUS_ORDER, LEFT)


def version_entries(version: RankingVersion) -> list[RankingEntry]:
    """The version's entries with each application and its applicant's name, in two queries."""
    applicant = HouseholdMember.objects.filter(
        application=OuterRef("application_id"), role=domain.APPLICANT
    )
    entries = (
        version.entries.select_related("application")
        .annotate(
            applicant_first_name=Subquery(applicant.values("first_name")[:1]),
            applicant_last_name=Subquery(applicant.values("last_name")[:1]),
        )
        .order_by("rank", "application__sequence")
    )
    result = list(entries)
    for entry in result:
        entry.applicant = (
            f"{entry.applicant_first_name or ''} {entry.applicant_last_name or ''}".strip()
        )
        entry.reason_labels = [describe_reason(r) for r in entry.reasons]
        entry.warning_labels = [describe_warning(w) for w in entry.warnings]
    return result


def group_entries(entries) -> list[tuple[str, str, list]]:
    groups = {status: [] for status in ENTRY_ORDER}
    for entry in entries:
        groups[entry.status].append(entry)
    reserve = groups[domain.RESERVE]
    for position, entry in enumerate(reserve, start=1):
        entry.reserve_position = position
    return [(status, ENTRY_LABELS[status], groups[status]) for status in ENTRY_ORDER]


def _committee(call, present) -> list[dict]:
    """Who took part, each with the institution and role recorded for the call's committee."""
    recorded = {m.user_id: m for m in call.committee.all()}
    order = {"chair": 0, "secretary": 1, "member": 2}
    rows = []
    for user in present:
        member = recorded.get(user.pk)
        rows.append(
            {
                "name": user.get_full_name() or user.username,
                "institution": member.get_institution_display() if member else "",
                "role": member.get_role_display() if member else "",
                "order": (order.get(member.role, 3) if member else 3, user.last_name),
            }
        )
    return sorted(rows, key=lambda row: row["order"])


def _context(version: RankingVersion) -> dict:
    entries = version_entries(version)
    groups = group_entries(entries)
    by_status = {status: items for status, _label, items in groups}
    meetings = list(version.call.meetings.prefetch_related("members").order_by("held_on"))
    members = {}
    for meeting in meetings:
        for user in meeting.members.all():
            members[user.pk] = user
    signatories = list(version.meeting.members.all()) if version.meeting else list(members.values())
    # The meeting that approved the lists recorded how a tie at the line was resolved (a later
    # promotion keeps the approval's words).
    approval = version if version.meeting else version.call.versions.filter(number=1).first()
    return {
        "project": Project.current(),
        "call": version.call,
        "version": version,
        "groups": groups,
        "by_status": by_status,
        "meetings": meetings,
        "committee": _committee(version.call, members.values()),
        "signatories": signatories,
        "counts": {
            "received": len(entries),
            "rejected": len(by_status[domain.REJECTED]),
            "ineligible": len(by_status[domain.INELIGIBLE]),
            "main": len(by_status[domain.MAIN]),
            "reserve": len(by_status[domain.RESERVE]),
            "unlisted": len(by_status[domain.UNLISTED]),
            "left": len(by_status[LEFT]),
        },
        "open_places": max(0, version.call.places - len(by_status[domain.MAIN])),
        "tie_meeting": approval.meeting if approval else None,
        "ties": [e for e in by_status[domain.MAIN] + by_status[domain.RESERVE] if e.tie],
        "printed_at": timezone.localtime(),
    }


@in_office_language
def protocol_pdf(version: RankingVersion) -> bytes:
    """The committee's protocol of an approval; a promotion or a vacancy is the coordinator's
    decision (§5.6, §7.6), no meeting held, signed by the coordinator alone."""
    context = _context(version)
    if version.kind == RankingVersion.Kind.APPROVAL:
        return render_pdf("recruitment/pdf/protocol.html", context)
    previous = {
        e.application_id: e.status
        for e in RankingEntry.objects.filter(
            version__call_id=version.call_id, version__number=version.number - 1
        )
    }
    context["changed"] = [
        e for e in version_entries(version) if previous.get(e.application_id) != e.status
    ]
    return render_pdf("recruitment/pdf/decision.html", context)


def _coordinator():
    return (
        get_user_model()
        .objects.filter(groups__name="coordinator", is_active=True)
        .order_by("pk")
        .first()
    )


@in_office_language
def letters_pdf(version: RankingVersion, only=None) -> bytes:
    context = _context(version)
    letters = [e for e in version_entries(version) if e.status != LEFT]
    if only is not None:
        letters = [e for e in letters if e.application_id == only.pk]
    reserve_positions = {
        e.pk: getattr(e, "reserve_position", None) for e in context["by_status"][domain.RESERVE]
    }
    for entry in letters:
        entry.reserve_position = reserve_positions.get(entry.pk)
    context.update(
        {"letters": letters, "coordinator": _coordinator(), "letter_date": version.decided_on}
    )
    return render_pdf("recruitment/pdf/letters.html", context)


def letter_entry(application: Application) -> RankingEntry | None:
    """The entry the applicant's letter was sent for: the latest decided version that still
    lists the application (a household that left keeps the letter it was sent)."""
    return (
        RankingEntry.objects.filter(application=application)
        .exclude(status=LEFT)
        .select_related("version__call")
        .order_by("-version__number")
        .first()
    )


@in_office_language
def draft_letter_pdf(application: Application) -> bytes:
    """Before the lists are approved: the letter as the live lists would give it today, marked
    PROJEKT on every page and stored nowhere (no letter is sent before the approval)."""
    evaluation = Evaluation.objects.get(application=application)
    applicant = application.members.filter(role=domain.APPLICANT).first()
    entry = SimpleNamespace(
        application=application,
        applicant=str(applicant) if applicant else "",
        status=evaluation.status,
        points=evaluation.points,
        rank=evaluation.rank,
        reserve_position=evaluation.position if evaluation.status == domain.RESERVE else None,
        reason_labels=[describe_reason(r) for r in evaluation.reasons],
    )
    return render_pdf(
        "recruitment/pdf/letters.html",
        {
            "project": Project.current(),
            "call": application.call,
            "letters": [entry],
            "coordinator": _coordinator(),
            "letter_date": clock.today(),
            "draft": True,
        },
    )


# A version of the lists exists only once decided: its protocol (or the coordinator's decision)
# and its letters are binding from that moment, stored by the service that decides the version
# (services.lists queues tasks.archive_version_papers once it commits) and served from the
# archive ever after, never re-rendered; opened before the task has run, each is stored on that
# first opening instead (views.lists).
# (Their labels are the core's: lebork_einclusion.archive._LABELS.)
PROTOCOL = "recruitment.protocol"
LETTERS = "recruitment.letters"


# The letter of one applicant is archived with its entry of the version (the first opening
# after the decision stores it: views.applications.letter_pdf).
LETTER = archive.register_kind("recruitment.letter", gettext_lazy("letter to the applicant"))


def store_version_papers(version: RankingVersion, *, actor) -> list:
    """Archive the version's protocol and letters as they are now; what is archived already is
    kept (a second run stores nothing). Run by the task tasks.archive_version_papers after the
    decision has committed, never in the request that decides."""
    return [
        archive.store(version, PROTOCOL, lambda draft: protocol_pdf(version), actor=actor),
        archive.store(version, LETTERS, lambda draft: letters_pdf(version), actor=actor),
    ]


def public_groups(entries) -> dict:
    main, reserve, not_qualified = [], [], []
    for entry in entries:
        if entry.status == domain.MAIN:
            main.append(entry)
        elif entry.status == domain.RESERVE:
            reserve.append(entry)
        elif entry.status != LEFT:
            not_qualified.append(entry)
    not_qualified.sort(key=lambda e: e.application.sequence)
    return {"main": main, "reserve": reserve, "not_qualified": not_qualified}


@in_office_language
def results_pdf(version: RankingVersion) -> bytes:
    entries = version.entries.select_related("application").order_by(
        "rank", "application__sequence"
    )
    return render_pdf(
        "recruitment/pdf/results.html",
        {
            "project": Project.current(),
            "call": version.call,
            "version": version,
            "groups": public_groups(entries),
            "printed_at": timezone.localtime(),
        },
    )


@in_office_language
def application_pdf(application: Application) -> bytes:
    """The registered application on paper: household, members, criteria, documents, with the
    GDPR information clause, for the applicant to check and sign."""
    members = list(application.members.prefetch_related("documents").order_by("pk"))
    documents = list(application.documents.select_related("member").order_by("pk"))
    evaluation = getattr(application, "evaluation", None)
    return render_pdf(
        "recruitment/pdf/application.html",
        {
            "project": Project.current(),
            "call": application.call,
            "application": application,
            "members": members,
            "documents": documents,
            "missing_documents": missing_documents(members, documents),
            "evaluation": evaluation,
            "breakdown": breakdown_rows(evaluation.breakdown if evaluation else [], members),
        },
    )
