"""Issue 12, item 4: files made in the background (a whole call's agreements: 75 PESEL numbers)
expire. `clear_generated_files` deletes them after GENERATED_FILES_KEEP_DAYS, a daily timer and
a compose service run it, retention deletes them too (backups: test_backup_integrity.py)."""

import configparser
import datetime
import io
from pathlib import Path

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from lebork_einclusion import gdpr, roles
from lebork_einclusion.models import GeneratedFile

ROOT = Path(__file__).resolve().parents[2]


def _generated(owner, age: datetime.timedelta) -> GeneratedFile:
    generated = GeneratedFile(
        title="Umowy", filename="umowy.pdf", created_by=owner, status=GeneratedFile.Status.DONE
    )
    generated.file.save("umowy.pdf", ContentFile(b"%PDF-1.4 44051401359"), save=False)
    generated.save()
    GeneratedFile.objects.filter(pk=generated.pk).update(created_at=timezone.now() - age)
    return generated


@pytest.fixture
def owner(make_user):
    return make_user(roles.ASSISTANT)


def test_the_command_keeps_files_as_long_as_the_setting_says(owner, settings):
    settings.GENERATED_FILES_KEEP_DAYS = 1
    old = _generated(owner, datetime.timedelta(hours=36))
    fresh = _generated(owner, datetime.timedelta(hours=12))
    out = io.StringIO()
    call_command("clear_generated_files", stdout=out)
    assert "deleted 1 generated files" in out.getvalue()
    assert not GeneratedFile.objects.filter(pk=old.pk).exists()
    assert not old.file.storage.exists(old.file.name)
    assert GeneratedFile.objects.filter(pk=fresh.pk).exists()
    assert fresh.file.storage.exists(fresh.file.name)


def test_retention_deletes_expired_generated_files_and_their_content(
    owner, django_capture_on_commit_callbacks
):
    old = _generated(owner, datetime.timedelta(days=3))
    fresh = _generated(owner, datetime.timedelta(hours=1))
    source = gdpr.source_for("core.generatedfile")
    assert source is not None and source.managed_by_retention
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=io.StringIO())
    assert not GeneratedFile.objects.filter(pk=old.pk).exists()
    assert not old.file.storage.exists(old.file.name)
    assert GeneratedFile.objects.filter(pk=fresh.pk).exists()


def test_the_record_of_processing_lists_the_generated_files(coordinator_client):
    from django.urls import reverse

    page = coordinator_client.get(reverse("core:processing_register")).content.decode()
    assert str(GeneratedFile._meta.verbose_name_plural) in page


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    assert parser.read(ROOT / "deploy" / "systemd" / name), name
    return parser


def test_a_daily_systemd_timer_runs_the_command():
    service = _unit("einclusion-clear-generated.service")["Service"]
    assert service["ExecStart"].endswith("manage.py clear_generated_files")
    assert service["EnvironmentFile"] == "/etc/einclusion/env"
    assert service["User"] == "einclusion"
    assert "/srv/einclusion/media" in service["ReadWritePaths"]
    timer = _unit("einclusion-clear-generated.timer")["Timer"]
    assert timer["OnCalendar"].startswith("*-*-* ")  # every day
    assert timer["Persistent"] in {"true", "yes"}  # a run missed while off is made up
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    assert "einclusion-clear-generated.timer" in deploy.split("systemctl enable --now")[1]


def test_the_compose_file_runs_the_command_daily_on_the_uploads():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    runners = [
        name
        for name, service in services.items()
        if "clear_generated_files" in str(service.get("command", ""))
    ]
    assert runners == ["cleanup"]
    cleanup = services["cleanup"]
    assert "media:/srv/einclusion/media" in cleanup["volumes"]
    assert "sleep 86400" in cleanup["command"]
