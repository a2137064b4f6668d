"""The visit plan: the calls' rules, the plan kept in step with lending, visits planned
by hand.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project
from lebork_einclusion.office_language import office_text
from lebork_einclusion.records import locked, save_changed, service
from lending.models import (
    LoanAgreement,
    Participant,
)

from .. import visit_rules
from ..models import (
    PlannedVisit,
    VisitRule,
)
from .errors import raise_errors

# --- the visit plan ----------------------------------------------------------------------------


def _durability_end() -> datetime.date | None:
    project = Project.current()
    return project.durability_end if project else None


def _first_handovers():
    """Each participant's first handover of equipment (the plan starts from it)."""
    return (
        LoanAgreement.objects.filter(participant=OuterRef("pk"), handed_over_on__isnull=False)
        .order_by("handed_over_on")
        .values("handed_over_on")[:1]
    )


def _rule_visits(participant, rule: VisitRule, handover, until, *, since=None):
    dates = visit_rules.plan_dates(handover, rule.first_within_months, rule.every_months, until)
    return [
        PlannedVisit(
            participant=participant,
            due_on=day,
            rule_due_on=day,
            officer_id=rule.officer_id,
            origin=PlannedVisit.Origin.RULE,
        )
        for day in dates
        if since is None or day >= since
    ]


def _cancel_reason(participant) -> str:
    end = getattr(participant, "participation_end", None)
    params = {
        "status": participant.get_status_display(),
        "date": short_date(participant.ended_on) if participant.ended_on else "—",
    }
    if end is not None and end.promoted_id:
        return office_text(
            _(
                "The household stopped taking part on %(date)s (%(status)s); its place went to %(number)s."
            ),
            number=end.promoted.application.number,
            **params,
        )
    return office_text(_("The household stopped taking part on %(date)s (%(status)s)."), **params)


@dataclass(frozen=True)
class SyncResult:
    planned: int
    households: int
    cancelled: int


@service
def do_sync_plans(*, actor, participant=None) -> SyncResult:
    """Keep the plan in step with lending, which knows nothing of monitoring (the layers):

    - a household whose equipment has been handed over and that has no plan yet gets its visits
      from its call's rule, counted from the first handover (so a household promoted from the
      reserve list gets its plan from its own handover);
    - a household that stopped taking part (resignation, end, exclusion) has its visits still
      planned cancelled, with the reason and the household that took its place.

    Run for one household when lending says its participation changed (`participant`, see
    `on_participation_changed`), for all of them by `manage.py sync_visit_plans` (records
    written before a rule existed, or outside lending's services), a changed rule and the demo;
    two queries when nothing is to be done. `actor` may be None (the daily command)."""
    candidates = Participant.objects.all()
    visits_ahead = PlannedVisit.objects.filter(status=PlannedVisit.Status.PLANNED)
    if participant is not None:
        candidates = candidates.filter(pk=participant.pk)
        visits_ahead = visits_ahead.filter(participant=participant)
    until = _durability_end()
    planned = households = cancelled = 0
    if until is not None:
        rules = {rule.call_id: rule for rule in VisitRule.objects.all()}
        if rules:
            waiting = (
                candidates.active()
                .filter(application__call_id__in=rules)
                .exclude(Exists(PlannedVisit.objects.filter(participant=OuterRef("pk"))))
                .annotate(handover=Subquery(_first_handovers()))
                .filter(handover__isnull=False)
                .select_related("application")
                .select_for_update(of=("self",))
            )
            new = []
            for household in waiting:
                visits = _rule_visits(
                    household,
                    rules[household.application.call_id],
                    household.handover,
                    until,
                )
                households += 1 if visits else 0
                new.extend(visits)
            PlannedVisit.objects.bulk_create(new)
            planned = len(new)
    stale = list(
        visits_ahead.exclude(participant__status=Participant.Status.ACTIVE)
        .select_related(
            "participant__participation_end__promoted__application",
        )
        .select_for_update(of=("self",))
    )
    for visit in stale:
        visit.status = PlannedVisit.Status.CANCELLED
        visit.cancelled_on = visit.participant.ended_on or clock.today()
        visit.cancel_reason = _cancel_reason(visit.participant)[:500]
        save_changed(visit, "status", "cancelled_on", "cancel_reason")
    cancelled = len(stale)
    return SyncResult(planned, households, cancelled)


def on_participation_changed(sender, participant, actor, **kwargs) -> None:
    """lending.signals.participation_changed: the household's plan follows at once, in the
    same transaction as the handover or the end of its participation."""
    do_sync_plans(actor=actor, participant=participant)


