"""What the pages of training share: one lookup per object kind (the URL role table is the
access rule: a missing object is a 404), and the file-name slug of a group."""

from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from ..models import Trainee, TrainingGroup, TrainingModule, TrainingSession
from ..standings import with_hours


def get_module(pk) -> TrainingModule:
    return get_object_or_404(TrainingModule.objects.select_related("contract__supplier"), pk=pk)


def get_group(pk) -> TrainingGroup:
    return get_object_or_404(TrainingGroup.objects.select_related("module"), pk=pk)


def get_session(pk) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.select_related("group__module", "sheet_attached_by"), pk=pk
    )


def get_trainee(pk) -> Trainee:
    queryset = with_hours(Trainee.objects.all()).select_related(
        "participant__application", "module__contract__supplier"
    )
    return get_object_or_404(queryset, pk=pk)


def slug(group) -> str:
    return slugify(f"modul-{group.module.number}-{group.name}")
