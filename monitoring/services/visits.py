"""The home visit as the officer's phone sends it, and what its findings change in lending.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.office_language import office_text
from lebork_einclusion.records import save_changed, service
from lending import services as lending_services
from lending.models import (
    Asset,
    DamageClaim,
    ExclusionProposal,
    Participant,
    ServiceRecord,
)
from lending.queries import active_connection, lent_assets

from .. import papers, visit_rules
from .. import photos as photo_rules
from ..models import (
    PURPOSES,
    AssetCheck,
    FollowUp,
    MonitoringVisit,
    PlannedVisit,
    VisitPhoto,
)
from .errors import raise_keyed

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
        visit_day = clock.day_of(visited_at)
        if visited_at > clock.now() + CLOCK_SLACK:
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
    day = clock.day_of(visit.visited_at)
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
                asset, description, kind=ServiceRecord.Kind.REPAIR, started_on=day, actor=actor
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
                occurred_on=day,
                kind=DamageClaim.Kind.REPLACEMENT if replacement else DamageClaim.Kind.REPAIR,
                condition=condition,
                actor=actor,
            ),
            check.serial_number,
        )


def _plan_after_visit(participant, visit, planned, next_visit_on, actor):
    """The visit does its planned visit (the one it was opened from, or the earliest still
    planned up to EARLY_VISIT_MONTHS ahead); the next visit date asked for is planned: an open
    visit within a month of it is moved there, otherwise one is added."""
    day = clock.day_of(visit.visited_at)
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
        save_changed(planned, "status")
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
            save_changed(near, "due_on", "note")
        else:
            PlannedVisit.objects.create(
                participant=participant,
                due_on=next_visit_on,
                officer=visit.officer,
                origin=PlannedVisit.Origin.OFFICER,
                note=note,
            )


@service
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
    raise_keyed(
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
    day = clock.day_of(visited_at)
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
                    actor=actor,
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
                    participant, facts, proposed_on=day, actor=actor
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
            row = VisitPhoto(visit=visit, position=position, width=photo.width, height=photo.height)
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
    papers.archive_visit(visit, actor=actor)
    return visit, True
