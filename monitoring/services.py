"""Every write of the monitoring app: one `do_<verb>(..., actor)` per change, in a transaction.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import ConcurrentEditError, save_versioned
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project, PublicUnit
from lebork_einclusion.office_language import office_text
from lending import services as lending_services
from lending.models import (
    Asset,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    Participant,
    ServiceRecord,
)
from lending.queries import active_connection, lent_assets

from . import chronicle, schedules, visit_rules
from . import photos as photo_rules
from .indicators import live_indicators
from .models import (
    PURPOSES,
    AssetCheck,
    ChronicleEntry,
    FollowUp,
    IndicatorSnapshot,
    IndicatorValue,
    LabReport,
    LabSchedule,
    LabSlot,
    MonitoringVisit,
    PlannedVisit,
    VisitPhoto,
    VisitRule,
)


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


# --- the labs' monthly opening hours -----------------------------------------------------------


def do_save_schedule(
    unit: PublicUnit,
    month: datetime.date,
    slots: Sequence[schedules.Slot],
    *,
    actor,
    room: str = "",
    notes: str = "",
    contract=None,
    expected_version: int | None = None,
) -> LabSchedule:
    """Replace the month's opening hours of the unit's lab with `slots` (all or nothing).

    `expected_version`: the version the form was opened with (None for a month not entered
    yet); a schedule saved by someone else in the meantime raises ConcurrentEditError.
    """
    if month.day != 1:
        raise ValueError("month must be the first day of a month")
    problems = schedules.slot_problems(month, slots)
    if problems:
        raise ValidationError({"slots": [problems[i] for i in sorted(problems)]})
    if contract is not None and not (
        contract.term_start <= schedules.last_day(month) and contract.term_end >= month
    ):
        raise ValidationError(
            {
                "contract": _("The contract is not in force in %(month)s.")
                % {"month": schedules.month_label(month).lower()}
            }
        )
    with transaction.atomic():
        schedule = LabSchedule.objects.select_for_update().filter(unit=unit, month=month).first()
        if schedule is None:
            if expected_version is not None:
                raise ConcurrentEditError
            schedule = LabSchedule(unit=unit, month=month)
        elif expected_version != schedule.version:
            raise ConcurrentEditError
        else:
            schedule.version += 1
        schedule.room = room
        schedule.notes = notes
        schedule.contract = contract
        schedule.updated_by = actor
        schedule.save()
        schedule.slots.all().delete()
        LabSlot.objects.bulk_create(
            LabSlot(schedule=schedule, day=s.day, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in sorted(slots, key=lambda s: (s.day, s.starts_at))
        )
        return schedule


# --- the supervisors' monthly reports ----------------------------------------------------------


def report_errors(
    month: datetime.date, hours_open: Decimal | None, submitted_on: datetime.date | None
) -> dict:
    """What makes a supervisor's report impossible: a month not started yet, more hours than
    the month has, a hand-in date before the month or in the future."""
    errors = {}
    today = timezone.localdate()
    end = schedules.last_day(month)
    if month > today:
        errors["month"] = _("%(month)s has not started yet: report on it afterwards.") % {
            "month": schedules.month_label(month)
        }
    if hours_open is not None and hours_open > 24 * end.day:
        errors["hours_open"] = _("%(month)s has only %(hours)d hours.") % {
            "month": schedules.month_label(month),
            "hours": 24 * end.day,
        }
    if submitted_on is not None:
        if submitted_on > today:
            errors["submitted_on"] = _("The date cannot be in the future.")
        elif submitted_on < month:
            errors["submitted_on"] = _("A report is handed in during the month or after it.")
    return errors


def do_save_report(form, *, actor) -> LabReport:
    """Record or correct a supervisor's report (a form on LabReport, VersionedForm)."""
    report = form.instance
    _raise(
        report_errors(
            report.month, form.cleaned_data.get("hours_open"), form.cleaned_data.get("submitted_on")
        )
    )
    with transaction.atomic():
        report.recorded_by = actor
        return save_versioned(form)


