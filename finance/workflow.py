"""The steps of a payment claim, as plain data: draft → filed → corrections requested (→ filed
again) → accepted → paid. Services check each step here; pages show the buttons it allows."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import PaymentClaim

S = PaymentClaim.Status

# step -> (statuses in which it is possible, the refusal)
STEPS = {
    "edit": (
        {S.DRAFT, S.CORRECTIONS},
        _(
            "A claim can be changed only as a draft or when corrections are requested (this "
            "one is %(status)s)."
        ),
    ),
    "file": ({S.DRAFT, S.CORRECTIONS}, _("This claim is %(status)s: it cannot be filed again.")),
    "corrections": (
        {S.FILED},
        _("Corrections can be recorded only for a filed claim (this one is %(status)s)."),
    ),
    "accept": ({S.FILED}, _("Only a filed claim can be accepted (this one is %(status)s).")),
    "pay": ({S.ACCEPTED}, _("Only an accepted claim can be paid (this one is %(status)s).")),
}
ACTIONS = ("file", "corrections", "accept", "pay")


def allows(claim: PaymentClaim, step: str) -> bool:
    return claim.status in STEPS[step][0]


def check(claim: PaymentClaim, step: str) -> None:
    if not allows(claim, step):
        raise ValidationError(
            STEPS[step][1] % {"status": claim.get_status_display()}, code="wrong_status"
        )


def next_steps(claim: PaymentClaim) -> list[str]:
    return [step for step in ACTIONS if allows(claim, step)]
