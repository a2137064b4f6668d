"""Participants' pages: the list, the household, the end of participation (§7) and the
exclusion proposals."""

from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from pghistory.models import Events

from lebork_einclusion import clock
from lebork_einclusion.access import record_personal_data_access
from lebork_einclusion.dates import short_date
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.search import search_text
from recruitment import domain
from recruitment.models import HouseholdMember, Notification

from .. import queries
from ..forms import (
    EndParticipationForm,
    ExclusionDecisionForm,
    ExclusionProposalForm,
)
from ..models import (
    AssetEvent,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    LoanItem,
    Participant,
    ParticipationEnd,
    PromissoryNote,
)
from ..services.agreements import (
    assets_for_agreement,
    current_agreement,
    note_release_refusal,
    open_items,
)
from ..services.participation import (
    do_decide_exclusion,
    do_end_participation,
    do_propose_exclusion,
    participants_waiting_for_agreement,
)
from ._common import (
    end_or_404,
    participant_crumbs,
    participant_or_404,
    proposal_or_404,
)


def participant_list(request):
    """Participants with their household's applicant and current agreement, filterable by
    status and searchable by registration number or surname."""
    open_agreement = LoanAgreement.objects.filter(
        participant=OuterRef("pk"), status__in=LoanAgreement.OPEN_STATUSES
    )
    participants = (
        Participant.objects.select_related("application", "signatory")
        .annotate(
            agreement_number=Subquery(open_agreement.values("number")[:1]),
            agreement_status=Subquery(open_agreement.values("status")[:1]),
        )
        # The registration order copied onto the participant: one index walks it.
        .order_by("sequence")
    )
    status = request.GET.get("status", "")
    if status in Participant.Status.values:
        participants = participants.filter(status=status)
    query = search_text(request.GET.get("q"))
    if query:
        participants = participants.filter(
            Q(application__number__icontains=query) | Q(signatory__last_name__icontains=query)
        )
    applicant = HouseholdMember.objects.filter(
        application=OuterRef("application_id"), role=domain.APPLICANT
    ).order_by("pk")
    participants = participants.annotate(applicant_name=Subquery(applicant.values("last_name")[:1]))
    page = seek_page(request, participants)
    statuses = dict(LoanAgreement.Status.choices)
    for participant in page:
        participant.agreement_status_label = statuses.get(participant.agreement_status, "")
    return render(
        request,
        "lending/participant_list.html",
        {
            "page": page,
            "statuses": Participant.Status.choices,
            "status": status,
            "q": query,
            "query": query_without_page(request),
            "waiting": participants_waiting_for_agreement().count(),
        },
    )


def participant_detail(request, pk):
    """The household: its agreement, equipment, connection and everything that happened."""
    participant = participant_or_404(pk)
    record_personal_data_access(request, participant.application, kinds=("pesel",))
    agreements = list(
        participant.agreements.select_related("note", "signatory")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=LoanItem.objects.select_related("asset").order_by("asset__serial_number"),
            )
        )
        .order_by("-drafted_on", "-pk")
    )
    connections = list(
        participant.connections.select_related("contract__supplier").prefetch_related("outages")
    )
    connection = queries.active_connection(participant)
    events = AssetEvent.objects.filter(participant=participant).select_related("asset", "actor")
    claims = DamageClaim.objects.filter(agreement__participant=participant).select_related("asset")
    proposals = participant.exclusion_proposals.select_related("proposed_by", "decided_by")
    end = ParticipationEnd.objects.filter(participant=participant).first()
    promoted_by = (
        ParticipationEnd.objects.filter(promoted=participant)
        .select_related("participant__application")
        .first()
    )
    return render(
        request,
        "lending/participant_detail.html",
        {
            "participant": participant,
            "members": participant.application.members.order_by("pk"),
            "agreements": agreements,
            "current": next((a for a in agreements if a.is_open), None),
            "assets": queries.lent_assets(participant),
            "connections": connections,
            "connection": connection,
            "connection_covered": connection
            and queries.contract_covering(connection, clock.today()),
            "events": events,
            "claims": claims,
            "proposals": proposals,
            "end": end,
            "promoted_by": promoted_by,
            "history": Events.objects.references(participant).order_by("-pgh_created_at")[:50],
        },
    )


