"""The visit plan: visits added or moved by hand, and the calls' rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion.forms import add_service_error
from lebork_einclusion.pages import form_page
from recruitment.models import Call

from .. import visits
from ..forms.plans import NewPlannedVisitForm, PlannedVisitForm, VisitRuleForm
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

    def perform(data):
        planned = do_add_planned_visit(
            data["participant"],
            due_on=data["due_on"],
            officer=data["officer"],
            note=data["note"],
            actor=request.user,
        )
        return reverse("monitoring:household_visits", args=[planned.participant_id])

    return form_page(
        request,
        form,
        perform,
        template="monitoring/planned_form.html",
        context={"planned": None},
        success=_("The visit has been added to the plan."),
    )


def planned_edit(request, pk):
    planned = get_object_or_404(
        PlannedVisit.objects.select_related(*visits.HOUSEHOLD, "officer"), pk=pk
    )
    form = PlannedVisitForm(request.POST or None, instance=planned)

    def perform(data):
        do_move_planned_visit(
            planned,
            due_on=data["due_on"],
            officer=data["officer"],
            note=data["note"],
            actor=request.user,
            expected_version=data["version"],
        )

    return form_page(
        request,
        form,
        perform,
        template="monitoring/planned_form.html",
        context={"planned": planned},
        success=_("The planned visit has been saved."),
        back=reverse("monitoring:household_visits", args=[planned.participant_id]),
    )


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
        else:
            do_sync_plans(actor=request.user)
            messages.success(
                request,
                _("The rule has been saved; %(n)d visits ahead were planned by it again.")
                % {"n": replanned},
            )
            return redirect("monitoring:visit_rules")
    return render(request, "monitoring/visit_rule_form.html", {"form": form, "call": call})
