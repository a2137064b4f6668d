"""The reads of lending that other apps may use (monitoring's visits, outages and indicators).

The `*_on(as_of)` functions are the one definition of what stood at the end of a day: the
indicators, the durability report, the snapshots and the daily job all use them.

Plain query functions, no writes: the writes are lending.services' `do_*` functions.
"""

from django.db.models import Exists, OuterRef, Q

from recruitment import domain
from recruitment.models import Application, Call
from recruitment.queries import latest_version

from .models import Asset, Connection, ConnectionPeriod, LoanAgreement, Outage, Participant

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
    """Loan agreements whose equipment was handed over and that had not ended by `as_of`.
    An agreement stays in force until the office ends it (lending's status), its 3-year term
    notwithstanding."""
    return LoanAgreement.objects.filter(handed_over_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )


def _paid_for_on(as_of):
    """The connection's (OuterRef) contract period running on `as_of`, under a provider's
    contract whose term covers that day."""
    return ConnectionPeriod.objects.filter(
        connection=OuterRef("pk"),
        since__lte=as_of,
        contract__term_start__lte=as_of,
        contract__term_end__gte=as_of,
    ).filter(Q(until__isnull=True) | Q(until__gte=as_of))


def connections_open_on(as_of):
    """Connections installed by `as_of` and not ended by then (suspended ones included)."""
    return Connection.objects.filter(installed_on__lte=as_of).exclude(
        status=Connection.Status.ENDED, status_since__lte=as_of
    )


def connections_working_on(as_of):
    """Connections that worked at the end of `as_of`: installed by then, neither ended nor
    suspended then, provided under a contract whose term covers that day (the Internet is paid
    for), and without an outage open at the end of that day. A connection keeps only its
    current status and the day it began: a suspension lifted before today is not seen on an
    earlier day."""
    open_outage = Outage.objects.filter(connection=OuterRef("pk"), started_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )
    return (
        Connection.objects.filter(installed_on__lte=as_of)
        .exclude(
            status__in=(Connection.Status.ENDED, Connection.Status.SUSPENDED),
            status_since__lte=as_of,
        )
        .filter(Exists(_paid_for_on(as_of)))
        .exclude(Exists(open_outage))
    )


def connections_without_contract_on(as_of):
    """Open connections that no provider's contract covers on `as_of`: nobody pays for them."""
    return connections_open_on(as_of).exclude(Exists(_paid_for_on(as_of)))


def contract_covering(connection: Connection, day):
    """The provider's contract `connection` was provided under on `day`, if its term covers
    that day; else None."""
    period = (
        ConnectionPeriod.objects.filter(
            connection=connection,
            since__lte=day,
            contract__term_start__lte=day,
            contract__term_end__gte=day,
        )
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .select_related("contract")
        .first()
    )
    return period.contract if period else None
