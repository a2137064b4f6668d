"""Lending screens: thin function views over services.py."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render

from lebork_einclusion.access import record_personal_data_access
from recruitment import domain
from recruitment.models import HouseholdMember

from .models import Participant

PAGE_SIZE = 50


def _get_participant(pk) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("application__call", "signatory"), pk=pk
    )


def participant_list(request):
    """Participants with their household's applicant, filterable by status and searchable by
    registration number or surname."""
    participants = Participant.objects.select_related("application", "signatory").order_by(
        "application__sequence"
    )
    status = request.GET.get("status", "")
    if status in Participant.Status.values:
        participants = participants.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        participants = participants.filter(
            Q(application__number__icontains=query) | Q(signatory__last_name__icontains=query)
        )
    applicant = HouseholdMember.objects.filter(
        application=OuterRef("application_id"), role=domain.APPLICANT
    ).order_by("pk")
    participants = participants.annotate(applicant_name=Subquery(applicant.values("last_name")[:1]))
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "lending/participant_list.html",
        {
            "page": page,
            "statuses": Participant.Status.choices,
            "status": status,
            "q": query,
            "query": params.urlencode(),
        },
    )


def participant_detail(request, pk):
    participant = _get_participant(pk)
    record_personal_data_access(request, participant.application, kinds=("pesel",))
    return render(
        request,
        "lending/participant_detail.html",
        {"participant": participant, "members": participant.application.members.order_by("pk")},
    )
