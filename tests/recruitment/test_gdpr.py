"""The recruitment's personal data in the registry: found by PESEL, exported, and anonymised
after the retention period without losing the statistics (points, criteria, sex, age group),
including the PESEL numbers in the frozen lists' breakdowns and in every audit trail."""

import datetime
import json

import pytest
from django.urls import reverse
from pghistory.models import Events

from lebork_einclusion import gdpr
from lebork_einclusion.models import LegalHold
from recruitment.gdpr import age_group, pseudonym
from recruitment.models import (
    Application,
    ApplicationDocument,
    Evaluation,
    HouseholdMember,
    RankingEntry,
)

AFTER = datetime.date(2040, 1, 1)


@pytest.fixture
def application(db):
    return Application.objects.get(number="2012/001")


def test_every_recruitment_model_with_personal_data_is_declared():
    labels = {source.label for source in gdpr.sources()}
    assert {
        "recruitment.application",
        "recruitment.householdmember",
        "recruitment.applicationdocument",
        "recruitment.reviewnote",
        "recruitment.notification",
    } <= labels
    member = gdpr.source_for("recruitment.householdmember")
    assert member.special and member.managed_by_retention


def test_the_subject_export_finds_the_application_and_the_member(coordinator_client, application):
    member = application.members.order_by("pk").last()
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": member.pesel, "format": "json"}
    )
    records = {r["type"]: r["items"] for r in json.loads(response.content)["records"]}
    assert [item["id"] for item in records["recruitment.householdmember"]] == [member.pk]
    assert records["recruitment.application"][0]["numer rejestracyjny"] == "2012/001"
    assert "lending.participant" in records  # the household takes part


def test_nothing_is_anonymised_before_the_retention_end(application):
    report = gdpr.do_apply_retention(datetime.date(2028, 12, 31))
    assert report.items == []


def test_retention_anonymises_members_and_their_pesel_everywhere(db):
    # A person credited by name in the approved lists (a disability, a scholarship).
    entry = next(
        e for e in RankingEntry.objects.order_by("pk") if any(c["pesel"] for c in e.breakdown)
    )
    old = next(c["pesel"] for c in entry.breakdown if c["pesel"])
    member = HouseholdMember.objects.get(pesel=old, application=entry.application)
    application = member.application
    points = Evaluation.objects.get(application=application).points
    gdpr.do_apply_retention(AFTER)

    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.pesel) == ("", "", pseudonym(member.pk))
    assert member.sex in ("F", "M") and member.age_group
    application.refresh_from_db()
    assert (application.street, application.phone, application.monthly_net_income) == ("", "", 0)
    assert application.anonymised_at is not None
    evaluation = Evaluation.objects.get(application=application)
    assert evaluation.points == points  # statistics stay
    assert old not in evaluation.pesels and evaluation.address is None
    assert not any(old in json.dumps(e.breakdown) for e in RankingEntry.objects.all())
    named = {
        c["pesel"]
        for e in RankingEntry.objects.filter(application=application)
        for c in e.breakdown
        if c["pesel"]
    }
    assert pseudonym(member.pk) in named  # points still by person, under a pseudonym
    assert all(p.startswith("A") for p in named)
    assert not any(old in json.dumps(e.pgh_data) for e in Events.objects.all())


def test_a_legal_hold_on_an_application_keeps_its_household(application):
    LegalHold.objects.create(
        object_type="recruitment.application", object_id=str(application.pk), reason="skarga"
    )
    pesels = set(application.members.values_list("pesel", flat=True))
    report = gdpr.do_apply_retention(AFTER)
    assert report.held >= len(pesels) + 1
    assert set(application.members.values_list("pesel", flat=True)) == pesels
    application.refresh_from_db()
    assert application.street


def test_scans_are_deleted_and_the_document_type_stays(
    application, django_capture_on_commit_callbacks, settings, tmp_path
):
    import shutil

    from django.core.files.base import ContentFile

    # Retention deletes every app's files for real: from a copy, so the demo's stay for others.
    shutil.copytree(settings.MEDIA_ROOT, tmp_path / "media")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    document = application.documents.order_by("pk").first()
    document.scan.save("skan.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    storage, name = document.scan.storage, document.scan.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        gdpr.do_apply_retention(AFTER)
    document = ApplicationDocument.objects.get(pk=document.pk)
    assert not document.scan and document.doc_type
    assert storage.exists(name)  # a rolled-back run would still find its scan
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_age_groups():
    assert [age_group(a) for a in (0, 17, 18, 30, 64, 65, 90)] == [
        "0-17",
        "0-17",
        "18-24",
        "25-34",
        "55-64",
        "65+",
        "65+",
    ]


def test_the_pseudonym_is_never_a_pesel():
    from lebork_einclusion.pesel import is_valid_pesel

    assert len(pseudonym(12)) == 11 and not is_valid_pesel(pseudonym(12))
    assert HouseholdMember._meta.get_field("pesel").max_length == 11