def do_add_report(
    unit: PublicUnit,
    month: datetime.date,
    *,
    hours_open: Decimal,
    visitors: int,
    submitted_on: datetime.date,
    actor,
    problems: str = "",
    contract=None,
) -> LabReport:
    """Record a supervisor's report without a form (the demo, an import): checked alike."""
    _raise(report_errors(month, hours_open, submitted_on))
    report = LabReport(
        unit=unit,
        month=month,
        hours_open=hours_open,
        visitors=visitors,
        problems=problems,
        submitted_on=submitted_on,
        contract=contract,
        recorded_by=actor,
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        return report


# --- indicator snapshots -----------------------------------------------------------------------


def snapshot_errors(project: Project | None, as_of, purpose) -> dict:
    errors = {}
    if project is None:
        errors["as_of"] = _("Enter the project record first: the targets come from it.")
        return errors
    if as_of is None:
        errors["as_of"] = _("Enter the date.")
    elif as_of > timezone.localdate():
        errors["as_of"] = _("Figures can be frozen as of today or an earlier day, not ahead.")
    elif as_of < project.start_date:
        errors["as_of"] = _("The project started on %(date)s: choose a later day.") % {
            "date": short_date(project.start_date)
        }
    elif purpose == IndicatorSnapshot.Purpose.DURABILITY_REPORT and as_of <= project.end_date:
        errors["purpose"] = _(
            "A durability report covers a year after the project's end (%(date)s)."
        ) % {"date": short_date(project.end_date)}
    if purpose not in IndicatorSnapshot.Purpose.values:
        errors["purpose"] = _("Choose what the figures are for.")
    return errors


def do_freeze_indicators(
    project: Project, *, as_of: datetime.date, purpose: str, actor, reference="", note=""
) -> IndicatorSnapshot:
    """Freeze the live indicators as of a day. The snapshot is never changed afterwards: the
    database refuses updates and deletions of its rows."""
    _raise(snapshot_errors(project, as_of, purpose))
    # Names and units are frozen in the office's language, as they are printed.
    with translation.override(settings.LANGUAGE_CODE):
        figures = [
            (i.code, str(i.name), i.target, i.value, str(i.unit))
            for i in live_indicators(project, as_of)
        ]
    with transaction.atomic():
        snapshot = IndicatorSnapshot.objects.create(
            as_of=as_of,
            purpose=purpose,
            reference=reference.strip(),
            note=note.strip(),
            project_name=project.name,
            frozen_by=actor,
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                snapshot=snapshot,
                position=position,
                code=code,
                name=name,
                target=target,
                value=value,
                unit=unit,
            )
            for position, (code, name, target, value, unit) in enumerate(figures, start=1)
        )
        return snapshot


# --- the chronicle ---------------------------------------------------------------------------


def coverage_errors(
    entry: ChronicleEntry, covers: Sequence[str], milestones: list | None = None
) -> dict:
    """A milestone can be told of by one entry only, and must exist (`milestones`: the apps'
    milestones when the caller has them already)."""
    allowed = {key for key, _label in chronicle.milestone_choices(entry, milestones)}
    unknown = [key for key in covers if key not in allowed]
    if not unknown:
        return {}
    others = ChronicleEntry.objects.exclude(pk=entry.pk).filter(covers__overlap=unknown).first()
    if others:
        return {
            "covers": _("Another entry already tells of this milestone: %(entry)s.")
            % {"entry": others}
        }
    return {"covers": _("Choose milestones from the list.")}


def do_save_chronicle_entry(form, *, actor) -> ChronicleEntry:
    """Write or correct a chronicle entry (ChronicleEntryForm, VersionedForm)."""
    entry = form.instance
    _raise(coverage_errors(entry, form.cleaned_data.get("covers") or []))
    with transaction.atomic():
        if entry.pk is None:
            entry.created_by = actor
        return save_versioned(form)


