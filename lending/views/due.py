"""What is due: the coordinator's overview across agreements, returns, notes, claims,
proposals, the Internet providers' contracts and the insurance."""

from django.shortcuts import render

from lebork_einclusion import clock

from .. import queries
from ..models import (
    DamageClaim,
    ExclusionProposal,
)
from ..services.agreements import notes_to_release, returns_due
from ..services.participation import participants_waiting_for_agreement

DUE_SHOWN = 100


def due(request):
    """Agreements past their end or ending in the next 90 days, equipment due back, notes to
    return, open claims, exclusion proposals waiting for a decision, providers' contracts and
    insurance ending (or ended and still relied on), and connections no contract covers today.
    One query per list."""
    today = clock.today()
    return render(
        request,
        "lending/due.html",
        {
            "today": today,
            "expiring": queries.agreements_to_decide(today)[:DUE_SHOWN],
            "returns": returns_due()[:DUE_SHOWN],
            "notes": notes_to_release()[:DUE_SHOWN],
            "claims": DamageClaim.objects.filter(status=DamageClaim.Status.OPEN).select_related(
                "asset", "agreement__participant__application"
            )[:DUE_SHOWN],
            "proposals": ExclusionProposal.objects.filter(
                status=ExclusionProposal.Status.PENDING
            ).select_related("participant__application", "proposed_by")[:DUE_SHOWN],
            "waiting": participants_waiting_for_agreement()[:DUE_SHOWN],
            "provider_contracts": queries.provider_contracts_ending(today)[:DUE_SHOWN],
            "uncovered": queries.connections_without_contract(today)[:DUE_SHOWN],
            "insurance": queries.insurance_ending(today)[:DUE_SHOWN],
        },
    )
