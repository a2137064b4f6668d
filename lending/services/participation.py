"""The households taking part: enrolment from the approved main list, the end of participation
(§7: resignation, termination, exclusion) with the promotion from the reserve list, and the
proposals to exclude a household."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.office_language import office_text
from lebork_einclusion.records import locked, save_changed, service
from recruitment.models import Application
from recruitment.services import do_promote_from_reserve

from ..models import (
    Connection,
    ExclusionProposal,
    LoanAgreement,
    Participant,
    ParticipationEnd,
)
from ..queries import default_signatory, is_on_main_list
from ..signals import participation_changed
from ._common import not_in_future
from .agreements import end_agreement, open_items


@service
def do_enrol(
    application: Application, joined_on: datetime.date, signatory=None, *, actor
) -> Participant:
    """An applicant on the approved main list becomes a participant."""
    if not is_on_main_list(application):
        raise ValidationError(
            _("Application %(number)s is not on the approved main list: it cannot take part.")
            % {"number": application.number}
        )
    if Participant.objects.filter(application=application).exists():
        raise ValidationError(
            _("Application %(number)s already takes part.") % {"number": application.number}
        )
    signatory = signatory or default_signatory(application)
    if signatory is None or signatory.application_id != application.pk:
        raise ValidationError(_("The signatory must be a member of the household."))
    return Participant.objects.create(
        application=application,
        signatory=signatory,
        joined_on=joined_on,
        phone=application.phone,
    )


END_STATUS = {
    ParticipationEnd.Kind.RESIGNATION: Participant.Status.RESIGNED,
    ParticipationEnd.Kind.TERMINATION: Participant.Status.TERMINATED,
    ParticipationEnd.Kind.EXCLUSION: Participant.Status.EXCLUDED,
}


def end_participation_errors(
    participant: Participant,
    *,
    kind: str | None,
    decided_on: datetime.date | None,
    reason: str | None,
    statement_on: datetime.date | None,
    return_due_on: datetime.date | None,
) -> dict[str, list[str]]:
    """Every reason to refuse ending the participation with these values, by field, all at
    once: the form shows them together with its own (a value it could not read comes as None
    and is not checked further), and do_end_participation refuses with the same ones."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = clock.today()
    if kind is not None and kind not in END_STATUS:
        add("kind", _("Choose how the participation ends."))
    if reason is not None and not reason.strip():
        add("reason", _("Give the reason or the facts."))
    if kind == ParticipationEnd.Kind.RESIGNATION and statement_on is None:
        add(
            "statement_on",
            _("A resignation is made in writing (§7.2): give the date of the letter."),
        )
    if kind == ParticipationEnd.Kind.TERMINATION and statement_on is None:
        add(
            "statement_on",
            _(
                "The participant reports that the criteria are no longer met in a written "
                "statement (§7.3): give its date."
            ),
        )
    if decided_on is not None:
        if decided_on > today:
            add(
                "decided_on",
                _("%(label)s cannot be in the future.") % {"label": _("The date of the end")},
            )
        elif decided_on < participant.joined_on:
            add("decided_on", _("The participation cannot end before it began."))
        else:
            agreement = (
                LoanAgreement.objects.filter(
                    participant=participant, status__in=LoanAgreement.OPEN_STATUSES
                )
                .only("signed_on", "handed_over_on")
                .first()
            )
            if agreement and agreement.signed_on and decided_on < agreement.signed_on:
                add("decided_on", _("The agreement cannot end before it was signed."))
            elif agreement and agreement.handed_over_on and decided_on < agreement.handed_over_on:
                add("decided_on", _("The agreement cannot end before the handover."))
    if statement_on is not None:
        if statement_on > today:
            add(
                "statement_on",
                _("%(label)s cannot be in the future.") % {"label": _("The date of the statement")},
            )
        elif decided_on is not None and statement_on > decided_on:
            add("statement_on", _("The statement cannot be dated after the end."))
    if return_due_on is not None and decided_on is not None and return_due_on < decided_on:
        add("return_due_on", _("The return cannot be due before the end."))
    return errors