def do_add_chronicle_entry(*, actor, covers=(), milestones=None, **fields) -> ChronicleEntry:
    """Add an entry without a form (the demo, an import): checked like the form's.

    `milestones`: the apps' milestones when the caller adds many entries and has computed
    them once (adding an entry changes none of them)."""
    entry = ChronicleEntry(created_by=actor, covers=list(covers), **fields)
    _raise(coverage_errors(entry, entry.covers, milestones))
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        return entry


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


def do_sync_plans(actor=None, participant=None) -> SyncResult:
    """Keep the plan in step with lending, which knows nothing of monitoring (the layers):

    - a household whose equipment has been handed over and that has no plan yet gets its visits
      from its call's rule, counted from the first handover (so a household promoted from the
      reserve list gets its plan from its own handover);
    - a household that stopped taking part (resignation, end, exclusion) has its visits still
      planned cancelled, with the reason and the household that took its place.

    Run for one household when lending says its participation changed (`participant`, see
    `on_participation_changed`), for all of them by `manage.py sync_visit_plans` (records
    written before a rule existed, or outside lending's services), a changed rule and the demo;
    two queries when nothing is to be done."""
    candidates = Participant.objects.all()
    visits_ahead = PlannedVisit.objects.filter(status=PlannedVisit.Status.PLANNED)
    if participant is not None:
        candidates = candidates.filter(pk=participant.pk)
        visits_ahead = visits_ahead.filter(participant=participant)
    until = _durability_end()
    planned = households = cancelled = 0
    with transaction.atomic():
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
            visit.cancelled_on = visit.participant.ended_on or timezone.localdate()
            visit.cancel_reason = _cancel_reason(visit.participant)[:500]
            visit.version += 1
        PlannedVisit.objects.bulk_update(
            stale, ["status", "cancelled_on", "cancel_reason", "version"]
        )
        cancelled = len(stale)
    return SyncResult(planned, households, cancelled)


def on_participation_changed(sender, participant, actor, **kwargs) -> None:
    """lending.signals.participation_changed: the household's plan follows at once, in the
    same transaction as the handover or the end of its participation."""
    do_sync_plans(actor, participant=participant)


def rule_errors(first_within_months, every_months) -> dict:
    errors = {}
    if first_within_months is None or not 1 <= first_within_months <= 24:
        errors["first_within_months"] = _("Give 1 to 24 months.")
    if every_months is None or not 1 <= every_months <= 12:
        errors["every_months"] = _(
            "A household is visited at least once a year: give 1 to 12 months."
        )
    return errors


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
    moved or added by hand stay as they are. Returns the rule and the visits planned anew."""
    _raise(rule_errors(first_within_months, every_months))
    today = timezone.localdate()
    until = _durability_end()
    with transaction.atomic():
        rule = VisitRule.objects.select_for_update().filter(call=call).first()
        if rule is None:
            if expected_version is not None:
                raise ConcurrentEditError
            rule = VisitRule(call=call)
        elif expected_version != rule.version:
            raise ConcurrentEditError
        else:
            rule.version += 1
        rule.first_within_months = first_within_months
        rule.every_months = every_months
        rule.officer = officer
        rule.updated_by = actor
        rule.save()
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
                for visit in _rule_visits(
                    participant, rule, participant.handover, until, since=today
                )
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


def do_add_planned_visit(participant, *, due_on, officer, actor, note="") -> PlannedVisit:
    """The officer adds a visit to a household's plan (an extra check, a follow-up)."""
    _raise(planned_visit_errors(participant, due_on))
    with transaction.atomic():
        return PlannedVisit.objects.create(
            participant=participant,
            due_on=due_on,
            officer=officer,
            origin=PlannedVisit.Origin.OFFICER,
            note=note.strip()[:300],
        )


def do_move_planned_visit(
    planned: PlannedVisit, *, due_on, officer, actor, note="", expected_version=None
) -> PlannedVisit:
    """The officer moves a planned visit to another day or gives it to another officer; the
    rule's date is kept beside it."""
    with transaction.atomic():
        current = PlannedVisit.objects.select_for_update().get(pk=planned.pk)
        if expected_version is not None and expected_version != current.version:
            raise ConcurrentEditError
        _raise(planned_visit_errors(current.participant, due_on, planned=current))
        current.due_on = due_on
        current.officer = officer
        current.note = note.strip()[:300]
        current.version += 1
        current.save(update_fields=["due_on", "officer", "note", "version"])
        return current


