"""Training modules and their groups: registered, edited; dates and places checked."""

from collections.abc import Mapping

from django.db.models import Q
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project
from lebork_einclusion.records import locked, service

from ..models import (
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)
from ._shared import raise_errors, save_record


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


@service
def do_save_module(module: TrainingModule | None, data: Mapping, *, actor) -> TrainingModule:
    """Register a module (`module` None or unsaved) or change one. `data`: the fields to set; a
    `version` in it is the one the form was opened with (a stale edit is refused)."""
    fields = dict(data)
    expected = fields.pop("version", None)
    if module is None:
        module = TrainingModule()
    if module.pk is None:
        if module.project_id is None:
            module.project = Project.current()
    else:
        module = locked(module, expected_version=expected)
    for name, value in fields.items():
        setattr(module, name, value)
    raise_errors(_module_date_errors(module))
    module.full_clean()
    save_record(module)
    return module


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


@service
def do_save_group(group: TrainingGroup, data: Mapping, *, actor) -> TrainingGroup:
    """Add a group to a module (`group` unsaved, with its module) or change one. `data`: the
    fields to set; a `version` in it is the one the form was opened with."""
    fields = dict(data)
    expected = fields.pop("version", None)
    if group.pk is not None:
        group = locked(group, expected_version=expected)
    for name, value in fields.items():
        setattr(group, name, value)
    raise_errors(_capacity_errors(group))
    group.full_clean()
    save_record(group)
    return group
