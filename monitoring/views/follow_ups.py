"""Follow-up actions: the list, a new one for a household or a visit, changing or closing one."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page

from .. import visits
from ..forms.follow_ups import FollowUpForm, NewFollowUpForm
from ..models import (
    FollowUp,
    MonitoringVisit,
)
from ..services.follow_ups import do_add_follow_up, do_save_follow_up
from .common import participant_or_404

# --- follow-up actions --------------------------------------------------------------------------------


def follow_up_list(request):
    today = clock.today()
    show = request.GET.get("show", "open")
    if show not in ("open", "overdue", "closed", "mine"):
        show = "open"
    if show == "closed":
        rows = visits.follow_ups(status=None).exclude(status=FollowUp.Status.OPEN)
        rows = rows.order_by("-closed_on", "-pk")
    elif show == "overdue":
        rows = visits.follow_ups().filter(due_on__lt=today)
    elif show == "mine":
        rows = visits.follow_ups(responsible=request.user)
    else:
        rows = visits.follow_ups()
    page = seek_page(request, rows)
    return render(
        request,
        "monitoring/follow_up_list.html",
        {"page": page, "show": show, "today": today, "query": query_without_page(request)},
    )


def follow_up_new(request, participant):
    participant = participant_or_404(participant)
    visit = None
    if request.POST.get("visit") or request.GET.get("visit"):
        value = request.POST.get("visit") or request.GET.get("visit")
        if not value.isdigit():
            raise Http404
        visit = get_object_or_404(MonitoringVisit, pk=int(value), participant=participant)
    form = NewFollowUpForm(request.POST or None, initial={"responsible": request.user})

    def perform(data):
        do_add_follow_up(
            participant,
            what=data["what"],
            responsible=data["responsible"],
            due_on=data["due_on"],
            visit=visit,
            actor=request.user,
        )

    return form_page(
        request,
        form,
        perform,
        template="monitoring/follow_up_form.html",
        context={"participant": participant, "visit": visit, "follow_up": None},
        success=_("The follow-up action has been added."),
        back=(
            reverse("monitoring:visit_detail", args=[visit.pk])
            if visit is not None
            else reverse("monitoring:household_visits", args=[participant.pk])
        ),
    )


def follow_up_edit(request, pk):
    follow_up = get_object_or_404(
        FollowUp.objects.select_related(*visits.HOUSEHOLD, "visit", "responsible"),
        pk=pk,
    )
    form = FollowUpForm(request.POST or None, instance=follow_up)
    return form_page(
        request,
        form,
        lambda data: do_save_follow_up(follow_up, data, actor=request.user) and None,
        template="monitoring/follow_up_form.html",
        context={
            "participant": follow_up.participant,
            "visit": follow_up.visit,
            "follow_up": follow_up,
        },
        success=_("The follow-up action has been saved."),
        back=reverse("monitoring:follow_up_list"),
    )