def participant_end(request, pk):
    """§7: end a household's participation; the place goes to the reserve list."""
    participant = participant_or_404(pk)
    if not participant.is_active:
        messages.error(request, _("The participation of this household has already ended."))
        return redirect("lending:participant_detail", pk)
    form = EndParticipationForm(
        request.POST or None, participant=participant, initial={"decided_on": clock.today()}
    )

    def perform(data):
        end = do_end_participation(
            participant,
            data["kind"],
            data["decided_on"],
            data["reason"],
            statement_on=data["statement_on"],
            return_due_on=data["return_due_on"],
            actor=request.user,
        )
        return reverse("lending:participation_end_detail", args=[end.pk])

    current = current_agreement(participant)
    return form_page(
        request,
        form,
        perform,
        template="lending/participant_end.html",
        success=_("The participation has ended. Next steps are listed below."),
        back=reverse("lending:participant_detail", args=[pk]),
        context={
            "title": _("End the participation of %(number)s")
            % {"number": participant.application.number},
            "lead": f"{participant.signatory.first_name} {participant.signatory.last_name}, {participant.application.address}",
            "crumbs": participant_crumbs(participant),
            "submit": _("End the participation"),
            "participant": participant,
            "agreement": current if current and current.is_open else None,
            "reserve_first": _first_on_reserve(participant),
        },
    )


def _first_on_reserve(participant):
    from recruitment.queries import latest_version

    version = latest_version(participant.application.call)
    if version is None:
        return None
    entry = (
        version.entries.filter(status=domain.RESERVE)
        .select_related("application")
        .order_by("rank")
        .first()
    )
    return entry.application if entry else None


def participation_end_detail(request, pk):
    """What ending a participation did, and the coordinator's next steps."""
    end = end_or_404(pk)
    steps = _next_steps(end)
    return render(
        request,
        "lending/participation_end_detail.html",
        {
            "end": end,
            "steps": [step for step in steps if not step.get("waiting")],
            "later": [step for step in steps if step.get("waiting")],
        },
    )


def _next_steps(end: ParticipationEnd) -> list[dict]:
    """The coordinator's to-do list after a participation ended, each step with its page and
    whether it is done; a step that cannot be taken yet says why ("waiting") and has no page."""
    steps = []
    agreement = end.agreement
    if agreement is not None:
        outstanding = open_items(agreement).count()
        steps.append(
            {
                "text": _(
                    "Collect the equipment by %(date)s and record its return (return protocol)."
                )
                % {"date": short_date(end.return_due_on) if end.return_due_on else "—"},
                "url": ""
                if outstanding == 0
                else reverse("lending:agreement_return", args=[agreement.pk]),
                "done": outstanding == 0,
            }
        )
        note = getattr(agreement, "note", None)
        if note is not None:
            done = note.status != PromissoryNote.Status.IN_CUSTODY
            # §6.8: the note is released only once the obligations end; until then the step
            # is shown as a later one, with the reason, and no link that would only refuse.
            waiting = None if done else note_release_refusal(note)
            steps.append(
                {
                    "text": _(
                        "Return the promissory note %(number)s to the issuer, or destroy it, with a record."
                    )
                    % {"number": note.number},
                    "url": "" if waiting else reverse("lending:note_release", args=[note.pk]),
                    "done": done,
                    "waiting": waiting,
                }
            )
    promoted = end.promoted
    if promoted is None:
        steps.append(
            {
                "text": _(
                    "The reserve list was empty: the place stays open (version %(n)d of the lists)."
                )
                % {"n": end.ranking_version.number},
                "url": reverse(
                    "recruitment:version_detail",
                    args=[end.ranking_version.call_id, end.ranking_version.number],
                ),
                "done": False,
            }
        )
        return steps
    application = promoted.application
    steps.append(
        {
            "text": _("Tell applicant %(number)s (%(name)s) of the promotion and record it.")
            % {
                "number": application.number,
                "name": f"{promoted.signatory.first_name} {promoted.signatory.last_name}",
            },
            "url": reverse("recruitment:application_detail", args=[application.pk])
            + "#notifications",
            "done": Notification.objects.filter(
                application=application, version=end.ranking_version
            ).exists(),
        }
    )
    done = promoted.agreements.exclude(status=LoanAgreement.Status.DRAFT).exists()
    drafted = promoted.agreements.filter(status=LoanAgreement.Status.DRAFT).exists()
    # An agreement needs equipment in stock: with none, the step waits for a return or a delivery.
    waiting = (
        None
        if done or drafted or assets_for_agreement().exists()
        else _("No equipment is in stock to lend yet: it comes with a return or a delivery.")
    )
    steps.append(
        {
            "text": _(
                "Prepare the loan agreement for %(number)s, have it signed with the promissory note, and hand over the equipment."
            )
            % {"number": application.number},
            "url": "" if waiting else reverse("lending:agreement_new", args=[promoted.pk]),
            "done": done,
            "waiting": waiting,
        }
    )
    steps.append(
        {
            "text": _("Order the Internet connection for %(number)s.")
            % {"number": application.number},
            "url": reverse("lending:connection_new", args=[promoted.pk]),
            "done": promoted.connections.exists(),
        }
    )
    return steps


