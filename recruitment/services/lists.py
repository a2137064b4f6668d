"""The approved lists: approve the live lists as a version, free a place on them (each a
`@service`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.records import service

from .. import domain
from ..models import (
    LEFT,
    RULE_FIELDS,
    Application,
    ApplicationDocument,
    Call,
    RankingEntry,
    RankingVersion,
    RegulationOrder,
)
from ..presenting import describe_reason
from ..queries import latest_version
from ..ranking import assess
from ..tasks import archive_after_commit
from .evaluation import active_applications, application_data, breakdown_json, recompute


def check_rules_unlocked(call: Call, changed: list[str]) -> None:
    """§8.3: once the call's lists are approved its rules change only as an amendment of the
    Regulation recorded after that approval names them. Raises the refusal per field."""
    first = call.versions.order_by("number").first() if call.pk else None
    if first is None:
        return
    amended = set()
    for order in RegulationOrder.objects.filter(is_amendment=True, issued_on__gte=first.decided_on):
        amended.update(order.rules_changed)
    locked = [name for name in changed if name in RULE_FIELDS and name not in amended]
    if locked:
        message = _(
            "The rules of the call were locked when its lists were approved on %(date)s: record "
            "the amendment of the Regulation that changes this rule first (§8.3)."
        ) % {"date": f"{first.decided_on:%d.%m.%Y}"}
        raise ValidationError(dict.fromkeys(locked, message))


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
    tied = [o.number for o in outcomes if o.tie]
    if tied and not meeting.tie_resolution.strip():
        raise ValidationError(
            {
                "meeting": _(
                    "Applications %(numbers)s are tied at the line between the main and reserve "
                    "lists: record at the meeting how the committee resolved the tie first."
                )
                % {"numbers": ", ".join(tied)}
            }
        )
    first = call.versions.order_by("number").first()
    if first is not None:
        # §5.6, §7.6: once approved, the lists change only by a promotion from the reserve list
        # or a vacancy, each its own version; a second approval would rewrite them.
        raise ValidationError(
            _(
                "The lists of this call were approved on %(date)s (version %(number)d): they change "
                "only by a promotion from the reserve list or a vacancy, never by a new approval."
            )
            % {"date": f"{first.decided_on:%d.%m.%Y}", "number": first.number}
        )
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
    archive_after_commit(version, actor=actor)
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
    decided_on = decided_on or clock.today()
    if decided_on < previous.decided_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "The decision cannot precede the latest version of the lists (version "
                    "%(number)d of %(date)s)."
                )
                % {"number": previous.number, "date": f"{previous.decided_on:%d.%m.%Y}"}
            }
        )
    if promoted:
        refuse_if_no_longer_eligible(promoted.application, decided_on)
    version = _new_version(call, kind, decided_on, actor, reason=reason.strip())
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
    archive_after_commit(version, actor=actor)
    return Promotion(version, promoted.application if promoted else None)


def refuse_if_no_longer_eligible(application: Application, day: datetime.date) -> None:
    """§4.2 is checked again on the day of a promotion: a household on the reserve list may
    have got a computer or Internet access, or moved away, since the lists were approved (the
    office records it on the application)."""
    reasons = assess(application_data(application), application.call.rules()).reasons
    if reasons:
        raise ValidationError(
            _(
                "Application %(number)s, first on the reserve list, no longer meets the "
                "conditions of §4.2 on %(date)s: %(reasons)s. It cannot take the place; nothing "
                "has been changed."
            )
            % {
                "number": application.number,
                "date": f"{day:%d.%m.%Y}",
                "reasons": "; ".join(describe_reason(r) for r in reasons),
            },
            code="no_longer_eligible",
        )


def approved_status(application: Application) -> RankingEntry | None:
    """The application's entry in the latest version of its call's lists (None before approval)."""
    version = latest_version(application.call)
    if version is None:
        return None
    return version.entries.filter(application=application).first()
