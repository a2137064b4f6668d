"""Reading the visit plan, the visits and the follow-ups for pages and papers (no writes).

Every list is one query for its rows (select_related), whatever the number of households.
"""

import datetime

from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL

from lending.models import Participant

from .models import AssetCheck, FollowUp, MonitoringVisit, PlannedVisit, VisitPhoto
from .visit_rules import month_bounds

HOUSEHOLD = ("participant__application", "participant__signatory")


def planned_visits(officer=None):
    visits = PlannedVisit.objects.filter(status=PlannedVisit.Status.PLANNED).select_related(
        *HOUSEHOLD, "officer"
    )
    if officer is not None:
        visits = visits.filter(officer=officer)
    # The day, then the household's registration order (copied onto the visit): one index.
    return visits.order_by("due_on", "household_sequence", "pk")


def due_in_month(month: datetime.date, today: datetime.date, officer=None):
    """Visits still planned for the month, from today on (the earlier ones are overdue)."""
    first, last = month_bounds(month)
    return planned_visits(officer).filter(due_on__range=(max(first, today), last))


def due_between(first: datetime.date, last: datetime.date, officer=None):
    """Visits still planned for the days from first to last (the officer's today, this week)."""
    return planned_visits(officer).filter(due_on__range=(first, last))


def end_of_week(day: datetime.date) -> datetime.date:
    """The Sunday of the day's week ("this week" runs from today to Sunday)."""
    return day + datetime.timedelta(days=6 - day.weekday())


def overdue(today: datetime.date, officer=None):
    return planned_visits(officer).filter(due_on__lt=today)


def done_in_month(month: datetime.date, officer=None):
    first, last = month_bounds(month)
    visits = visits_between(first, last)
    if officer is not None:
        visits = visits.filter(officer=officer)
    return visits


def visits_between(first: datetime.date, last: datetime.date):
    """Visits (any outcome) made between the two days, with their household and officer."""
    start = datetime.datetime.combine(first, datetime.time.min)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    from django.utils import timezone

    return (
        MonitoringVisit.objects.filter(
            visited_at__gte=timezone.make_aware(start), visited_at__lt=timezone.make_aware(end)
        )
        .select_related(*HOUSEHOLD, "officer")
        .order_by("visited_at", "pk")
    )


def with_details(visits):
    """Visits with everything the page and the protocol print: assets checked, photos,
    follow-ups (four queries for any number of visits)."""
    return visits.select_related(
        *HOUSEHOLD,
        "officer",
        "planned",
        "connection__contract__supplier",
        "outage",
        "exclusion_proposal",
    ).prefetch_related(
        Prefetch(
            "checks",
            queryset=AssetCheck.objects.select_related(
                "asset", "damage_claim", "service_record"
            ).order_by("serial_number"),
        ),
        Prefetch("photos", queryset=VisitPhoto.objects.order_by("position", "pk")),
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related("responsible").order_by("due_on", "pk"),
        ),
    )


def follow_ups(*, status=FollowUp.Status.OPEN, responsible=None):
    found = FollowUp.objects.select_related(*HOUSEHOLD, "responsible", "visit")
    if status:
        found = found.filter(status=status)
    if responsible is not None:
        found = found.filter(responsible=responsible)
    return found.order_by("due_on", "pk")


def overdue_follow_ups(user, today: datetime.date):
    return follow_ups(responsible=user).filter(due_on__lt=today)


def household_plan(participant: Participant):
    return (
        PlannedVisit.objects.filter(participant=participant)
        .select_related("officer", "visit")
        .order_by("due_on", "pk")
    )


def _distinct_officers(model) -> RawSQL:
    """The officers of a visit table, one index probe per officer (a "loose index scan" over the
    index that starts with the officer): not every visit read, however many there are."""
    table, column = model._meta.db_table, model._meta.get_field("officer").column
    # Table and column names from the model's own options, no input: nothing to inject.
    sql = (
        f'WITH RECURSIVE officers(id) AS (SELECT MIN("{column}") FROM "{table}" UNION ALL '  # noqa: S608
        f'SELECT (SELECT MIN("{column}") FROM "{table}" WHERE "{column}" > officers.id) '
        "FROM officers WHERE officers.id IS NOT NULL) "
        "SELECT id FROM officers WHERE id IS NOT NULL"
    )
    return RawSQL(sql, ())  # noqa: S611


def officers_with_plans():
    """Everyone who has visits planned or made: the choices of the "by officer" filter."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=_distinct_officers(PlannedVisit))
            | Q(pk__in=_distinct_officers(MonitoringVisit))
        )
        .order_by("last_name", "first_name", "username")
    )