# --- the visit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInput:
    """One lent asset as the officer checked it, named by its serial number."""

    serial: str
    state: str
    action: str = AssetCheck.Action.NONE
    note: str = ""


@dataclass(frozen=True)
class FollowUpInput:
    what: str
    responsible: object  # a user
    due_on: datetime.date | None


# How far ahead of its date a planned visit is done by a visit that did not name it.
EARLY_VISIT_MONTHS = 6
# A phone's clock may run a little ahead of the server's.
CLOCK_SLACK = datetime.timedelta(minutes=15)
STATES_ALLOWING = {
    AssetCheck.State.PRESENT: {AssetCheck.Action.NONE},
    AssetCheck.State.IN_SERVICE: {AssetCheck.Action.NONE},
    AssetCheck.State.DAMAGED: {
        AssetCheck.Action.SERVICE,
        AssetCheck.Action.REPAIR_CLAIM,
        AssetCheck.Action.REPLACEMENT_CLAIM,
    },
    AssetCheck.State.MISSING: {AssetCheck.Action.REPLACEMENT_CLAIM, AssetCheck.Action.NONE},
}


def _check_errors(participant, checks, made: bool) -> list[str]:
    lent = {asset.serial_number: asset for asset in lent_assets(participant)}
    errors = []
    seen = set()
    for check in checks:
        serial = check.serial.strip()
        if serial not in lent:
            errors.append(
                _("Serial number %(serial)s is not lent to household %(number)s.")
                % {"serial": serial or "—", "number": participant.application.number}
            )
            continue
        if serial in seen:
            errors.append(_("Serial number %(serial)s is checked twice.") % {"serial": serial})
            continue
        seen.add(serial)
        if check.state not in AssetCheck.State.values:
            errors.append(_("Choose the state of %(serial)s.") % {"serial": serial})
        elif check.action not in STATES_ALLOWING[check.state]:
            if check.state == AssetCheck.State.DAMAGED:
                errors.append(
                    _("%(serial)s is damaged: choose a service record or a damage claim.")
                    % {"serial": serial}
                )
            else:
                errors.append(
                    _("%(serial)s: this action does not fit the state chosen.") % {"serial": serial}
                )
        elif (
            check.state == AssetCheck.State.MISSING
            and check.action == AssetCheck.Action.NONE
            and not check.note.strip()
        ):
            errors.append(
                _(
                    "%(serial)s is missing: open a claim for a new set, or say in the note where "
                    "it is."
                )
                % {"serial": serial}
            )
    if made:
        unchecked = sorted(set(lent) - seen)
        if unchecked:
            errors.append(
                _("Check every lent asset: %(serials)s not checked.")
                % {"serials": ", ".join(unchecked)}
            )
    return errors


