"""Monitoring's personal data in the registry: the visits, their photos and signatures, the
assets' notes, the follow-ups and the plan's notes, found by any household member's PESEL and
blanked (photos and signatures deleted) after the retention period, keeping what the durability
reports count."""

import datetime
import json
import shutil

from django.urls import reverse

from lebork_einclusion import gdpr
from monitoring.models import AssetCheck, FollowUp, MonitoringVisit, VisitPhoto

from .conftest import stored_files

AFTER = datetime.date(2040, 1, 1)


def test_every_monitoring_model_with_personal_data_is_declared():
    labels = {source.label for source in gdpr.sources()}
    assert {
        "monitoring.monitoringvisit",
        "monitoring.visitphoto",
        "monitoring.assetcheck",
        "monitoring.followup",
        "monitoring.plannedvisit",
    } <= labels


def test_a_member_of_the_household_finds_its_visit(coordinator_client):
    visit = MonitoringVisit.objects.exclude(signature="").filter(photos__isnull=False).first()
    member = visit.participant.application.members.order_by("-pk").first()
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": member.pesel, "format": "json"}
    )
    records = {r["type"]: r["items"] for r in json.loads(response.content)["records"]}
    # The household's visits of 2013-2018 (the demo's), this one among them.
    exported = records["monitoring.monitoringvisit"]
    assert len(exported) == visit.participant.visits.count() > 1
    assert visit.findings in [item["ustalenia"] for item in exported]
    assert len(records["monitoring.visitphoto"]) == 2


def test_retention_deletes_photos_and_signatures_and_keeps_the_facts(
    db, django_capture_on_commit_callbacks, settings, tmp_path
):
    # The files are deleted for real: from a copy, so that the demo's stay for other tests.
    shutil.copytree(settings.MEDIA_ROOT, tmp_path / "media")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    visit = MonitoringVisit.objects.exclude(signature="").filter(photos__isnull=False).first()
    files = [visit.signature.name.removeprefix("visits/")] + [
        name.removeprefix("visits/")
        for photo in visit.photos.all()
        for name in (photo.image.name, photo.thumbnail.name)
    ]
    assert set(files) <= set(stored_files())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        gdpr.do_apply_retention(AFTER)
    assert set(files) <= set(stored_files())  # nothing deleted before the commit
    for callback in callbacks:
        callback()
    visit.refresh_from_db()
    assert (visit.findings, visit.present, visit.signed_by, visit.signature.name) == (
        "",
        "",
        "",
        "",
    )
    assert not VisitPhoto.objects.exists()
    assert not set(files) & set(stored_files())
    assert not AssetCheck.objects.exclude(note="").exists()
    assert not FollowUp.objects.exclude(outcome="").exists()
    # What the durability reports count stays.
    assert visit.outcome == "made" and visit.checks.filter(state="damaged").exists()
    assert MonitoringVisit.objects.filter(outcome="made").count() == 451  # 2013-2018
