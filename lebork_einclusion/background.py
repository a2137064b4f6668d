"""Background work that produces a file, on the tasks framework.

Django 6 ships `django.tasks`; on Django 5.2 the maintained backport `django_tasks` is the same
API. The backend is the TASKS setting (database-backed with its `db_worker` by default; a Redis
or Celery backend is a settings change), and this module is the only place that imports it.

A view calls start_generation() and redirects to the file's page, which polls the progress and
offers the download; the task calls run_generation() with a builder that reports progress.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

from .models import GeneratedFile

logger = logging.getLogger("einclusion.background")

__all__ = ["run_generation", "start_generation", "task"]


def keep_for() -> timedelta:
    """How long a generated file is kept (GENERATED_FILES_KEEP_DAYS), then removed by
    `manage.py clear_generated_files` (a daily timer) and by `manage.py apply_retention`."""
    return timedelta(days=settings.GENERATED_FILES_KEEP_DAYS)


def expired_files(now=None):
    """Generated files older than keep_for(), finished or not."""
    return GeneratedFile.objects.filter(created_at__lt=(now or timezone.now()) - keep_for())


def start_generation(user, title: str, filename: str, task_function, *args) -> GeneratedFile:
    """Record the file to make and queue its task (the task row commits with the request)."""
    generated = GeneratedFile.objects.create(title=title, filename=filename, created_by=user)
    task_function.enqueue(str(generated.pk), *args)
    return GeneratedFile.objects.get(pk=generated.pk)


def run_generation(file_id: str, build: Callable[[Callable[[int, int], None]], bytes]) -> None:
    """Run build(progress) for the file: progress(done, total) is saved as the work goes on."""
    GeneratedFile.objects.filter(pk=file_id).update(status=GeneratedFile.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        GeneratedFile.objects.filter(pk=file_id).update(done=done, total=total)

    generated = GeneratedFile.objects.get(pk=file_id)
    try:
        content = build(progress)
    except Exception:
        logger.exception("background file %s failed", file_id)
        GeneratedFile.objects.filter(pk=file_id).update(
            status=GeneratedFile.Status.FAILED,
            error=_("The file could not be made. The error has been logged; try again."),
            finished_at=timezone.now(),
        )
        return
    generated.refresh_from_db()
    generated.file.save(generated.filename, ContentFile(content), save=False)
    generated.status = GeneratedFile.Status.DONE
    generated.finished_at = timezone.now()
    generated.done = generated.total = max(generated.total, generated.done)
    generated.save(update_fields=["file", "status", "finished_at", "done", "total"])


def delete_generated(generated: GeneratedFile) -> None:
    """Remove a generated file: its stored content and its row."""
    if generated.file:
        generated.file.delete(save=False)
    generated.delete()


def clear_expired(now=None) -> int:
    """Delete files older than keep_for() (and their stored content)."""
    count = 0
    for generated in expired_files(now):
        delete_generated(generated)
        count += 1
    return count
