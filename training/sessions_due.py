"""The assistant's sessions to act on: the day's sessions, and the sessions held with no
attendance entered yet (the session list's filters and the home page's to-dos)."""

import datetime

from django.db.models import Exists, OuterRef

from .models import Attendance, TrainingSession


def sessions_on(day: datetime.date):
    return TrainingSession.objects.filter(date=day)


def sessions_without_attendance(day: datetime.date):
    """Sessions held up to the day (today's included) with no trainee marked yet."""
    return TrainingSession.objects.filter(date__lte=day).exclude(
        Exists(Attendance.objects.filter(session=OuterRef("pk")))
    )
