"""What the monitoring pages share: a month from the URL, the project, the household."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404

from lebork_einclusion.models import Project
from lending.models import Participant

from .. import schedules


def month_or_404(year: int, month: int) -> datetime.date:
    if not 2000 <= year <= 2100:
        raise Http404
    try:
        return schedules.first_of_month(year, month)
    except ValueError:
        raise Http404 from None


def project_or_404() -> Project:
    project = Project.current()
    if project is None:
        raise Http404
    return project


def participant_or_404(pk) -> Participant:
    return get_object_or_404(Participant.objects.select_related("application", "signatory"), pk=pk)