def rule_errors(first_within_months, every_months) -> dict:
    errors = {}
    if first_within_months is None or not 1 <= first_within_months <= 24:
        errors["first_within_months"] = _("Give 1 to 24 months.")
    if every_months is None or not 1 <= every_months <= 12:
        errors["every_months"] = _(
            "A household is visited at least once a year: give 1 to 12 months."
        )
    return errors


RULE_CHANGED = gettext_lazy(
    "Someone else saved this rule meanwhile. Nothing has been saved: open it again."
)
PLANNED_CHANGED = gettext_lazy(
    "Someone else saved this visit while you were editing it. Your changes have "
    "NOT been saved: open the visit again."
)


@service
def do_save_visit_rule(
    call,
    *,
    first_within_months: int,
    every_months: int,
    officer,
    actor,
    expected_version: int | None = None,
) -> tuple[VisitRule, int]:
    """Set the call's rule. The visits it planned that are still ahead and were not moved by
    the officer are planned again by the new rule (from today on); visits done, cancelled,
    moved or added by hand stay as they are. Returns the rule and the visits planned anew.

    `expected_version`: the version the form was opened with (None for a call without a rule
    yet); a rule saved by someone else in the meantime is refused (code "concurrent_edit")."""
    raise_errors(rule_errors(first_within_months, every_months))
    today = clock.today()
    until = _durability_end()
    rule = VisitRule.objects.filter(call=call).first()
    if rule is None:
        if expected_version is not None:
            raise ValidationError(RULE_CHANGED, code="concurrent_edit")
        rule = VisitRule(call=call)
    elif expected_version is None:
        # A form opened on a call without a rule, which someone set meanwhile.
        raise ValidationError(RULE_CHANGED, code="concurrent_edit")
    else:
        rule = locked(rule, expected_version=expected_version, message=RULE_CHANGED)
    rule.first_within_months = first_within_months
    rule.every_months = every_months
    rule.officer = officer
    rule.updated_by = actor
    if rule.pk is None:
        rule.save()
    else:
        save_changed(rule)
    replanned = 0
    if until is not None:
        ahead = PlannedVisit.objects.filter(
            participant__application__call=call,
            participant__status=Participant.Status.ACTIVE,
            status=PlannedVisit.Status.PLANNED,
            origin=PlannedVisit.Origin.RULE,
            due_on__gte=today,
            rule_due_on=F("due_on"),
        )
        # Households that have a plan already (the others get theirs from do_sync_plans).
        households = list(
            Participant.objects.active()
            .filter(application__call=call)
            .filter(Exists(PlannedVisit.objects.filter(participant=OuterRef("pk"))))
            .annotate(handover=Subquery(_first_handovers()))
            .filter(handover__isnull=False)
        )
        ahead.delete()
        kept = set(
            PlannedVisit.objects.filter(
                participant__in=households, status=PlannedVisit.Status.PLANNED
            ).values_list("participant_id", "due_on")
        )
        new = [
            visit
            for participant in households
            for visit in _rule_visits(participant, rule, participant.handover, until, since=today)
            if (participant.pk, visit.due_on) not in kept
        ]
        PlannedVisit.objects.bulk_create(new)
        replanned = len(new)
    return rule, replanned


def planned_visit_errors(participant, due_on, *, planned=None) -> dict:
    errors = {}
    if not participant.is_active:
        errors["participant"] = _("Household %(number)s no longer takes part.") % {
            "number": participant.application.number
        }
    if due_on is None:
        errors["due_on"] = _("Enter the date.")
    elif due_on < participant.joined_on:
        errors["due_on"] = _("The household takes part from %(date)s: choose a later day.") % {
            "date": short_date(participant.joined_on)
        }
    if planned is not None and planned.status != PlannedVisit.Status.PLANNED:
        errors["due_on"] = _("This visit is %(status)s: it cannot be moved.") % {
            "status": planned.get_status_display()
        }
    return errors


@service
def do_add_planned_visit(participant, *, due_on, officer, actor, note="") -> PlannedVisit:
    """The officer adds a visit to a household's plan (an extra check, a follow-up)."""
    raise_errors(planned_visit_errors(participant, due_on))
    return PlannedVisit.objects.create(
        participant=participant,
        due_on=due_on,
        officer=officer,
        origin=PlannedVisit.Origin.OFFICER,
        note=note.strip()[:300],
    )


@service
def do_move_planned_visit(
    planned: PlannedVisit, *, due_on, officer, actor, note="", expected_version=None
) -> PlannedVisit:
    """The officer moves a planned visit to another day or gives it to another officer; the
    rule's date is kept beside it."""
    current = locked(planned, expected_version=expected_version, message=PLANNED_CHANGED)
    raise_errors(planned_visit_errors(current.participant, due_on, planned=current))
    current.due_on = due_on
    current.officer = officer
    current.note = note.strip()[:300]
    save_changed(current, "due_on", "officer", "note")
    return current
