"""Background work that produces a file, on the tasks framework.

Django 6 ships `django.tasks`; on Django 5.2 the maintained backport `django_tasks` is the same
API. The backend is the TASKS setting (database-backed with its `db_worker` by default; a Redis
or Celery backend is a settings change), and this module is the only place that imports it.

A view calls start_generation() and redirects to the file's page, which polls the progress and
offers the download; the task calls run_generation() with a builder that reports progress.

A worker can die in the middle of a job (killed, the machine restarted). The running task beats
a heartbeat on its file (every EINCLUSION_JOB_HEARTBEAT_SECONDS and on every progress report);
fail_stale_jobs() fails a running file whose heartbeat is older than EINCLUSION_JOB_STALE_MINUTES,
with its task row of the database backend, so the page stops polling and offers a retry. It runs
when a worker starts (our `db_worker` command wraps django-tasks-db's) and when the file's page or
its status is asked for. retry_generation() enqueues the same task with the same arguments again.
"""

import json
import logging
import shutil
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

try:  # Django 6
    from django.tasks import Task, task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task
    from django_tasks.base import Task

from .models import GeneratedFile
from .pdf import BatchInterrupted, EmptyBatch

logger = logging.getLogger("einclusion.background")

__all__ = [
    "fail_stale_jobs",
    "job_folder",
    "retry_generation",
    "run_generation",
    "start_generation",
    "task",
]


def keep_for() -> timedelta:
    """How long a generated file is kept (GENERATED_FILES_KEEP_DAYS), then removed by
    `manage.py clear_generated_files` (a daily timer) and by `manage.py apply_retention`."""
    return timedelta(days=settings.GENERATED_FILES_KEEP_DAYS)


def expired_files(now=None):
    """Generated files older than keep_for(), finished or not."""
    return GeneratedFile.objects.filter(created_at__lt=(now or timezone.now()) - keep_for())


def job_folder(file_id) -> Path:
    """The job's own scratch folder (the finished parts of a batch of papers): kept when the
    job fails, so a retry makes only what is missing; removed when the file is ready."""
    return Path(settings.EINCLUSION_JOB_ROOT) / str(file_id)


def start_generation(user, title: str, filename: str, task_function, *args) -> GeneratedFile:
    """Record the file to make and queue its task (the task row commits with the request).
    The same file asked for again by the same user while the first is still being made (a
    second click, a second tab) is that first one, not a second job."""
    unfinished = (
        GeneratedFile.objects.filter(
            created_by=user,
            task_path=task_function.module_path,
            task_args=list(args),
            status__in=[GeneratedFile.Status.PENDING, GeneratedFile.Status.RUNNING],
        )
        .order_by("created_at")
        .first()
    )
    if unfinished is not None:
        return unfinished
    generated = GeneratedFile.objects.create(
        title=title,
        filename=filename,
        created_by=user,
        task_path=task_function.module_path,
        task_args=list(args),
    )
    task_function.enqueue(str(generated.pk), *args)
    return GeneratedFile.objects.get(pk=generated.pk)


def _beat(file_id: str) -> None:
    GeneratedFile.objects.filter(pk=file_id, status=GeneratedFile.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


class _Heartbeat:
    """While the block runs, a thread touches the file's heartbeat every few seconds: a long
    step without progress reports is not taken for a dead worker."""

    def __init__(self, file_id: str):
        self.file_id = file_id
        self.interval = settings.EINCLUSION_JOB_HEARTBEAT_SECONDS
        self.stop = threading.Event()
        self.thread = None

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.interval):
                _beat(self.file_id)
        except Exception:  # the job goes on; a missing beat at worst fails it as stale
            logger.exception("heartbeat of background file %s failed", self.file_id)
        finally:
            connection.close()

    def __enter__(self):
        if self.interval > 0:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join()


