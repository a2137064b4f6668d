"""Modules and their groups: the training's front page, a module with its figures, a group
with its trainees and sessions, their forms and papers."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lebork_einclusion import clock
from lebork_einclusion.background import start_generation
from lebork_einclusion.models import Project
from lebork_einclusion.pages import form_page
from lebork_einclusion.pdf import EmptyBatch, pdf_response
from lebork_einclusion.tables import xlsx_response

from .. import glance, papers, tasks
from ..figures import training_figures
from ..forms import (
    GroupForm,
    ModuleForm,
)
from ..models import (
    Attendance,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)
from ..rules import AGE_BAND_LABELS, SEX_LABELS, format_hours
from ..services import modules as module_services
from ..standings import standing, with_hours
from ._shared import get_group, get_module, slug


def _module_figures(module) -> dict:
    figures = training_figures(module.project)
    return next(row for row in figures["modules"] if row["id"] == module.pk)


# --- modules --------------------------------------------------------------------------------------


def module_list(request):
    """The training's front page: today's sessions first (the assistant's phone opens here),
    then the modules with their figures."""
    today = clock.today()
    modules = TrainingModule.objects.select_related("contract__supplier").order_by("number")
    figures = {row["id"]: row for row in training_figures()["modules"]}
    return render(
        request,
        "training/module_list.html",
        {
            "today": today,
            "today_sessions": TrainingSession.objects.filter(date=today)
            .select_related("group__module")
            .annotate(
                marked=Count("attendance", distinct=True),
                trainee_count=Count("group__trainees", distinct=True),
            )
            .order_by("starts_at"),
            "modules": [(module, figures.get(module.pk)) for module in modules],
        },
    )


def module_detail(request, pk):
    module = get_module(pk)
    figures = _module_figures(module)
    groups = {g.pk: g for g in module.groups.all()}
    breakdown = [
        {"label": SEX_LABELS[code], **counts} for code, counts in figures["by_sex"].items()
    ] + [
        {"label": AGE_BAND_LABELS[code], **counts}
        for code, counts in figures["by_age_band"].items()
    ]
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "figures": figures,
            "breakdown": breakdown,
            "group_rows": [(groups[row["id"]], row) for row in figures["groups"]],
            "imports": module.progress_imports.select_related("imported_by")[:5],
        },
    )


def module_edit(request, pk=None):
    module = get_module(pk) if pk else TrainingModule(project=Project.current())
    form = ModuleForm(request.POST or None, instance=module)

    def save(data):
        saved = module_services.do_save_module(module, data, actor=request.user)
        return reverse("training:module_detail", args=[saved.pk])

    return form_page(
        request,
        form,
        save,
        template="training/module_form.html",
        context={"module": module},
        success=_("The module has been saved."),
    )


@require_POST
def module_sheets(request, pk):
    module = get_module(pk)
    generated = start_generation(
        request.user,
        _("Sign-in sheets: %(module)s") % {"module": module.name},
        f"listy-obecnosci-modul-{module.number}.pdf",
        tasks.module_sheets,
        module.pk,
    )
    return redirect("core:generated_file", generated.pk)


@require_POST
def module_certificates(request, pk):
    module = get_module(pk)
    generated = start_generation(
        request.user,
        _("Certificates: %(module)s") % {"module": module.name},
        f"zaswiadczenia-modul-{module.number}.pdf",
        tasks.module_certificates,
        module.pk,
    )
    return redirect("core:generated_file", generated.pk)


def group_edit(request, pk=None, module_pk=None):
    if pk:
        group = get_group(pk)
    else:
        module = get_module(module_pk)
        group = TrainingGroup(module=module, capacity=20)
    form = GroupForm(request.POST or None, instance=group)

    def save(data):
        saved = module_services.do_save_group(group, data, actor=request.user)
        return reverse("training:group_detail", args=[saved.pk])

    return form_page(
        request,
        form,
        save,
        template="training/group_form.html",
        context={"group": group, "module": group.module},
        success=_("The group has been saved."),
    )


def _group_context(group):
    sessions = list(
        group.sessions.annotate(marked=Count("attendance")).order_by("date", "starts_at")
    )
    trainees = sorted(
        with_hours(Trainee.objects.filter(group=group)).select_related("participant__application"),
        key=lambda t: (t.sort_name, t.pk),
    )
    rows = [(t, standing(t)) for t in trainees]
    scheduled = sum((s.hours for s in sessions), 0)
    return {
        "group": group,
        "module": group.module,
        "sessions": sessions,
        "rows": rows,
        "scheduled": scheduled,
        "planned": group.module.planned_hours_per_group,
        "completed": sum(1 for _t, s in rows if s.completed),
        "attendance_chart": glance.attendance_heat_map(group, sessions),
    }


def group_detail(request, pk):
    group = get_group(pk)
    return render(request, "training/group_detail.html", _group_context(group))


def group_sheets_pdf(request, pk):
    group = get_group(pk)
    pdf = papers.sheets_batch_pdf(TrainingSession.objects.filter(group=group))
    return pdf_response(pdf, f"listy-obecnosci-{slug(group)}.pdf")


def group_register_pdf(request, pk):
    group = get_group(pk)
    return pdf_response(papers.register_pdf(group), f"dziennik-obecnosci-{slug(group)}.pdf")


def group_register_xlsx(request, pk):
    group = get_group(pk)
    sessions, rows = papers.register_rows(group)
    labels = dict(Attendance.Status.choices)
    headers = [
        _("No."),
        _("Trainee"),
        _("Household"),
        *[f"{s.date:%d.%m.%Y} {s.starts_at:%H:%M} ({format_hours(s.hours)} h)" for s in sessions],
        _("Hours attended"),
        _("Hours absent"),
        _("Hours excused"),
        _("Hours planned"),
        _("Completion"),
    ]
    numbers = dict(
        Trainee.objects.filter(group=group).values_list("pk", "participant__application__number")
    )
    data = [
        [
            number,
            row["trainee"].full_name,
            numbers.get(row["trainee"].pk, ""),
            *[str(labels.get(mark, "")) for mark in row["marks"]],
            row["standing"].attended,
            row["standing"].absent,
            row["standing"].excused,
            row["standing"].planned,
            _("yes") if row["standing"].completed else _("no"),
        ]
        for number, row in enumerate(rows, start=1)
    ]
    return xlsx_response(
        f"dziennik-obecnosci-{slug(group)}.xlsx", _("Attendance register"), headers, data
    )


def group_certificates_pdf(request, pk):
    group = get_group(pk)
    try:
        pdf = papers.certificates_batch_pdf(Trainee.objects.filter(group=group), actor=request.user)
    except EmptyBatch:
        messages.error(request, _("Nobody in this group has completed the module yet."))
        return redirect("training:group_detail", group.pk)
    return pdf_response(pdf, f"zaswiadczenia-{slug(group)}.pdf")
