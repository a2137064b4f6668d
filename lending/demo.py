"""Demo data of lending: the 75 households of the demo main list take part from 14.11.2012
(the opening conference, when the agreements were signed)."""

import datetime

from django.contrib.auth import get_user_model

from recruitment.models import Call

from .models import Participant
from .services import do_enrol, main_list_applications

JOINED = datetime.date(2012, 11, 14)


def load(stdout=None):
    call = Call.objects.filter(code="2012").first()
    if call is None or Participant.objects.filter(application__call=call).exists():
        return
    coordinator = get_user_model().objects.get(username="koordynator")
    enrolled = [
        do_enrol(application, JOINED, coordinator)
        for application in main_list_applications(call).order_by("sequence")
    ]
    if stdout:
        stdout.write(f"lending: {len(enrolled)} participants")