def run_generation(file_id: str, build: Callable[[Callable[..., None]], bytes | Path]) -> None:
    """Run build(progress) for the file: progress(done, total[, stage]) is saved as the work
    goes on. build returns the content, or the Path of a file it made on disk (copied into
    the storage in chunks, never read whole into memory).

    Two jobs making the same thing (the same task and arguments: two users printing the same
    call's agreements) do not run at once: the second waits for the first (a PostgreSQL
    advisory lock), its heartbeat going on meanwhile."""
    GeneratedFile.objects.filter(pk=file_id).update(
        status=GeneratedFile.Status.RUNNING, heartbeat_at=timezone.now(), stage=""
    )

    def progress(done: int, total: int, stage: str = "") -> None:
        GeneratedFile.objects.filter(pk=file_id).update(
            done=done, total=total, stage=stage, heartbeat_at=timezone.now()
        )

    generated = GeneratedFile.objects.get(pk=file_id)
    same_work = f"{generated.task_path}:{json.dumps(generated.task_args, sort_keys=True)}"
    try:
        with _Heartbeat(file_id), _one_at_a_time(same_work):
            content = build(progress)
    except (EmptyBatch, BatchInterrupted) as refusal:
        # Said as it is: the list was empty, or a worker died (its finished parts are kept).
        logger.warning("background file %s not made: %s", file_id, type(refusal).__name__)
        _fail(file_id, str(refusal))
        return
    except Exception:
        logger.exception("background file %s failed", file_id)
        _fail(file_id, _("The file could not be made. The error has been logged; try again."))
        return
    generated.refresh_from_db()
    if isinstance(content, Path):
        with open(content, "rb") as handle:
            generated.file.save(generated.filename, File(handle), save=False)
    else:
        generated.file.save(generated.filename, ContentFile(content), save=False)
    generated.status = GeneratedFile.Status.DONE
    generated.finished_at = timezone.now()
    generated.done = generated.total = max(generated.total, generated.done)
    generated.stage = ""
    generated.save(update_fields=["file", "status", "finished_at", "done", "total", "stage"])
    shutil.rmtree(job_folder(file_id), ignore_errors=True)


def _fail(file_id: str, error: str) -> None:
    GeneratedFile.objects.filter(pk=file_id).update(
        status=GeneratedFile.Status.FAILED, error=error, finished_at=timezone.now(), stage=""
    )


class _one_at_a_time:
    """A session-level advisory lock named after the work: held while the file is made."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 17))", [self.name])
        return self

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 17))", [self.name])


def _fail_task_rows(file_id: str, now) -> int:
    """The database backend's task row of the file, left RUNNING by the dead worker."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="RUNNING", args_kwargs__args__0=file_id).update(
        status="FAILED",
        finished_at=now,
        exception_class_path="lebork_einclusion.background.WorkerLost",
        traceback="The worker running this task stopped sending its heartbeat.",
    )


def fail_stale_jobs(pk=None, now=None) -> int:
    """Fail every running file (or only `pk`) whose heartbeat is older than the setting."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.EINCLUSION_JOB_STALE_MINUTES)
    no_heartbeat = Q(status=GeneratedFile.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    stale = GeneratedFile.objects.filter(no_heartbeat)
    if pk is not None:
        stale = stale.filter(pk=pk)
    count = 0
    for file_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            # The same condition again: a heartbeat written meanwhile keeps the file running.
            failed = GeneratedFile.objects.filter(no_heartbeat, pk=file_id).update(
                status=GeneratedFile.Status.FAILED,
                error=_(
                    "The work stopped: the background worker ended before the file was "
                    "ready. Try again."
                ),
                finished_at=now,
            )
            if failed:
                _fail_task_rows(str(file_id), now)
                logger.warning("background file %s failed: no heartbeat since %s", file_id, cutoff)
                count += 1
    return count


def retry_generation(generated: GeneratedFile) -> bool:
    """Queue a failed file's task again with the same arguments; False if it cannot be."""
    with transaction.atomic():
        locked = GeneratedFile.objects.select_for_update().get(pk=generated.pk)
        if not locked.can_retry:
            return False
        task_function = import_string(locked.task_path)
        if not isinstance(task_function, Task):
            raise SuspiciousOperation(f"{locked.task_path} is not a task")
        if locked.file:
            locked.file.delete(save=False)
        GeneratedFile.objects.filter(pk=locked.pk).update(
            status=GeneratedFile.Status.PENDING,
            stage="",
            done=0,
            total=0,
            error="",
            file="",
            finished_at=None,
            heartbeat_at=None,
            attempts=locked.attempts + 1,
        )
        task_function.enqueue(str(locked.pk), *locked.task_args)
    logger.info("background file %s queued again (attempt %s)", locked.pk, locked.attempts + 1)
    return True


def delete_generated(generated: GeneratedFile) -> None:
    """Remove a generated file: its stored content, its job folder and its row."""
    if generated.file:
        generated.file.delete(save=False)
    shutil.rmtree(job_folder(generated.pk), ignore_errors=True)
    generated.delete()


def clear_expired(now=None) -> int:
    """Delete files older than keep_for() (and their stored content)."""
    count = 0
    for generated in expired_files(now):
        delete_generated(generated)
        count += 1
    return count
