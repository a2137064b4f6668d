"""Issue 12, item 6: a background job whose worker died no longer stays "w toku 8%" forever.

The running task beats a heartbeat; a running job without one for EINCLUSION_JOB_STALE_MINUTES
is failed (with its task row of the database backend) when a worker starts and when its page or
status is asked for; the page then offers a retry that queues the same task with the same
arguments again.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lebork_einclusion import roles
from lebork_einclusion.background import run_generation, start_generation, task
from lebork_einclusion.models import GeneratedFile

pytestmark = pytest.mark.django_db


@task()
def make_text(file_id: str, text: str) -> None:
    def build(progress):
        progress(1, 1)
        return text.encode()

    run_generation(file_id, build)


@pytest.fixture
def owner(make_user):
    return make_user(roles.ASSISTANT)


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """The database backend, as in production: tasks wait for `manage.py db_worker`. The worker
    runs inside the test's transaction: it must not close the connection between tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def _worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _die_mid_way(generated, minutes_ago):
    """What a killed worker leaves: the file running at 8% and its task row RUNNING."""
    beat = timezone.now() - timedelta(minutes=minutes_ago)
    GeneratedFile.objects.filter(pk=generated.pk).update(
        status=GeneratedFile.Status.RUNNING, done=2, total=25, heartbeat_at=beat
    )
    DBTaskResult.objects.filter(args_kwargs__args__0=str(generated.pk)).update(
        status="RUNNING", started_at=beat, worker_ids=["dead-worker"]
    )


def test_a_new_worker_fails_the_dead_job_and_the_retry_makes_the_file(
    client, owner, database_tasks, settings
):
    settings.EINCLUSION_JOB_STALE_MINUTES = 15
    generated = start_generation(owner, "Tekst", "tekst.txt", make_text, "Dzień dobry")
    assert generated.status == GeneratedFile.Status.PENDING
    _die_mid_way(generated, minutes_ago=20)

    _worker()  # a new worker starts

    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.FAILED
    assert generated.error
    row = DBTaskResult.objects.get(args_kwargs__args__0=str(generated.pk))
    assert row.status == "FAILED"

    client.force_login(owner)
    status = client.get(reverse("core:generated_file_status", args=[generated.pk])).json()
    assert status["status"] == "failed"
    assert status["retry"] is True
    page = client.get(reverse("core:generated_file", args=[generated.pk])).content.decode()
    assert reverse("core:generated_file_retry", args=[generated.pk]) in page
    assert "Spróbuj ponownie" in page

    response = client.post(reverse("core:generated_file_retry", args=[generated.pk]))
    assert response.status_code == 302
    generated.refresh_from_db()
    assert (generated.status, generated.done, generated.error) == ("pending", 0, "")
    assert generated.attempts == 2
    again = DBTaskResult.objects.filter(args_kwargs__args__0=str(generated.pk), status="READY")
    assert again.get().args_kwargs["args"] == [str(generated.pk), "Dzień dobry"]

    _worker()

    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert generated.file.read() == "Dzień dobry".encode()


def test_the_status_page_fails_a_job_without_a_heartbeat(client, owner, database_tasks):
    generated = start_generation(owner, "Tekst", "tekst.txt", make_text, "x")
    _die_mid_way(generated, minutes_ago=16)
    client.force_login(owner)
    status = client.get(reverse("core:generated_file_status", args=[generated.pk])).json()
    assert (status["status"], status["retry"]) == ("failed", True)
    assert "Spróbuj" in status["error"] or status["error"]
    assert DBTaskResult.objects.get(args_kwargs__args__0=str(generated.pk)).status == "FAILED"


def test_a_job_with_a_recent_heartbeat_keeps_running(client, owner, database_tasks):
    generated = start_generation(owner, "Tekst", "tekst.txt", make_text, "x")
    _die_mid_way(generated, minutes_ago=3)
    _worker()
    client.force_login(owner)
    status = client.get(reverse("core:generated_file_status", args=[generated.pk])).json()
    assert status["status"] == "running"
    assert status["retry"] is False
    assert DBTaskResult.objects.get(args_kwargs__args__0=str(generated.pk)).status == "RUNNING"


def test_the_setting_decides_when_a_job_is_stale(client, owner, database_tasks, settings):
    settings.EINCLUSION_JOB_STALE_MINUTES = 2
    generated = start_generation(owner, "Tekst", "tekst.txt", make_text, "x")
    _die_mid_way(generated, minutes_ago=3)
    client.force_login(owner)
    status = client.get(reverse("core:generated_file_status", args=[generated.pk])).json()
    assert status["status"] == "failed"


def test_progress_beats_the_heartbeat(owner):
    seen = []
    generated = GeneratedFile.objects.create(title="t", filename="t.txt", created_by=owner)

    def build(progress):
        progress(1, 2)
        seen.append(GeneratedFile.objects.get(pk=generated.pk).heartbeat_at)
        return b"x"

    run_generation(str(generated.pk), build)
    assert seen[0] is not None
    assert timezone.now() - seen[0] < timedelta(minutes=1)


def test_only_a_failed_file_is_retried_and_only_by_its_owner(client, owner, make_user):
    generated = start_generation(owner, "Tekst", "tekst.txt", make_text, "x")  # done at once
    assert generated.status == GeneratedFile.Status.DONE
    client.force_login(owner)
    client.post(reverse("core:generated_file_retry", args=[generated.pk]))
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert generated.attempts == 1

    GeneratedFile.objects.filter(pk=generated.pk).update(status=GeneratedFile.Status.FAILED)
    client.force_login(make_user(roles.ASSISTANT))
    response = client.post(reverse("core:generated_file_retry", args=[generated.pk]))
    assert response.status_code == 404
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.FAILED
