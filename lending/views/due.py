"""What is due: the coordinator's overview across agreements, returns, notes, claims and
proposals."""

from django.shortcuts import render

from lebork_einclusion import clock

from ..models import (
    DamageClaim,
    ExclusionProposal,
)
from ..services.agreements import expiring_agreements, notes_to_release, returns_due
from ..services.participation import participants_waiting_for_agreement

DUE_SHOWN = 100


def due(request):
    """Agreements ending in the next 90 days, equipment due back, notes to return, open claims
    and exclusion proposals waiting for a decision."""
    today = clock.today()
    return render(
        request,
        "lending/due.html",
        {
            "today": today,
            "expiring": expiring_agreements(today)[:DUE_SHOWN],
            "returns": returns_due()[:DUE_SHOWN],
            "notes": notes_to_release()[:DUE_SHOWN],
            "claims": DamageClaim.objects.filter(status=DamageClaim.Status.OPEN).select_related(
                "asset", "agreement__participant__application"
            )[:DUE_SHOWN],
            "proposals": ExclusionProposal.objects.filter(
                status=ExclusionProposal.Status.PENDING
            ).select_related("participant__application", "proposed_by")[:DUE_SHOWN],
            "waiting": participants_waiting_for_agreement()[:DUE_SHOWN],
        },
    )
