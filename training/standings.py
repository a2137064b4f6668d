"""Reading where trainees stand: hours attended, missed and excused, in one query for any
number of trainees (pages, papers, the figures and the §6.7 list all read them from here)."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Attendance, Trainee
from .rules import Standing

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))


def _hours(status: str):
    return Coalesce(
        Sum("attendance__session__hours", filter=Q(attendance__status=status)),
        ZERO,
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )


def with_hours(trainees: QuerySet) -> QuerySet:
    """Trainees annotated with present_hours, absent_hours and excused_hours, with their
    module, person and e-learning record fetched in the same query."""
    return trainees.select_related("module", "group", "member", "elearning").annotate(
        present_hours=_hours(Attendance.Status.PRESENT),
        absent_hours=_hours(Attendance.Status.ABSENT),
        excused_hours=_hours(Attendance.Status.EXCUSED),
    )


def _hours_of_row(status: str):
    hours = (
        Attendance.objects.filter(trainee=OuterRef("pk"), status=status)
        .order_by()
        .values("trainee")
        .annotate(hours=Sum("session__hours"))
        .values("hours")
    )
    return Coalesce(
        Subquery(hours), ZERO, output_field=DecimalField(max_digits=8, decimal_places=2)
    )


def with_hours_per_row(trainees: QuerySet) -> QuerySet:
    """As with_hours, the hours summed per row read (a subquery each), not by grouping every
    trainee's attendance: for a list page, whose rows are cut before the sums are made."""
    return trainees.select_related("module", "group", "member", "elearning").annotate(
        present_hours=_hours_of_row(Attendance.Status.PRESENT),
        absent_hours=_hours_of_row(Attendance.Status.ABSENT),
        excused_hours=_hours_of_row(Attendance.Status.EXCUSED),
    )


def standing(trainee: Trainee) -> Standing:
    """The trainee's standing; reads the annotations of with_hours() when they are there."""
    if not hasattr(trainee, "present_hours"):
        trainee = with_hours(Trainee.objects.filter(pk=trainee.pk)).get()
    module = trainee.module
    enrolment = getattr(trainee, "elearning", None) if module.is_e_learning else None
    return Standing(
        attended=trainee.present_hours,
        absent=trainee.absent_hours,
        excused=trainee.excused_hours,
        planned=module.planned_hours_per_group,
        percent=module.completion_percent,
        e_learning=module.is_e_learning,
        progress=enrolment.progress_percent if enrolment else None,
    )
