"""The reads of lending that other apps may use (monitoring's visits, outages and indicators).

Plain query functions, no writes: the writes are lending.services' `do_*` functions.
"""

from recruitment import domain
from recruitment.models import Application, Call
from recruitment.queries import latest_version

from .models import Asset, Connection, Participant

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