def visit_errors(
    participant,
    *,
    visited_at: datetime.datetime | None,
    outcome: str,
    planned=None,
    checks=(),
    connection=None,
    connection_working=None,
    not_sold=None,
    not_lent=None,
    lawful_use=None,
    compliance_note="",
    follow_ups=(),
    next_visit_on=None,
    photos=0,
) -> dict:
    """Everything that makes a visit impossible to record, keyed by the form's fields."""
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not participant.is_active:
        add(
            None,
            _(
                "Household %(number)s does not take part in the project (%(status)s since "
                "%(date)s): a visit cannot be recorded."
            )
            % {
                "number": participant.application.number,
                "status": participant.get_status_display(),
                "date": short_date(participant.ended_on) if participant.ended_on else "—",
            },
        )
        return errors
    made = outcome == MonitoringVisit.Outcome.MADE
    if outcome not in MonitoringVisit.Outcome.values:
        add("outcome", _("Choose the outcome of the visit."))
    visit_day = None
    if visited_at is None:
        add("visited_on", _("Enter the date and time of the visit."))
    else:
        visit_day = timezone.localtime(visited_at).date()
        if visited_at > timezone.now() + CLOCK_SLACK:
            if made:
                add(
                    "visited_on",
                    _("The visit is dated %(date)s, in the future: it cannot be marked as made.")
                    % {
                        "date": date_format(timezone.localtime(visited_at), "SHORT_DATETIME_FORMAT")
                    },
                )
            else:
                add("visited_on", _("A visit cannot be recorded before it happens."))
        elif visit_day < participant.joined_on:
            add(
                "visited_on",
                _("The household takes part from %(date)s: the visit cannot be earlier.")
                % {"date": short_date(participant.joined_on)},
            )
    if planned is not None:
        if planned.participant_id != participant.pk:
            add("planned", _("The planned visit belongs to another household."))
        elif made and planned.status != PlannedVisit.Status.PLANNED:
            add(
                "planned",
                _("The planned visit is already %(status)s.")
                % {"status": planned.get_status_display()},
            )
    if made:
        for message in _check_errors(participant, checks, made):
            add("checks", message)
        if connection is None and connection_working is not None:
            add(
                "connection_working",
                _("No Internet connection of this household is recorded: there is none to check."),
            )
        elif connection is not None and connection_working is None:
            add("connection_working", _("Say whether the connection works."))
        answers = {"not_sold": not_sold, "not_lent": not_lent, "lawful_use": lawful_use}
        for field, answer in answers.items():
            if answer is None:
                add(field, _("Answer this question."))
        if False in answers.values() and not compliance_note.strip():
            add(
                "compliance_note",
                _(
                    "Describe what was found: the proposal to exclude the household for the "
                    "coordinator is made from it."
                ),
            )
    for number, follow_up in enumerate(follow_ups, start=1):
        if not follow_up.what.strip():
            add("follow_ups", _("Follow-up action %(n)d: say what is to be done.") % {"n": number})
        if follow_up.responsible is None or not follow_up.responsible.is_active:
            add(
                "follow_ups",
                _("Follow-up action %(n)d: choose who is responsible.") % {"n": number},
            )
        if follow_up.due_on is None:
            add("follow_ups", _("Follow-up action %(n)d: give the date.") % {"n": number})
        elif visit_day and follow_up.due_on < visit_day:
            add(
                "follow_ups",
                _("Follow-up action %(n)d cannot be due before the visit.") % {"n": number},
            )
    if next_visit_on is not None and visit_day and next_visit_on <= visit_day:
        add("next_visit_on", _("The next visit must come after this one."))
    if photos > photo_rules.PHOTOS_PER_VISIT:
        add(
            "photos",
            _("At most %(n)d photos a visit.") % {"n": photo_rules.PHOTOS_PER_VISIT},
        )
    return errors


def _raise_keyed(errors: dict):
    if errors:
        raise ValidationError({field or "__all__": messages for field, messages in errors.items()})


def _lending(call, serial=None):
    """Run one of lending's services; its refusal becomes the visit's, naming the serial."""
    try:
        return call()
    except ValidationError as error:
        text = " ".join(error.messages)
        if serial:
            text = f"{serial}: {text}"
        raise ValidationError({"checks": [text]}) from error


