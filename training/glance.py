"""A training group's attendance at a glance: present, absent and excused per session as a heat
map (the core's charts), counted in one grouped query."""

from django.db.models import Count
from django.utils.translation import gettext as _

from lebork_einclusion import charts

from .models import Attendance


def attendance_heat_map(group, sessions) -> charts.Chart:
    """Rows: present, absent, excused; columns: the group's sessions in order (numbered, with
    their day); a cell: how many trainees had that mark. A session nobody was marked for yet
    is a gap (a dash), not three zeros."""
    counts = {
        (session_id, status): n
        for session_id, status, n in Attendance.objects.filter(session__group=group)
        .values("session_id", "status")
        .annotate(n=Count("pk"))
        .values_list("session_id", "status", "n")
    }
    marked = {session_id for session_id, _status in counts}
    statuses = list(Attendance.Status)
    values = [
        [counts.get((s.pk, status.value), 0) if s.pk in marked else None for s in sessions]
        for status in statuses
    ]
    columns = [f"{number}. {s.date:%d.%m}" for number, s in enumerate(sessions, start=1)]
    return charts.heat_map(
        caption=_("Attendance of %(group)s by session: trainees present, absent and excused")
        % {"group": group},
        rows=[str(status.label) for status in statuses],
        columns=columns,
        values=values,
    )