@service
def do_end_participation(
    participant: Participant,
    kind: str,
    decided_on: datetime.date,
    reason: str,
    *,
    actor,
    statement_on: datetime.date | None = None,
    return_due_on: datetime.date | None = None,
    proposal: ExclusionProposal | None = None,
) -> ParticipationEnd:
    """§7 in one transaction: the household's participation ends (resignation, criteria no
    longer met, exclusion), its agreement is terminated and the return of the equipment
    scheduled, its connection ends, the place goes to the first on the reserve list as a new
    version of the lists, and the promoted household is enrolled, waiting for its agreement.
    With an empty reserve list the place stays open (a version of kind "vacancy")."""
    participant = locked(participant)
    if not participant.is_active:
        raise ValidationError(
            _("The participation of %(number)s has already ended (%(status)s, %(date)s).")
            % {
                "number": participant.application.number,
                "status": participant.get_status_display(),
                "date": short_date(participant.ended_on) if participant.ended_on else "—",
            }
        )
    errors = end_participation_errors(
        participant,
        kind=kind,
        decided_on=decided_on,
        reason=reason,
        statement_on=statement_on,
        return_due_on=return_due_on,
    )
    if errors:
        raise ValidationError(errors)
    agreement = (
        LoanAgreement.objects.select_for_update()
        .filter(participant=participant, status__in=LoanAgreement.OPEN_STATUSES)
        .first()
    )
    due = None
    label = ParticipationEnd.Kind(kind).label
    if agreement is not None:
        due = end_agreement(
            agreement,
            decided_on,
            office_text("%(kind)s: %(reason)s", kind=label, reason=reason.strip()),
            terminated=True,
            return_due_on=return_due_on,
        )
        if not open_items(agreement).exists():
            due = None
    for connection in (
        Connection.objects.select_for_update()
        .filter(participant=participant)
        .exclude(status=Connection.Status.ENDED)
    ):
        connection.status, connection.status_since = Connection.Status.ENDED, decided_on
        connection.status_note = office_text(_("Participation ended: %(kind)s."), kind=label)
        save_changed(connection, "status", "status_since", "status_note")
    participant.status = END_STATUS[kind]
    participant.ended_on, participant.end_reason = decided_on, reason.strip()
    save_changed(participant, "status", "ended_on", "end_reason")
    application = participant.application
    promotion = do_promote_from_reserve(
        application,
        office_text("%(kind)s: %(reason)s", kind=label, reason=reason.strip()),
        actor=actor,
        decided_on=decided_on,
    )
    promoted = (
        do_enrol(promotion.promoted, decided_on, actor=actor)
        if promotion.promoted is not None
        else None
    )
    end = ParticipationEnd.objects.create(
        participant=participant,
        kind=kind,
        decided_on=decided_on,
        statement_on=statement_on,
        reason=reason.strip(),
        agreement=agreement,
        return_due_on=due,
        exclusion_proposal=proposal,
        ranking_version=promotion.version,
        promoted=promoted,
        recorded_by=actor,
    )
    participation_changed.send(Participant, participant=participant, actor=actor)
    return end


@service
def do_propose_exclusion(
    participant: Participant, facts: str, proposed_on: datetime.date | None = None, *, actor
) -> ExclusionProposal:
    """Propose excluding a household (§7.4) with the facts found (a monitoring visit, a report).
    It never excludes by itself: the coordinator decides (do_decide_exclusion)."""
    participant = locked(participant)
    if not facts.strip():
        raise ValidationError(
            {"facts": _("Describe the facts: which obligation was broken, when, how it was found.")}
        )
    if not participant.is_active:
        raise ValidationError(_("The household no longer takes part."))
    if participant.exclusion_proposals.filter(status=ExclusionProposal.Status.PENDING).exists():
        raise ValidationError(
            _("A proposal to exclude this household is already waiting for the coordinator.")
        )
    proposed_on = proposed_on or clock.today()
    not_in_future("proposed_on", proposed_on, _("The date"))
    return ExclusionProposal.objects.create(
        participant=participant, facts=facts.strip(), proposed_by=actor, proposed_on=proposed_on
    )


@service
def do_decide_exclusion(
    proposal: ExclusionProposal,
    accept: bool,
    reason: str,
    *,
    actor,
    decided_on: datetime.date | None = None,
    return_due_on: datetime.date | None = None,
) -> ExclusionProposal:
    """The coordinator's decision: accepted, the household is excluded through
    do_end_participation (agreement, return, promotion); rejected, with the reason."""
    proposal = locked(proposal)
    if proposal.status != ExclusionProposal.Status.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    decided_on = decided_on or clock.today()
    if decided_on < proposal.proposed_on:
        raise ValidationError({"decided_on": _("The decision cannot be before the proposal.")})
    proposal.status = (
        ExclusionProposal.Status.ACCEPTED if accept else ExclusionProposal.Status.REJECTED
    )
    proposal.decided_by, proposal.decided_on, proposal.decision_reason = (
        actor,
        decided_on,
        reason.strip(),
    )
    proposal.save()
    if accept:
        do_end_participation(
            proposal.participant,
            ParticipationEnd.Kind.EXCLUSION,
            decided_on,
            f"{proposal.facts}\n{reason.strip()}",
            return_due_on=return_due_on,
            proposal=proposal,
            actor=actor,
        )
    return proposal


def participants_waiting_for_agreement():
    """Active households without an agreement in force (a promoted household, for one)."""
    # The flag the database keeps (Participant.has_open_agreement): one partial index's rows.
    return (
        Participant.objects.active()
        .filter(has_open_agreement=False)
        .select_related("application", "signatory")
        .order_by("sequence")  # the registration order, copied onto the participant
    )