def _follow_on(visit, check: AssetCheck, asset, actor):
    """A damaged or missing asset changes state in lending, through lending's own services."""
    day = timezone.localtime(visit.visited_at).date()
    description = office_text(
        _("Monitoring visit of %(date)s: %(state)s. %(note)s"),
        date=short_date(day),
        state=check.get_state_display(),
        note=check.note,
    ).strip()
    action = check.action
    if action == AssetCheck.Action.SERVICE:
        check.service_record = _lending(
            lambda: lending_services.do_record_service(
                asset, description, actor, kind=ServiceRecord.Kind.REPAIR, started_on=day
            ),
            check.serial_number,
        )
    elif action in (AssetCheck.Action.REPAIR_CLAIM, AssetCheck.Action.REPLACEMENT_CLAIM):
        replacement = action == AssetCheck.Action.REPLACEMENT_CLAIM
        condition = (
            Asset.Condition.LOST
            if check.state == AssetCheck.State.MISSING
            else (Asset.Condition.DESTROYED if replacement else Asset.Condition.DAMAGED)
        )
        check.damage_claim = _lending(
            lambda: lending_services.do_open_damage_claim(
                asset,
                description,
                actor,
                occurred_on=day,
                kind=DamageClaim.Kind.REPLACEMENT if replacement else DamageClaim.Kind.REPAIR,
                condition=condition,
            ),
            check.serial_number,
        )


def _plan_after_visit(participant, visit, planned, next_visit_on, actor):
    """The visit does its planned visit (the one it was opened from, or the earliest still
    planned up to EARLY_VISIT_MONTHS ahead); the next visit date asked for is planned: an open
    visit within a month of it is moved there, otherwise one is added."""
    day = timezone.localtime(visit.visited_at).date()
    open_visits = PlannedVisit.objects.select_for_update().filter(
        participant=participant, status=PlannedVisit.Status.PLANNED
    )
    if planned is None:
        planned = (
            open_visits.filter(due_on__lte=visit_rules.add_months(day, EARLY_VISIT_MONTHS))
            .order_by("due_on", "pk")
            .first()
        )
    if planned is not None:
        planned.status = PlannedVisit.Status.DONE
        planned.version += 1
        planned.save(update_fields=["status", "version"])
        visit.planned = planned
    if next_visit_on:
        near = (
            open_visits.exclude(pk=getattr(planned, "pk", None))
            .filter(
                due_on__range=(
                    next_visit_on - datetime.timedelta(days=31),
                    next_visit_on + datetime.timedelta(days=31),
                )
            )
            .order_by("due_on")
            .first()
        )
        note = office_text(_("Set at the visit of %(date)s."), date=short_date(day))
        if near is not None:
            near.due_on, near.note = next_visit_on, note
            near.version += 1
            near.save(update_fields=["due_on", "note", "version"])
        else:
            PlannedVisit.objects.create(
                participant=participant,
                due_on=next_visit_on,
                officer=visit.officer,
                origin=PlannedVisit.Origin.OFFICER,
                note=note,
            )


