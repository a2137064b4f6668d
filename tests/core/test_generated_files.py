"""Background files: the task records progress, the page polls it, only its owner downloads."""

import pytest
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.background import run_generation, start_generation, task
from lebork_einclusion.models import GeneratedFile


@task()
def make_greeting(file_id: str, name: str) -> None:
    def build(progress):
        for done in range(1, 4):
            progress(done, 3)
        return f"Dzień dobry, {name}".encode()

    run_generation(file_id, build)


@task()
def fail_always(file_id: str) -> None:
    def build(progress):
        raise RuntimeError("boom")

    run_generation(file_id, build)


@pytest.fixture
def owner(make_user):
    return make_user(roles.ASSISTANT)


def test_it_makes_the_file_and_offers_the_download(client, owner):
    generated = start_generation(owner, "Powitanie", "powitanie.txt", make_greeting, "Łucjo")
    assert generated.status == GeneratedFile.Status.DONE
    assert (generated.done, generated.total, generated.percent) == (3, 3, 100)
    client.force_login(owner)
    status = client.get(reverse("core:generated_file_status", args=[generated.pk])).json()
    assert status["status"] == "done"
    assert status["download"] == reverse("core:generated_file_download", args=[generated.pk])
    response = client.get(status["download"])
    assert b"".join(response.streaming_content) == "Dzień dobry, Łucjo".encode()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_page_shows_progress_and_survives_a_reload(client, owner):
    generated = GeneratedFile.objects.create(
        title="Umowy", filename="umowy.pdf", created_by=owner, done=30, total=75
    )
    GeneratedFile.objects.filter(pk=generated.pk).update(status=GeneratedFile.Status.RUNNING)
    client.force_login(owner)
    page = client.get(reverse("core:generated_file", args=[generated.pk])).content.decode()
    assert 'value="40"' in page
    assert "30/75" in page
    download = client.get(reverse("core:generated_file_download", args=[generated.pk]))
    assert download.status_code == 404


def test_a_failure_is_recorded_with_a_message_and_no_file(owner):
    generated = start_generation(owner, "Zły", "zly.pdf", fail_always)
    assert generated.status == GeneratedFile.Status.FAILED
    assert generated.error
    assert not generated.file


def test_another_user_gets_404_but_the_coordinator_may_open_it(client, owner, make_user):
    generated = start_generation(owner, "Powitanie", "p.txt", make_greeting, "X")
    client.force_login(make_user(roles.ASSISTANT))
    assert client.get(reverse("core:generated_file", args=[generated.pk])).status_code == 404
    client.force_login(make_user(roles.COORDINATOR))
    assert client.get(reverse("core:generated_file", args=[generated.pk])).status_code == 200
