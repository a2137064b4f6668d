"""The reads of lending that other apps may use (monitoring's visits, outages and indicators).

The `*_on(as_of)` functions are the one definition of what stood at the end of a day: the
indicators, the durability report, the snapshots and the daily job all use them.

Plain query functions, no writes: the writes are lending.services' `do_*` functions.
"""

import datetime

from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from recruitment import domain
from recruitment.models import Application, Call
from recruitment.queries import latest_version

from .models import AgreementAnnex, Asset, Connection, LoanAgreement, Outage, Participant

AS = Asset.Status


def lent_assets(participant: Participant):
    """The assets the household holds now (lent, or away in service and coming back to it),
    by serial number."""
    return (
        Asset.objects.filter(participant=participant, status__in=[AS.LENT, AS.IN_SERVICE])
        .select_related("contract")
        .order_by("serial_number")
    )


def active_connection(participant: Participant) -> Connection | None:
    """The household's current Internet connection (active or suspended), or None."""
    return (
        Connection.objects.filter(participant=participant)
        .exclude(status=Connection.Status.ENDED)
        .select_related("contract__supplier")
        .first()
    )


def main_list_applications(call: Call):
    """Applications on the main list of the call's latest version of the lists."""
    version = latest_version(call)
    if version is None:
        return Application.objects.none()
    return Application.objects.filter(
        pk__in=version.entries.filter(status=domain.MAIN).values("application_id")
    )


def is_on_main_list(application: Application) -> bool:
    return main_list_applications(application.call).filter(pk=application.pk).exists()


def default_signatory(application: Application):
    """§6: the beneficiary signs, that is the applicant (an adult: a parent or legal guardian
    where the application is made for a minor)."""
    return application.members.filter(role=domain.APPLICANT).order_by("pk").first()


def participants_on(as_of):
    """Households taking part at the end of `as_of`."""
    return Participant.objects.filter(joined_on__lte=as_of).filter(
        Q(ended_on__gt=as_of) | Q(ended_on__isnull=True, status=Participant.Status.ACTIVE)
    )


def agreements_in_force_on(as_of):
    """Loan agreements in force at the end of `as_of`: the equipment handed over by then, not
    ended by then (`ended_on`), and `as_of` not after the agreement's end as it stood that day:
    the new end of the latest annex signed on or before `as_of`, else the original end (the
    first signed annex's `previous_end`, else `ends_on`, which no annex has moved)."""
    signed = AgreementAnnex.objects.filter(
        agreement=OuterRef("pk"), status=AgreementAnnex.Status.SIGNED
    )
    end_then = Coalesce(
        Subquery(
            signed.filter(signed_on__lte=as_of).order_by("-signed_on", "-pk").values("new_end")[:1]
        ),
        Subquery(signed.order_by("signed_on", "pk").values("previous_end")[:1]),
        "ends_on",
        output_field=DateField(),
    )
    return (
        LoanAgreement.objects.filter(handed_over_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
        .alias(end_then=end_then)
        .filter(end_then__gte=as_of)
    )


# §6: the coordinator decides (annex, return, transfer) before an agreement's term ends.
DECISION_DAYS = 90


def agreements_to_decide(day: datetime.date, days: int = DECISION_DAYS):
    """Agreements in force (status) whose term ends within `days` of `day` with no annex being
    prepared, and those already past their end and not ended (equipment still out): each waits
    for the coordinator's decision. `past_end` tells the two apart; earliest end first."""
    pending_annex = AgreementAnnex.objects.filter(
        agreement=OuterRef("pk"), status=AgreementAnnex.Status.DRAFT
    )
    return (
        LoanAgreement.objects.filter(
            status=LoanAgreement.Status.ACTIVE,
            ends_on__lte=day + datetime.timedelta(days=days),
        )
        .filter(Q(ends_on__lt=day) | ~Exists(pending_annex))
        .annotate(past_end=ExpressionWrapper(Q(ends_on__lt=day), output_field=BooleanField()))
        .select_related("participant__application", "signatory")
        .order_by("ends_on", "number")
    )


def connections_working_on(as_of):
    """Connections installed by `as_of`, neither ended nor suspended then, and without an
    outage open at the end of that day. A connection keeps only its current status and the day
    it began: a suspension lifted before today is not seen on an earlier day."""
    open_outage = Outage.objects.filter(connection=OuterRef("pk"), started_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )
    return (
        Connection.objects.filter(installed_on__lte=as_of)
        .exclude(
            status__in=(Connection.Status.ENDED, Connection.Status.SUSPENDED),
            status_since__lte=as_of,
        )
        .exclude(Exists(open_outage))
    )
