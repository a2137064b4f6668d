"""Lending screens: thin function views over services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pghistory.models import Events

from lebork_einclusion import clock
from lebork_einclusion.access import get_object_for_user, record_personal_data_access
from lebork_einclusion.concurrency import ConcurrentEditError
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.paging import page_of, query_without_page
from lebork_einclusion.pdf import pdf_response
from lebork_einclusion.search import search_text
from lebork_einclusion.tables import read_table, xlsx_response
from recruitment import domain
from recruitment.models import Call, HouseholdMember, Notification

from . import papers, queries
from .forms import (
    AgreementForm,
    AssetForm,
    CloseOutageForm,
    CompleteServiceForm,
    ConnectionForm,
    ConnectionStatusForm,
    DamageClaimForm,
    DateAndNoteForm,
    DeliveryImportForm,
    EndAgreementForm,
    EndParticipationForm,
    ExclusionDecisionForm,
    ExclusionProposalForm,
    HandoverForm,
    NoteReleaseForm,
    OutageForm,
    PlaceInUnitForm,
    ReturnForm,
    ServiceForm,
    SettleClaimForm,
    SignForm,
    WriteOffForm,
)
from .models import (
    Asset,
    AssetEvent,
    Connection,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    LoanItem,
    Outage,
    Participant,
    ParticipationEnd,
    PromissoryNote,
    ServiceRecord,
)
from .services import agreements, connections, equipment, participation

# --- object access: one helper per object kind -------------------------------------------------


def _participant(request, pk) -> Participant:
    queryset = Participant.objects.select_related("application__call", "signatory")
    return get_object_for_user(request.user, queryset, pk=pk)


def _agreement(request, pk) -> LoanAgreement:
    queryset = LoanAgreement.objects.select_related(
        "participant__application__call", "signatory", "note", "created_by"
    )
    return get_object_for_user(request.user, queryset, pk=pk)


def _asset(request, pk) -> Asset:
    return get_object_for_user(
        request.user, Asset.objects.with_holder().select_related("insurance_contract"), pk=pk
    )


def _note(request, pk) -> PromissoryNote:
    queryset = PromissoryNote.objects.select_related(
        "agreement__participant__application", "issuer"
    )
    return get_object_for_user(request.user, queryset, pk=pk)


def _connection(request, pk) -> Connection:
    queryset = Connection.objects.select_related(
        "participant__application", "participant__signatory", "public_unit", "contract__supplier"
    )
    return get_object_for_user(request.user, queryset, pk=pk)


def _claim(request, pk) -> DamageClaim:
    queryset = DamageClaim.objects.select_related("asset", "agreement", "note")
    return get_object_for_user(request.user, queryset, pk=pk)


def _service(request, pk) -> ServiceRecord:
    return get_object_for_user(request.user, ServiceRecord.objects.select_related("asset"), pk=pk)


def _outage(request, pk) -> Outage:
    return get_object_for_user(request.user, Outage.objects.select_related("connection"), pk=pk)


def _proposal(request, pk) -> ExclusionProposal:
    queryset = ExclusionProposal.objects.select_related(
        "participant__application", "participant__signatory", "proposed_by", "decided_by"
    )
    return get_object_for_user(request.user, queryset, pk=pk)


def _end(request, pk) -> ParticipationEnd:
    queryset = ParticipationEnd.objects.select_related(
        "participant__application",
        "participant__signatory",
        "agreement__note",
        "ranking_version__call",
        "promoted__application",
        "promoted__signatory",
        "recorded_by",
    )
    return get_object_for_user(request.user, queryset, pk=pk)


# --- shared pieces --------------------------------------------------------------------------------


def _today():
    return clock.today()


def _form_page(
    request,
    form,
    perform,
    *,
    title,
    back,
    success,
    crumbs=(),
    lead="",
    intro="",
    submit=None,
    template="lending/form.html",
    extra=None,
):
    """A page with one form: on a valid POST the service runs (it checks everything again in
    its transaction); a refusal goes next to the field it names and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            target = perform(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, success)
            return redirect(target or back)
    context = {
        "form": form,
        "title": title,
        "lead": lead,
        "intro": intro,
        "submit": submit or _("Save"),
        "back": back,
        "crumbs": crumbs,
        "multipart": form.is_multipart(),
    }
    context.update(extra or {})
    return render(request, template, context)


