"""Every write of lending: one `do_*` function per state change, taking the acting user, each
in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recruitment import domain
from recruitment.models import Application, Call
from recruitment.services import latest_version

from .models import Participant


def main_list_applications(call: Call):
    """Applications on the main list of the call's latest version of the lists."""
    version = latest_version(call)
    if version is None:
        return Application.objects.none()
    return Application.objects.filter(
        pk__in=version.entries.filter(status=domain.MAIN).values("application_id")
    )


def default_signatory(application: Application):
    """§6: the beneficiary signs, that is the applicant (an adult: a parent or legal guardian
    where the application is made for a minor)."""
    return application.members.filter(role=domain.APPLICANT).order_by("pk").first()


@transaction.atomic
def do_enrol(
    application: Application, joined_on: datetime.date, actor, signatory=None
) -> Participant:
    """An applicant on the approved main list becomes a participant."""
    if not main_list_applications(application.call).filter(pk=application.pk).exists():
        raise ValidationError(
            _("Application %(number)s is not on the approved main list: it cannot take part.")
            % {"number": application.number}
        )
    if Participant.objects.filter(application=application).exists():
        raise ValidationError(
            _("Application %(number)s already takes part.") % {"number": application.number}
        )
    signatory = signatory or default_signatory(application)
    if signatory is None or signatory.application_id != application.pk:
        raise ValidationError(_("The signatory must be a member of the household."))
    return Participant.objects.create(
        application=application,
        signatory=signatory,
        joined_on=joined_on,
        phone=application.phone,
    )
