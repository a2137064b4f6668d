"""The monitoring home page: the indicators against their targets and one's own work."""

from django.shortcuts import render

from lebork_einclusion import clock, roles
from lebork_einclusion.models import Project

from .. import visits
from ..indicators import live_indicators


def home(request):
    project = Project.current()
    indicators = live_indicators(project) if project else []
    against_targets = [i for i in indicators if i.target is not None]
    today = clock.today()
    context = {"project": project, "indicators": against_targets, "today": today}
    # The person responsible sees their overdue follow-up actions; the officer their visits.
    if roles.may_view(request.user, "monitoring:follow_up_list"):
        context["overdue_follow_ups"] = list(visits.overdue_follow_ups(request.user, today)[:20])
    if roles.may_change(request.user, "monitoring:visit_new"):
        context["my_overdue_visits"] = visits.overdue(today, request.user).count()
        context["my_visits_this_month"] = visits.due_in_month(today, today, request.user).count()
    return render(request, "monitoring/home.html", context)
