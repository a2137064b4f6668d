"""Training modules and their groups: registered, edited; dates and places checked."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import save_versioned
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project

from ..models import (
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)
from ._shared import lock_row, raise_errors


def _module_date_errors(module: TrainingModule) -> dict:
    if module.pk is None or not (module.starts_on and module.ends_on):
        return {}
    outside = (
        TrainingSession.objects.filter(group__module=module)
        .filter(Q(date__lt=module.starts_on) | Q(date__gt=module.ends_on))
        .order_by("date")
        .first()
    )
    if outside:
        return {
            "starts_on" if outside.date < module.starts_on else "ends_on": _(
                "A session of %(group)s is on %(date)s, outside these dates: move or cancel it "
                "first."
            )
            % {"group": outside.group.name, "date": short_date(outside.date)}
        }
    return {}


def do_create_module(*, actor, project=None, **fields) -> TrainingModule:
    """Register a module (the demo and tests; the page uses do_save_module)."""
    with transaction.atomic():
        module = TrainingModule(project=project or Project.current(), **fields)
        module.full_clean()
        module.save()
        return module


def do_save_module(form, *, actor) -> TrainingModule:
    with transaction.atomic():
        if form.instance.project_id is None:
            form.instance.project = Project.current()
        if form.instance.pk:
            lock_row(TrainingModule, form.instance)
        raise_errors(_module_date_errors(form.instance))
        return save_versioned(form)


def _capacity_errors(group: TrainingGroup) -> dict:
    if group.pk is None:
        return {}
    taken = Trainee.objects.filter(group=group).count()
    if group.capacity < taken:
        return {
            "capacity": _(
                "%(group)s already has %(taken)d trainees: the number of places cannot be lower."
            )
            % {"group": group.name, "taken": taken}
        }
    return {}


def do_create_group(module: TrainingModule, *, actor, **fields) -> TrainingGroup:
    with transaction.atomic():
        group = TrainingGroup(module=module, **fields)
        group.full_clean()
        group.save()
        return group


def do_save_group(form, *, actor) -> TrainingGroup:
    with transaction.atomic():
        if form.instance.pk:
            lock_row(TrainingGroup, form.instance)
        raise_errors(_capacity_errors(form.instance))
        return save_versioned(form)