def do_record_visit(
    participant,
    *,
    key,
    actor,
    visited_at: datetime.datetime | None,
    outcome: str,
    officer=None,
    planned: PlannedVisit | None = None,
    present: str = "",
    checks=(),
    connection_working: bool | None = None,
    measured_speed: Decimal | None = None,
    used_by: str = "",
    purposes=(),
    use_note: str = "",
    not_sold: bool | None = None,
    not_lent: bool | None = None,
    lawful_use: bool | None = None,
    compliance_note: str = "",
    findings: str = "",
    follow_ups=(),
    next_visit_on: datetime.date | None = None,
    photos=(),
    signature: bytes | None = None,
    signed_by: str = "",
) -> tuple[MonitoringVisit, bool]:
    """Record a visit as the officer's phone sent it. Returns (visit, created).

    `key` is made by the phone when the form is first opened: a submission sent again (a
    double tap, a retry after a lost connection, a replay) finds the visit it already made and
    changes nothing. Findings that matter change state in lending through its own services: a
    damaged or missing asset opens a service record or a damage claim, a connection that does
    not work reports an outage, a broken obligation opens a proposal to exclude the household
    for the coordinator to decide (never an exclusion). `photos` are photos.CleanImage (EXIF
    already gone); `signature` a cleaned PNG."""
    photos = list(photos)
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=participant.pk)
        )
        existing = MonitoringVisit.objects.filter(key=key).first()
        if existing is not None:
            if existing.participant_id != participant.pk:
                raise ValidationError(
                    _("This form was already sent for another household: open the visit again.")
                )
            return existing, False
        if planned is not None:
            planned = PlannedVisit.objects.select_for_update().get(pk=planned.pk)
        made = outcome == MonitoringVisit.Outcome.MADE
        connection = active_connection(participant) if made else None
        _raise_keyed(
            visit_errors(
                participant,
                visited_at=visited_at,
                outcome=outcome,
                planned=planned,
                checks=checks,
                connection=connection,
                connection_working=connection_working if made else None,
                not_sold=not_sold,
                not_lent=not_lent,
                lawful_use=lawful_use,
                compliance_note=compliance_note,
                follow_ups=follow_ups,
                next_visit_on=next_visit_on,
                photos=len(photos),
            )
        )
        visit = MonitoringVisit(
            key=key,
            participant=participant,
            officer=officer or actor,
            visited_at=visited_at,
            outcome=outcome,
            present=present.strip()[:300],
            findings=findings.strip(),
            next_visit_on=next_visit_on,
            signed_by=signed_by.strip()[:200],
            recorded_by=actor,
        )
        if made:
            visit.connection = connection
            visit.connection_working = connection_working if connection else None
            visit.measured_speed = measured_speed if connection else None
            visit.used_by = used_by.strip()[:300]
            visit.purposes = [p for p in dict.fromkeys(purposes) if p in dict(PURPOSES)]
            visit.use_note = use_note.strip()
            visit.not_sold, visit.not_lent, visit.lawful_use = not_sold, not_lent, lawful_use
            visit.compliance_note = compliance_note.strip()
        visit.save()
        day = timezone.localtime(visited_at).date()
        if made:
            lent = {asset.serial_number: asset for asset in lent_assets(participant)}
            rows = []
            for check in checks:
                asset = lent[check.serial.strip()]
                row = AssetCheck(
                    visit=visit,
                    asset=asset,
                    serial_number=asset.serial_number,
                    state=check.state,
                    action=check.action,
                    note=check.note.strip()[:500],
                )
                _follow_on(visit, row, asset, actor)
                rows.append(row)
            AssetCheck.objects.bulk_create(rows)
            fields = []
            if connection is not None and connection_working is False:
                open_outage = connection.outages.filter(
                    started_on__lte=day, ended_on__isnull=True
                ).first()
                visit.outage = open_outage or _lending(
                    lambda: lending_services.do_report_outage(
                        connection,
                        day,
                        office_text(
                            _("Found at the monitoring visit of %(date)s. %(findings)s"),
                            date=short_date(day),
                            findings=visit.findings,
                        ).strip(),
                        actor,
                    )
                )
                fields.append("outage")
            if visit.broken_obligations:
                pending = participant.exclusion_proposals.filter(
                    status=ExclusionProposal.Status.PENDING
                ).first()
                with translation.override(settings.LANGUAGE_CODE):
                    broken = ", ".join(visit.broken_obligations)
                facts = office_text(
                    _("Monitoring visit of %(date)s: broken — %(broken)s. %(note)s"),
                    date=short_date(day),
                    broken=broken,
                    note=visit.compliance_note,
                )
                visit.exclusion_proposal = pending or _lending(
                    lambda: lending_services.do_propose_exclusion(
                        participant, facts, actor, proposed_on=day
                    )
                )
                fields.append("exclusion_proposal")
            _plan_after_visit(participant, visit, planned, next_visit_on, actor)
            fields.append("planned")
            visit.save(update_fields=fields)
        elif next_visit_on:
            _plan_after_visit(participant, visit, None, next_visit_on, actor)
        FollowUp.objects.bulk_create(
            FollowUp(
                visit=visit,
                participant=participant,
                what=f.what.strip()[:500],
                responsible=f.responsible,
                due_on=f.due_on,
                created_by=actor,
            )
            for f in follow_ups
        )
        saved_files = []
        try:
            for position, photo in enumerate(photos, start=1):
                row = VisitPhoto(
                    visit=visit, position=position, width=photo.width, height=photo.height
                )
                row.image.save("photo.jpg", ContentFile(photo.image), save=False)
                saved_files.append(row.image)
                row.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
                saved_files.append(row.thumbnail)
                row.save()
            if signature:
                visit.signature.save("signature.png", ContentFile(signature), save=False)
                saved_files.append(visit.signature)
                visit.save(update_fields=["signature"])
        except Exception:
            for stored in saved_files:
                stored.delete(save=False)
            raise
        return visit, True