def exclusion_propose(request, pk):
    participant = participant_or_404(pk)
    form = ExclusionProposalForm(request.POST or None, initial={"proposed_on": clock.today()})

    def perform(data):
        do_propose_exclusion(participant, data["facts"], data["proposed_on"], actor=request.user)
        return reverse("lending:participant_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The proposal has been sent to the coordinator."),
        back=reverse("lending:participant_detail", args=[pk]),
        context={
            "title": _("Propose excluding %(number)s") % {"number": participant.application.number},
            "intro": _("The proposal does not exclude anybody: the coordinator decides (§7.4)."),
            "crumbs": participant_crumbs(participant),
            "submit": _("Send the proposal"),
        },
    )


def exclusion_list(request):
    proposals = ExclusionProposal.objects.select_related(
        "participant__application", "participant__signatory", "proposed_by", "decided_by"
    ).order_by("status", "-proposed_on")
    pending = request.GET.get("status") == ExclusionProposal.Status.PENDING
    if pending:
        proposals = proposals.filter(pk__in=queries.exclusions_to_decide().values("pk"))
    page = seek_page(request, proposals)
    return render(
        request,
        "lending/exclusion_list.html",
        {"page": page, "pending": pending, "query": query_without_page(request)},
    )


def exclusion_decide(request, pk):
    proposal = proposal_or_404(pk)
    if proposal.status != ExclusionProposal.Status.PENDING:
        messages.info(request, _("This proposal has already been decided."))
        return redirect("lending:participant_detail", proposal.participant_id)
    form = ExclusionDecisionForm(request.POST or None, initial={"decided_on": clock.today()})

    def perform(data):
        do_decide_exclusion(
            proposal,
            data["decision"] == "accept",
            data["reason"],
            decided_on=data["decided_on"],
            return_due_on=data["return_due_on"],
            actor=request.user,
        )
        end = ParticipationEnd.objects.filter(exclusion_proposal=proposal).first()
        if end:
            return reverse("lending:participation_end_detail", args=[end.pk])
        return reverse("lending:participant_detail", args=[proposal.participant_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/exclusion_decide.html",
        success=_("The decision has been recorded."),
        back=reverse("lending:exclusion_list"),
        context={
            "title": _("Decide on excluding %(number)s")
            % {"number": proposal.participant.application.number},
            "crumbs": [(_("Exclusion proposals"), reverse("lending:exclusion_list"))],
            "submit": _("Record the decision"),
            "proposal": proposal,
        },
    )