def _participant_crumbs(participant):
    return [
        (_("Participants"), reverse("lending:participant_list")),
        (
            participant.application.number,
            reverse("lending:participant_detail", args=[participant.pk]),
        ),
    ]


def _agreement_crumbs(agreement):
    return [
        (_("Loan agreements"), reverse("lending:agreement_list")),
        (agreement.number, reverse("lending:agreement_detail", args=[agreement.pk])),
    ]


def _asset_crumbs(asset):
    return [
        (_("Equipment"), reverse("lending:asset_list")),
        (asset.serial_number, reverse("lending:asset_detail", args=[asset.pk])),
    ]


# --- participants --------------------------------------------------------------------------------


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
        .order_by("application__sequence")
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
    page = page_of(request, participants)
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
            "waiting": participation.participants_waiting_for_agreement().count(),
        },
    )


def participant_detail(request, pk):
    """The household: its agreement, equipment, connection and everything that happened."""
    participant = _participant(request, pk)
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
            "connection": queries.active_connection(participant),
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
    participant = _participant(request, pk)
    if not participant.is_active:
        messages.error(request, _("The participation of this household has already ended."))
        return redirect("lending:participant_detail", pk)
    form = EndParticipationForm(request.POST or None, initial={"decided_on": _today()})

    def perform(data):
        end = participation.do_end_participation(
            participant,
            data["kind"],
            data["decided_on"],
            data["reason"],
            statement_on=data["statement_on"],
            return_due_on=data["return_due_on"],
            actor=request.user,
        )
        return reverse("lending:participation_end_detail", args=[end.pk])

    current = agreements.current_agreement(participant)
    return _form_page(
        request,
        form,
        perform,
        title=_("End the participation of %(number)s") % {"number": participant.application.number},
        lead=f"{participant.signatory.first_name} {participant.signatory.last_name}, {participant.application.address}",
        back=reverse("lending:participant_detail", args=[pk]),
        crumbs=_participant_crumbs(participant),
        submit=_("End the participation"),
        success=_("The participation has ended. Next steps are listed below."),
        template="lending/participant_end.html",
        extra={
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
    end = _end(request, pk)
    return render(
        request,
        "lending/participation_end_detail.html",
        {"end": end, "steps": _next_steps(end)},
    )


def _next_steps(end: ParticipationEnd) -> list[dict]:
    """The coordinator's to-do list after a participation ended, each step with its page and
    whether it is done."""
    steps = []
    agreement = end.agreement
    if agreement is not None:
        outstanding = agreements.open_items(agreement).count()
        steps.append(
            {
                "text": _(
                    "Collect the equipment by %(date)s and record its return (return protocol)."
                )
                % {"date": end.return_due_on.strftime("%d.%m.%Y") if end.return_due_on else "—"},
                "url": reverse("lending:agreement_return", args=[agreement.pk]),
                "done": outstanding == 0,
            }
        )
        note = getattr(agreement, "note", None)
        if note is not None:
            steps.append(
                {
                    "text": _(
                        "Return the promissory note %(number)s to the issuer, or destroy it, with a record."
                    )
                    % {"number": note.number},
                    "url": reverse("lending:note_release", args=[note.pk]),
                    "done": note.status != PromissoryNote.Status.IN_CUSTODY,
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
    steps.append(
        {
            "text": _(
                "Prepare the loan agreement for %(number)s, have it signed with the promissory note, and hand over the equipment."
            )
            % {"number": application.number},
            "url": reverse("lending:agreement_new", args=[promoted.pk]),
            "done": promoted.agreements.exclude(status=LoanAgreement.Status.DRAFT).exists(),
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


# --- exclusion ----------------------------------------------------------------------------------


def exclusion_propose(request, pk):
    participant = _participant(request, pk)
    form = ExclusionProposalForm(request.POST or None, initial={"proposed_on": _today()})

    def perform(data):
        participation.do_propose_exclusion(
            participant, data["facts"], data["proposed_on"], actor=request.user
        )
        return reverse("lending:participant_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Propose excluding %(number)s") % {"number": participant.application.number},
        intro=_("The proposal does not exclude anybody: the coordinator decides (§7.4)."),
        back=reverse("lending:participant_detail", args=[pk]),
        crumbs=_participant_crumbs(participant),
        submit=_("Send the proposal"),
        success=_("The proposal has been sent to the coordinator."),
    )


def exclusion_list(request):
    proposals = ExclusionProposal.objects.select_related(
        "participant__application", "participant__signatory", "proposed_by", "decided_by"
    ).order_by("status", "-proposed_on")
    page = page_of(request, proposals)
    return render(request, "lending/exclusion_list.html", {"page": page, "query": ""})


def exclusion_decide(request, pk):
    proposal = _proposal(request, pk)
    if proposal.status != ExclusionProposal.Status.PENDING:
        messages.info(request, _("This proposal has already been decided."))
        return redirect("lending:participant_detail", proposal.participant_id)
    form = ExclusionDecisionForm(request.POST or None, initial={"decided_on": _today()})

    def perform(data):
        participation.do_decide_exclusion(
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

    return _form_page(
        request,
        form,
        perform,
        title=_("Decide on excluding %(number)s")
        % {"number": proposal.participant.application.number},
        back=reverse("lending:exclusion_list"),
        crumbs=[(_("Exclusion proposals"), reverse("lending:exclusion_list"))],
        submit=_("Record the decision"),
        success=_("The decision has been recorded."),
        template="lending/exclusion_decide.html",
        extra={"proposal": proposal},
    )


# --- agreements ---------------------------------------------------------------------------------


def agreement_list(request):
    agreements = LoanAgreement.objects.select_related(
        "participant__application", "signatory", "note"
    ).annotate(item_count=Count("items"))
    status = request.GET.get("status", "")
    if status in LoanAgreement.Status.values:
        agreements = agreements.filter(status=status)
    query = search_text(request.GET.get("q"))
    if query:
        agreements = agreements.filter(
            Q(number__icontains=query)
            | Q(participant__application__number__icontains=query)
            | Q(signatory__last_name__icontains=query)
            | Q(items__asset__serial_number__iexact=query)
        ).distinct()
    page = page_of(request, agreements.order_by("number"))
    return render(
        request,
        "lending/agreement_list.html",
        {
            "page": page,
            "statuses": LoanAgreement.Status.choices,
            "status": status,
            "q": query,
            "query": query_without_page(request),
            "calls": Call.objects.order_by("-opens_on"),
            "waiting": participation.participants_waiting_for_agreement()[:20],
        },
    )


def agreements_batch_pdf(request):
    """All the agreements of a call in one PDF, made in the background (POST starts it)."""
    if request.method != "POST":
        return redirect("lending:agreement_list")
    call = Call.objects.filter(pk=request.POST.get("call") or 0).first()
    if call is None:
        messages.error(request, _("Choose the call."))
        return redirect("lending:agreement_list")
    if not papers.call_agreements(call.pk).exists():
        messages.error(
            request, _("Call %(code)s has no agreements to print.") % {"code": call.code}
        )
        return redirect("lending:agreement_list")
    # The agreements name every borrower with a PESEL.
    record_personal_data_access(request, call, kinds=("pesel",))
    generated = papers.start_call_agreements(request.user, call)
    return redirect("core:generated_file", generated.pk)


def agreement_new(request, pk):
    participant = _participant(request, pk)
    form = AgreementForm(
        request.POST or None,
        assets=agreements.assets_for_agreement(),
        initial={"drafted_on": _today()},
    )

    def perform(data):
        agreement = agreements.do_create_agreement(
            participant, list(data["assets"]), data["drafted_on"], actor=request.user
        )
        return reverse("lending:agreement_detail", args=[agreement.pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Loan agreement for %(number)s") % {"number": participant.application.number},
        lead=f"{participant.signatory.first_name} {participant.signatory.last_name}, {participant.application.address}",
        intro=_(
            "The agreement is prepared as a draft: print it, have it signed with the promissory note, then record the signature and the handover."
        ),
        back=reverse("lending:participant_detail", args=[pk]),
        crumbs=_participant_crumbs(participant),
        submit=_("Prepare the agreement"),
        success=_("The agreement has been prepared."),
    )


def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    items = list(agreement.items.select_related("asset").order_by("asset__serial_number"))
    note = getattr(agreement, "note", None)
    return render(
        request,
        "lending/agreement_detail.html",
        {
            "agreement": agreement,
            "participant": agreement.participant,
            "items": items,
            "note": note,
            "total": sum((item.asset.value for item in items), start=0),
            "outstanding": [i for i in items if i.handed_over_on and not i.returned_on],
            "claims": agreement.claims.select_related("asset"),
            "release_refusal": agreements.note_release_refusal(note) if note else None,
            "sign_form": SignForm(initial={"signed_on": _today()}),
            "handover_form": HandoverForm(initial={"handed_over_on": _today()}),
        },
    )


def _agreement_step(
    request, pk, form_class, perform_step, *, title, submit, success, initial=None, intro=""
):
    agreement = _agreement(request, pk)
    form = form_class(request.POST or None, initial=initial or {})

    def perform(data):
        perform_step(agreement, data)
        return reverse("lending:agreement_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=title % {"number": agreement.number},
        lead=f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
        intro=intro,
        back=reverse("lending:agreement_detail", args=[pk]),
        crumbs=_agreement_crumbs(agreement),
        submit=submit,
        success=success,
    )


def agreement_sign(request, pk):
    return _agreement_step(
        request,
        pk,
        SignForm,
        lambda agreement, data: agreements.do_sign_agreement(
            agreement,
            data["signed_on"],
            spouse_name=data["spouse_name"],
            custody_location=data["custody_location"],
            actor=request.user,
        ),
        title=_("Signature of agreement %(number)s"),
        intro=_(
            "The household signs the agreement and hands in the blank promissory note with its declaration; the note goes into safe custody."
        ),
        submit=_("Record the signature"),
        success=_("The signature and the promissory note have been recorded."),
        initial={"signed_on": _today()},
    )


def agreement_handover(request, pk):
    return _agreement_step(
        request,
        pk,
        HandoverForm,
        lambda agreement, data: agreements.do_hand_over(
            agreement, data["handed_over_on"], actor=request.user
        ),
        title=_("Handover of the equipment of agreement %(number)s"),
        submit=_("Record the handover"),
        success=_("The handover has been recorded; the 3 years of the loan run from it."),
        initial={"handed_over_on": _today()},
    )


def agreement_end(request, pk):
    return _agreement_step(
        request,
        pk,
        EndAgreementForm,
        lambda agreement, data: agreements.do_end_agreement(
            agreement,
            data["ended_on"],
            data["reason"],
            return_due_on=data["return_due_on"],
            actor=request.user,
        ),
        title=_("End agreement %(number)s"),
        intro=_(
            "For the end of the term. When a household resigns, stops meeting the criteria or is excluded, end its participation instead: the place then goes to the reserve list."
        ),
        submit=_("End the agreement"),
        success=_("The agreement has ended; the return of the equipment is scheduled."),
        initial={"ended_on": _today()},
    )


@require_POST
def agreement_cancel(request, pk):
    agreement = _agreement(request, pk)
    participant = agreement.participant_id
    try:
        agreements.do_cancel_draft(agreement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("lending:agreement_detail", pk)
    messages.success(request, _("The draft has been cancelled."))
    return redirect("lending:participant_detail", participant)


def agreement_return(request, pk):
    agreement = _agreement(request, pk)
    items = list(
        agreements.open_items(agreement).select_related("asset").order_by("asset__serial_number")
    )
    if not items:
        messages.info(
            request,
            _("Nothing of agreement %(number)s is out: there is nothing to return.")
            % {"number": agreement.number},
        )
        return redirect("lending:agreement_detail", pk)
    form = ReturnForm(request.POST or None, items=items, initial={"returned_on": _today()})

    def perform(data):
        agreements.do_record_return(
            agreement, form.returns(), data["returned_on"], actor=request.user
        )
        return reverse("lending:agreement_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Return of the equipment of agreement %(number)s") % {"number": agreement.number},
        lead=f"{agreement.signatory.first_name} {agreement.signatory.last_name}",
        back=reverse("lending:agreement_detail", args=[pk]),
        crumbs=_agreement_crumbs(agreement),
        submit=_("Record the return"),
        success=_("The return has been recorded; print the return protocol."),
        template="lending/agreement_return.html",
    )


def _agreement_paper(request, pk, build, what):
    agreement = _agreement(request, pk)
    record_personal_data_access(request, agreement.participant.application, kinds=("pesel",))
    return pdf_response(build(agreement), papers.filename(agreement, what))


def agreement_pdf(request, pk):
    """The agreement with its declaration and handover protocol: one click, one PDF."""
    return _agreement_paper(request, pk, papers.agreement_pdf, "umowa-uzyczenia")


def declaration_pdf(request, pk):
    return _agreement_paper(request, pk, papers.declaration_pdf, "deklaracja-wekslowa")


def handover_pdf(request, pk):
    return _agreement_paper(request, pk, papers.handover_pdf, "protokol-przekazania")


def return_pdf(request, pk):
    return _agreement_paper(request, pk, papers.return_pdf, "protokol-zwrotu")


# --- promissory notes ---------------------------------------------------------------------------


def note_list(request):
    """The register of promissory notes: where each is kept, and what became of it."""
    notes = PromissoryNote.objects.select_related(
        "agreement__participant__application", "issuer"
    ).order_by("number")
    status = request.GET.get("status", "")
    if status in PromissoryNote.Status.values:
        notes = notes.filter(status=status)
    page = page_of(request, notes)
    return render(
        request,
        "lending/note_list.html",
        {
            "page": page,
            "statuses": PromissoryNote.Status.choices,
            "status": status,
            "query": query_without_page(request),
        },
    )


def note_release(request, pk):
    note = _note(request, pk)
    refusal = agreements.note_release_refusal(note)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect("lending:agreement_detail", note.agreement_id)
    form = NoteReleaseForm(request.POST or None, initial={"released_on": _today()})

    def perform(data):
        agreements.do_release_note(
            note, data["status"], data["released_on"], data["record"], actor=request.user
        )
        return reverse("lending:agreement_detail", args=[note.agreement_id])

    return _form_page(
        request,
        form,
        perform,
        title=_("Promissory note %(number)s: return or destruction") % {"number": note.number},
        lead=f"{note.issuer.first_name} {note.issuer.last_name}",
        back=reverse("lending:agreement_detail", args=[note.agreement_id]),
        crumbs=_agreement_crumbs(note.agreement),
        submit=_("Record"),
        success=_("The promissory note has been released."),
    )


# --- equipment ------------------------------------------------------------------------------------


def _asset_rows(request):
    """The asset register filtered by status, kind, holder and serial."""
    assets = Asset.objects.with_holder()
    status = request.GET.get("status", "")
    if status in Asset.Status.values:
        assets = assets.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Asset.Kind.values:
        assets = assets.filter(kind=kind)
    holder = request.GET.get("holder", "")
    if holder == "household":
        assets = assets.filter(participant__isnull=False)
    elif holder == "stock":
        assets = assets.filter(participant__isnull=True, public_unit__isnull=True)
    elif holder.startswith("unit-") and holder[5:].isdigit():
        assets = assets.filter(public_unit_id=int(holder[5:]))
    query = search_text(request.GET.get("q"))
    if query:
        assets = assets.filter(
            Q(serial_number__icontains=query) | Q(inventory_number__icontains=query)
        )
    filters = {"status": status, "kind": kind, "holder": holder, "q": query}
    return assets.order_by("serial_number"), filters


def asset_list(request):
    assets, filters = _asset_rows(request)
    page = page_of(request, assets)
    return render(
        request,
        "lending/asset_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Asset.Status.choices,
            "kinds": Asset.Kind.choices,
            "units": PublicUnit.objects.order_by("name"),
            "query": query_without_page(request),
        },
    )


def asset_export(request):
    """The asset register as a spreadsheet (the list's filters apply)."""
    assets, _filters = _asset_rows(request)
    headers = [
        _("Serial number"),
        _("Inventory number"),
        _("Kind"),
        _("Make and model"),
        _("Value, gross (PLN)"),
        _("Delivered on"),
        _("Contract"),
        _("Supplier"),
        _("Warranty until"),
        _("Insurance"),
        _("Condition"),
        _("Status"),
        _("Holder"),
    ]

    def rows():
        for asset in assets.select_related("contract__supplier", "insurance_contract").iterator(
            chunk_size=500
        ):
            if asset.participant:
                holder = asset.participant.application.number
            elif asset.public_unit:
                holder = asset.public_unit.name
            else:
                holder = ""
            yield [
                asset.serial_number,
                asset.inventory_number,
                asset.get_kind_display(),
                asset.make_model,
                asset.value,
                asset.delivered_on,
                asset.contract.number,
                asset.contract.supplier.name,
                asset.warranty_until,
                asset.insurance_contract.number
                if asset.insurance_contract
                else asset.insurance_policy,
                asset.get_condition_display(),
                asset.get_status_display(),
                holder,
            ]

    return xlsx_response("rejestr-sprzetu.xlsx", _("Equipment"), headers, rows())


def asset_import(request):
    form = DeliveryImportForm(
        request.POST or None, request.FILES or None, initial={"delivered_on": _today()}
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = read_table(data["file"])
        except ValidationError as error:
            form.add_error("file", error)
            table = None
        if table is not None:
            try:
                assets = equipment.do_import_delivery(
                    table,
                    data["contract"],
                    data["delivered_on"],
                    insurance_contract=data["insurance_contract"],
                    insurance_policy=data["insurance_policy"],
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_error(form, error)
                else:  # the problems of the file's rows, each on its own line
                    problems = error.messages
                    form.add_error(
                        "file", _("The file has errors (listed below). Nothing has been saved.")
                    )
            else:
                messages.success(
                    request, _("%(n)d assets have been registered.") % {"n": len(assets)}
                )
                return redirect(reverse("lending:asset_list") + "?status=in_stock")
    return render(request, "lending/asset_import.html", {"form": form, "problems": problems})


def asset_detail(request, pk):
    asset = _asset(request, pk)
    return render(
        request,
        "lending/asset_detail.html",
        {
            "asset": asset,
            "events": asset.history.select_related(
                "participant__application", "public_unit", "actor"
            ),
            "items": asset.loan_items.select_related(
                "agreement__participant__application"
            ).order_by("-pk"),
            "services": asset.service_records.select_related("recorded_by"),
            "claims": asset.claims.select_related("agreement", "note"),
        },
    )


def asset_edit(request, pk):
    asset = _asset(request, pk)
    form = AssetForm(request.POST or None, instance=asset)

    def perform(data):
        data = dict(data)
        version = data.pop("version")
        equipment.do_update_asset(asset, data, expected_version=version, actor=request.user)
        return reverse("lending:asset_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Correct asset %(serial)s") % {"serial": asset.serial_number},
        back=reverse("lending:asset_detail", args=[pk]),
        crumbs=_asset_crumbs(asset),
        success=_("The asset has been saved."),
    )


def asset_place(request):
    """Equipment from stock to a public unit's computer lab (several at once)."""
    stock = Asset.objects.in_stock().order_by("kind", "serial_number")
    chosen = [value for value in request.GET.getlist("asset") if value.isdigit()]
    form = PlaceInUnitForm(
        request.POST or None, assets=stock, initial={"placed_on": _today(), "assets": chosen}
    )

    def perform(data):
        equipment.do_place_in_unit(
            list(data["assets"]), data["unit"], data["placed_on"], actor=request.user
        )
        return reverse("lending:asset_list") + f"?holder=unit-{data['unit'].pk}"

    return _form_page(
        request,
        form,
        perform,
        title=_("Place equipment in a public unit"),
        back=reverse("lending:asset_list"),
        crumbs=[(_("Equipment"), reverse("lending:asset_list"))],
        submit=_("Place"),
        success=_("The equipment has been placed in the unit."),
    )


def asset_unit_return(request, pk):
    asset = _asset(request, pk)
    form = DateAndNoteForm(request.POST or None, initial={"day": _today()})

    def perform(data):
        equipment.do_return_from_unit(asset, data["day"], data["note"], actor=request.user)
        return reverse("lending:asset_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Asset %(serial)s back from the unit to stock") % {"serial": asset.serial_number},
        back=reverse("lending:asset_detail", args=[pk]),
        crumbs=_asset_crumbs(asset),
        success=_("The asset is back in stock."),
    )


def asset_write_off(request, pk):
    asset = _asset(request, pk)
    form = WriteOffForm(request.POST or None, initial={"written_off_on": _today()})

    def perform(data):
        equipment.do_write_off(asset, data["written_off_on"], data["reason"], actor=request.user)
        return reverse("lending:asset_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Write off asset %(serial)s") % {"serial": asset.serial_number},
        back=reverse("lending:asset_detail", args=[pk]),
        crumbs=_asset_crumbs(asset),
        submit=_("Write off"),
        success=_("The asset has been written off."),
    )


def asset_service(request, pk):
    asset = _asset(request, pk)
    form = ServiceForm(request.POST or None, initial={"started_on": _today()})

    def perform(data):
        equipment.do_record_service(
            asset,
            data["description"],
            kind=data["kind"],
            started_on=data["started_on"],
            completed_on=data["completed_on"],
            provider=data["provider"],
            cost=data["cost"],
            taken_away=data["taken_away"],
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Service of asset %(serial)s") % {"serial": asset.serial_number},
        back=reverse("lending:asset_detail", args=[pk]),
        crumbs=_asset_crumbs(asset),
        success=_("The service has been recorded."),
    )


def service_complete(request, pk):
    record = _service(request, pk)
    form = CompleteServiceForm(request.POST or None, initial={"completed_on": _today()})

    def perform(data):
        equipment.do_complete_service(
            record,
            data["completed_on"],
            cost=data["cost"],
            condition=data["condition"] or None,
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[record.asset_id])

    return _form_page(
        request,
        form,
        perform,
        title=_("Service of %(serial)s completed") % {"serial": record.asset.serial_number},
        lead=record.description,
        back=reverse("lending:asset_detail", args=[record.asset_id]),
        crumbs=_asset_crumbs(record.asset),
        success=_("The service has been completed."),
    )


def asset_damage(request, pk):
    asset = _asset(request, pk)
    form = DamageClaimForm(request.POST or None, initial={"occurred_on": _today()})

    def perform(data):
        equipment.do_open_damage_claim(
            asset,
            data["description"],
            occurred_on=data["occurred_on"],
            kind=data["kind"],
            amount=data["amount"],
            condition=data["condition"],
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Damage or loss of asset %(serial)s") % {"serial": asset.serial_number},
        intro=_("A lent asset's claim is secured by the household's promissory note (§6.3-4)."),
        back=reverse("lending:asset_detail", args=[pk]),
        crumbs=_asset_crumbs(asset),
        submit=_("Record the claim"),
        success=_("The damage claim has been recorded."),
    )


def claim_settle(request, pk):
    claim = _claim(request, pk)
    form = SettleClaimForm(
        request.POST or None, initial={"settled_on": _today(), "amount": claim.amount}
    )

    def perform(data):
        equipment.do_settle_claim(
            claim,
            data["status"],
            data["settled_on"],
            data["note"],
            amount=data["amount"],
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[claim.asset_id])

    return _form_page(
        request,
        form,
        perform,
        title=_("Settle the claim for %(serial)s") % {"serial": claim.asset.serial_number},
        lead=claim.description,
        back=reverse("lending:asset_detail", args=[claim.asset_id]),
        crumbs=_asset_crumbs(claim.asset),
        success=_("The claim has been settled."),
    )


# --- connections ---------------------------------------------------------------------------------


def connection_list(request):
    connections = Connection.objects.select_related(
        "participant__application", "participant__signatory", "public_unit", "contract__supplier"
    ).annotate(open_outages=Count("outages", filter=Q(outages__ended_on__isnull=True)))
    status = request.GET.get("status", "")
    if status in Connection.Status.values:
        connections = connections.filter(status=status)
    who = request.GET.get("who", "")
    if who == "household":
        connections = connections.filter(participant__isnull=False)
    elif who == "unit":
        connections = connections.filter(public_unit__isnull=False)
    page = page_of(
        request,
        connections.order_by(
            "public_unit__name", "participant__application__sequence", "-installed_on"
        ),
    )
    return render(
        request,
        "lending/connection_list.html",
        {
            "page": page,
            "statuses": Connection.Status.choices,
            "status": status,
            "who": who,
            "query": query_without_page(request),
            "units_without": PublicUnit.objects.exclude(
                lending_connections__status__in=[
                    Connection.Status.ACTIVE,
                    Connection.Status.SUSPENDED,
                ]
            ).order_by("name"),
        },
    )


def connection_detail(request, pk):
    connection = _connection(request, pk)
    return render(
        request,
        "lending/connection_detail.html",
        {
            "connection": connection,
            "outages": connection.outages.select_related("reported_by"),
            "history": Events.objects.references(connection).order_by("-pgh_created_at")[:50],
        },
    )


def _connect(request, subscriber, back, crumbs, title):
    form = ConnectionForm(request.POST or None, initial={"installed_on": _today()})

    def perform(data):
        connection = connections.do_connect(
            subscriber,
            data["contract"],
            data["installed_on"],
            technology=data["technology"],
            actor=request.user,
        )
        return reverse("lending:connection_detail", args=[connection.pk])

    return _form_page(
        request,
        form,
        perform,
        title=title,
        intro=_(
            "The connection is kept until the end of the durability period (the project's end + 5 years)."
        ),
        back=back,
        crumbs=crumbs,
        submit=_("Record the connection"),
        success=_("The connection has been recorded."),
    )


def connection_new(request, pk):
    participant = _participant(request, pk)
    return _connect(
        request,
        participant,
        reverse("lending:participant_detail", args=[pk]),
        _participant_crumbs(participant),
        _("Internet connection for %(number)s") % {"number": participant.application.number},
    )


def unit_connection_new(request, pk):
    unit = get_object_for_user(request.user, PublicUnit.objects.all(), pk=pk)
    return _connect(
        request,
        unit,
        reverse("lending:connection_list"),
        [(_("Internet connections"), reverse("lending:connection_list"))],
        _("Internet connection for %(unit)s") % {"unit": unit.name},
    )


def connection_status(request, pk):
    connection = _connection(request, pk)
    form = ConnectionStatusForm(request.POST or None, initial={"since": _today()})

    def perform(data):
        connections.do_change_connection(
            connection, data["status"], data["since"], data["note"], actor=request.user
        )
        return reverse("lending:connection_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Status of the connection of %(who)s") % {"who": connection.subscriber},
        back=reverse("lending:connection_detail", args=[pk]),
        crumbs=[(_("Internet connections"), reverse("lending:connection_list"))],
        success=_("The status has been changed."),
    )


def outage_new(request, pk):
    connection = _connection(request, pk)
    form = OutageForm(request.POST or None, initial={"started_on": _today()})

    def perform(data):
        connections.do_report_outage(
            connection, data["started_on"], data["description"], actor=request.user
        )
        return reverse("lending:connection_detail", args=[pk])

    return _form_page(
        request,
        form,
        perform,
        title=_("Outage of the connection of %(who)s") % {"who": connection.subscriber},
        back=reverse("lending:connection_detail", args=[pk]),
        crumbs=[(_("Internet connections"), reverse("lending:connection_list"))],
        submit=_("Report the outage"),
        success=_("The outage has been reported."),
    )


def outage_close(request, pk):
    outage = _outage(request, pk)
    form = CloseOutageForm(request.POST or None, initial={"ended_on": _today()})

    def perform(data):
        connections.do_close_outage(
            outage, data["ended_on"], data["resolution"], actor=request.user
        )
        return reverse("lending:connection_detail", args=[outage.connection_id])

    return _form_page(
        request,
        form,
        perform,
        title=_("End of the outage"),
        lead=outage.description,
        back=reverse("lending:connection_detail", args=[outage.connection_id]),
        crumbs=[(_("Internet connections"), reverse("lending:connection_list"))],
        success=_("The outage has been closed."),
    )


# --- what is due ------------------------------------------------------------------------------------


DUE_SHOWN = 100


def due(request):
    """Agreements ending in the next 90 days, equipment due back, notes to return, open claims
    and exclusion proposals waiting for a decision."""
    today = _today()
    return render(
        request,
        "lending/due.html",
        {
            "today": today,
            "expiring": agreements.expiring_agreements(today)[:DUE_SHOWN],
            "returns": agreements.returns_due()[:DUE_SHOWN],
            "notes": agreements.notes_to_release()[:DUE_SHOWN],
            "claims": DamageClaim.objects.filter(status=DamageClaim.Status.OPEN).select_related(
                "asset", "agreement__participant__application"
            )[:DUE_SHOWN],
            "proposals": ExclusionProposal.objects.filter(
                status=ExclusionProposal.Status.PENDING
            ).select_related("participant__application", "proposed_by")[:DUE_SHOWN],
            "waiting": participation.participants_waiting_for_agreement()[:DUE_SHOWN],
        },
    )