# --- follow-up actions -------------------------------------------------------------------------


def follow_up_errors(*, what, responsible, due_on, status, outcome, closed_on, created_on) -> dict:
    errors = {}
    if not (what or "").strip():
        errors["what"] = _("Say what is to be done.")
    if responsible is None or not responsible.is_active:
        errors["responsible"] = _("Choose who is responsible.")
    if due_on is None:
        errors["due_on"] = _("Enter the date.")
    if status != FollowUp.Status.OPEN:
        if not (outcome or "").strip():
            errors["outcome"] = _("Say how it ended.")
        if closed_on is None:
            errors["closed_on"] = _("Enter the day it was closed.")
        elif closed_on > timezone.localdate():
            errors["closed_on"] = _("The date cannot be in the future.")
        elif created_on and closed_on < created_on:
            errors["closed_on"] = _("It cannot be closed before it was set (%(date)s).") % {
                "date": short_date(created_on)
            }
    return errors


def do_add_follow_up(participant, *, what, responsible, due_on, actor, visit=None) -> FollowUp:
    errors = follow_up_errors(
        what=what,
        responsible=responsible,
        due_on=due_on,
        status=FollowUp.Status.OPEN,
        outcome="",
        closed_on=None,
        created_on=None,
    )
    if not participant.is_active and not errors:
        errors["what"] = _("Household %(number)s no longer takes part.") % {
            "number": participant.application.number
        }
    _raise(errors)
    with transaction.atomic():
        return FollowUp.objects.create(
            visit=visit,
            participant=participant,
            what=what.strip(),
            responsible=responsible,
            due_on=due_on,
            created_by=actor,
        )


def set_on(follow_up) -> datetime.date | None:
    """The day a follow-up was set: its visit's (recorded later when the phone was offline),
    or the day it was entered."""
    if follow_up.visit_id:
        return timezone.localtime(follow_up.visit.visited_at).date()
    return timezone.localtime(follow_up.created_at).date() if follow_up.created_at else None


def do_close_follow_up(follow_up, *, status, outcome, closed_on, actor) -> FollowUp:
    """Close a follow-up action without a form (the demo, an import): checked alike."""
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("visit")
            .get(pk=follow_up.pk)
        )
        if not follow_up.is_open:
            raise ValidationError(_("This follow-up action is already closed."))
        if status == FollowUp.Status.OPEN:
            raise ValidationError({"status": _("Choose how it ended.")})
        _raise(
            follow_up_errors(
                what=follow_up.what,
                responsible=follow_up.responsible,
                due_on=follow_up.due_on,
                status=status,
                outcome=outcome,
                closed_on=closed_on,
                created_on=set_on(follow_up),
            )
        )
        follow_up.status, follow_up.outcome, follow_up.closed_on = (
            status,
            outcome.strip(),
            closed_on,
        )
        follow_up.version += 1
        follow_up.save(update_fields=["status", "outcome", "closed_on", "version"])
        return follow_up


def do_save_follow_up(form, *, actor) -> FollowUp:
    """Change or close a follow-up action (FollowUpForm, VersionedForm): closing it needs the
    outcome and the day; reopening clears the day."""
    follow_up = form.instance
    data = form.cleaned_data
    if data.get("status") == FollowUp.Status.OPEN:
        follow_up.closed_on = None
    created_on = set_on(follow_up)
    _raise(
        follow_up_errors(
            what=data.get("what"),
            responsible=data.get("responsible"),
            due_on=data.get("due_on"),
            status=data.get("status"),
            outcome=data.get("outcome"),
            closed_on=data.get("closed_on"),
            created_on=created_on,
        )
    )
    with transaction.atomic():
        return save_versioned(form)
