"""The visit plan: visits added or moved by hand, and the calls' rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import ConcurrentEditError
from lebork_einclusion.forms import add_service_error
from recruitment.models import Call

from .. import visits
from ..forms import (
    NewPlannedVisitForm,
    PlannedVisitForm,
    VisitRuleForm,
)
from ..models import (
    PlannedVisit,
    VisitRule,
)
from ..services.plans import (
    do_add_planned_visit,
    do_move_planned_visit,
    do_save_visit_rule,
    do_sync_plans,
)


def planned_new(request):
    participant = request.GET.get("participant", "")
    form = NewPlannedVisitForm(
        request.POST or None,
        initial={
            "participant": int(participant) if participant.isdigit() else None,
            "officer": request.user,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned = do_add_planned_visit(
                data["participant"],
                due_on=data["due_on"],
                officer=data["officer"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The visit has been added to the plan."))
            return redirect("monitoring:household_visits", planned.participant_id)
    return render(request, "monitoring/planned_form.html", {"form": form, "planned": None})


def planned_edit(request, pk):
    planned = get_object_or_404(
        PlannedVisit.objects.select_related(*visits.HOUSEHOLD, "officer"),
        pk=pk,
    )
    form = PlannedVisitForm(request.POST or None, instance=planned)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_move_planned_visit(
                planned,
                due_on=data["due_on"],
                officer=data["officer"],
                note=data["note"],
                actor=request.user,
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            form.add_error(
                None,
                _(
                    "Someone else saved this visit while you were editing it. Your changes have "
                    "NOT been saved: open the visit again."
                ),
            )
        else:
            messages.success(request, _("The planned visit has been saved."))
            return redirect("monitoring:household_visits", planned.participant_id)
    return render(request, "monitoring/planned_form.html", {"form": form, "planned": planned})


def visit_rules_list(request):
    found = {rule.call_id: rule for rule in VisitRule.objects.select_related("officer")}
    calls = [(call, found.get(call.pk)) for call in Call.objects.order_by("-opens_on")]
    return render(request, "monitoring/visit_rules.html", {"calls": calls})


def visit_rule(request, call):
    call = get_object_or_404(Call.objects.all(), pk=call)
    rule = VisitRule.objects.filter(call=call).first()
    initial = (
        {
            "first_within_months": rule.first_within_months,
            "every_months": rule.every_months,
            "officer": rule.officer_id,
            "version": rule.version,
        }
        if rule
        else {"first_within_months": 3, "every_months": 12}
    )
    form = VisitRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _rule, replanned = do_save_visit_rule(
                call,
                first_within_months=data["first_within_months"],
                every_months=data["every_months"],
                officer=data["officer"],
                actor=request.user,
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            form.add_error(
                None,
                _("Someone else saved this rule meanwhile. Nothing has been saved: open it again."),
            )
        else:
            do_sync_plans(request.user)
            messages.success(
                request,
                _("The rule has been saved; %(n)d visits ahead were planned by it again.")
                % {"n": replanned},
            )
            return redirect("monitoring:visit_rules")
    return render(request, "monitoring/visit_rule_form.html", {"form": form, "call": call})
