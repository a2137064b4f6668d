"""What the lending pages share: one getter per object kind (404 when missing; the URL role
table decides who may see the page) and the breadcrumbs."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import (
    Asset,
    Connection,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    Outage,
    Participant,
    ParticipationEnd,
    PromissoryNote,
    ServiceRecord,
)


def participant_or_404(pk) -> Participant:
    queryset = Participant.objects.select_related("application__call", "signatory")
    return get_object_or_404(queryset, pk=pk)


def agreement_or_404(pk) -> LoanAgreement:
    queryset = LoanAgreement.objects.select_related(
        "participant__application__call", "signatory", "note", "created_by"
    )
    return get_object_or_404(queryset, pk=pk)


def asset_or_404(pk) -> Asset:
    return get_object_or_404(
        Asset.objects.with_holder().select_related("insurance_contract"), pk=pk
    )


def note_or_404(pk) -> PromissoryNote:
    queryset = PromissoryNote.objects.select_related(
        "agreement__participant__application", "issuer"
    )
    return get_object_or_404(queryset, pk=pk)


def connection_or_404(pk) -> Connection:
    queryset = Connection.objects.select_related(
        "participant__application", "participant__signatory", "public_unit", "contract__supplier"
    )
    return get_object_or_404(queryset, pk=pk)


def claim_or_404(pk) -> DamageClaim:
    queryset = DamageClaim.objects.select_related("asset", "agreement", "note")
    return get_object_or_404(queryset, pk=pk)


def service_or_404(pk) -> ServiceRecord:
    return get_object_or_404(ServiceRecord.objects.select_related("asset"), pk=pk)


def outage_or_404(pk) -> Outage:
    return get_object_or_404(Outage.objects.select_related("connection"), pk=pk)


def proposal_or_404(pk) -> ExclusionProposal:
    queryset = ExclusionProposal.objects.select_related(
        "participant__application", "participant__signatory", "proposed_by", "decided_by"
    )
    return get_object_or_404(queryset, pk=pk)


def end_or_404(pk) -> ParticipationEnd:
    queryset = ParticipationEnd.objects.select_related(
        "participant__application",
        "participant__signatory",
        "agreement__note",
        "ranking_version__call",
        "promoted__application",
        "promoted__signatory",
        "recorded_by",
    )
    return get_object_or_404(queryset, pk=pk)


def participant_crumbs(participant):
    return [
        (_("Participants"), reverse("lending:participant_list")),
        (
            participant.application.number,
            reverse("lending:participant_detail", args=[participant.pk]),
        ),
    ]


def agreement_crumbs(agreement):
    return [
        (_("Loan agreements"), reverse("lending:agreement_list")),
        (agreement.number, reverse("lending:agreement_detail", args=[agreement.pk])),
    ]


def asset_crumbs(asset):
    return [
        (_("Equipment"), reverse("lending:asset_list")),
        (asset.serial_number, reverse("lending:asset_detail", args=[asset.pk])),
    ]
