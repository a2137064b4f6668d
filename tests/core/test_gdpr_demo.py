"""GDPR duties on the demo data of every app (SECURITY.md, Public-sector duties): the
data-subject export of a real borrower finds their application, household membership,
participation, loan agreement, promissory note and training records; retention on a date far in
the future anonymises everyone but the household under a legal hold, everywhere in the database
(audit trail included), and leaves every statistic as it was."""

import datetime
import json
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from lebork_einclusion import gdpr
from lebork_einclusion.models import PersonalDataAccess, Project
from lebork_einclusion.services import do_place_legal_hold
from lending.models import LoanAgreement, Participant
from recruitment.models import Application, Evaluation, HouseholdMember, RankingEntry
from tests.crawl import demo_pesels, text_of
from training.models import Attendance, Trainee

FAR_FUTURE = "2100-01-01"


@pytest.fixture
def borrower_in_training(db):
    """A demo signatory of a loan agreement in force who also attends a training module."""
    trainee = (
        Trainee.objects.filter(
            member__isnull=False,
            participant__agreements__status=LoanAgreement.Status.ACTIVE,
            attendance__isnull=False,
        )
        .select_related("member", "participant")
        .order_by("pk")
        .first()
    )
    assert trainee is not None
    return trainee


def _export(client, pesel, fmt="json"):
    return client.post(reverse("core:subject_export"), {"pesel": pesel, "format": fmt})


def test_the_export_of_a_demo_borrower_finds_their_records_in_every_app(
    coordinator_client, borrower_in_training
):
    trainee = borrower_in_training
    member, participant = trainee.member, trainee.participant
    agreement = participant.agreements.get(status=LoanAgreement.Status.ACTIVE)
    logged_before = PersonalDataAccess.objects.count()

    response = _export(coordinator_client, member.pesel)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    records = {r["type"]: r["items"] for r in json.loads(response.content)["records"]}
    ids = {kind: {item["id"] for item in items} for kind, items in records.items()}
    assert member.pk in ids["recruitment.householdmember"]
    assert member.application_id in ids["recruitment.application"]
    assert set(member.application.documents.values_list("pk", flat=True)) <= ids.get(
        "recruitment.applicationdocument", set()
    )
    assert participant.pk in ids["lending.participant"]
    assert agreement.pk in ids["lending.loanagreement"]
    assert agreement.note.pk in ids["lending.promissorynote"]
    assert trainee.pk in ids["training.trainee"]
    assert set(trainee.attendance.values_list("pk", flat=True)) <= ids["training.attendance"]
    # Every record shown is in the access log, none by its PESEL.
    shown = sum(len(items) for items in records.values())
    rows = PersonalDataAccess.objects.order_by("pk")[logged_before:]
    assert len(rows) == shown
    assert all(member.pesel not in row.object_id for row in rows)


def test_the_pdf_export_of_a_demo_borrower_names_the_agreement_and_the_training(
    coordinator_client, borrower_in_training
):
    trainee = borrower_in_training
    agreement = trainee.participant.agreements.get(status=LoanAgreement.Status.ACTIVE)
    response = _export(coordinator_client, trainee.member.pesel, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(text_of("application/pdf", response.content).split())
    assert agreement.number in text
    assert trainee.member.application.number in text
    assert trainee.module.name in text or trainee.group.name in text


# --- retention on the demo ------------------------------------------------------------------------


def _statistics() -> dict:
    """What the project reports must survive retention unchanged."""
    from monitoring.indicators import live_indicators

    project = Project.current()
    return {
        "applications": Counter(Application.objects.values_list("call__code", flat=True)),
        "points": dict(Evaluation.objects.values_list("application_id", "points")),
        "criteria": dict(Evaluation.objects.values_list("application_id", "not_credited")),
        "ranking": list(
            RankingEntry.objects.order_by("pk").values_list("application_id", "points", "rank")
        ),
        "members": Counter(HouseholdMember.objects.values_list("role", "disability")),
        "trainees_by_sex": Counter(Trainee.objects.values_list("module__number", "sex")),
        "trainees_by_age": Counter(Trainee.objects.values_list("module__number", "age")),
        "attendance": Counter(Attendance.objects.values_list("status")),
        "participants": Counter(Participant.objects.values_list("status")),
        "agreements": Counter(LoanAgreement.objects.values_list("status")),
        "indicators": [
            i.as_dict() for i in live_indicators(project, as_of=datetime.date(2015, 12, 31))
        ],
    }


def _tables_holding(pesels: set[str]) -> dict[str, int]:
    """Every table of the database (audit trail included) with rows holding one of the PESEL
    numbers anywhere in their text: {table: rows}."""
    if not pesels:
        return {}
    pattern = "(" + "|".join(sorted(pesels)) + ")"
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" t WHERE t::text ~ %s',  # noqa: S608 (table names from the catalogue)
                [pattern],
            )
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def test_retention_far_in_the_future_anonymises_everyone_but_the_held_and_keeps_the_statistics(
    borrower_in_training, capsys
):
    held_application = borrower_in_training.member.application
    coordinator = get_user_model().objects.get(username="koordynator")
    do_place_legal_hold(
        "recruitment.application", held_application.pk, "Skarga do sądu.", actor=coordinator
    )
    held = set(held_application.members.values_list("pesel", flat=True))
    everyone = demo_pesels()
    assert held and len(everyone - held) > 100
    before = _statistics()
    held_names = list(held_application.members.values_list("first_name", "last_name"))

    call_command("apply_retention", "--dry-run", f"--today={FAR_FUTURE}")
    dry = capsys.readouterr().out
    assert "DRY RUN" in dry and "recruitment.householdmember: would anonymise" in dry
    assert demo_pesels() == everyone  # the dry run changed nothing

    call_command("apply_retention", f"--today={FAR_FUTURE}")
    out = capsys.readouterr().out
    assert "APPLIED" in out and "kept under a legal hold" in out

    # Nobody left in any table, audit trail included, but the household under the hold.
    assert _tables_holding(everyone - held) == {}
    assert demo_pesels() == held
    assert list(held_application.members.values_list("first_name", "last_name")) == held_names
    assert Trainee.objects.filter(member__isnull=True).exclude(pesel="").count() == 0
    assert not HouseholdMember.objects.exclude(pesel__in=held).exclude(first_name="").exists()
    # Every statistic as it was.
    assert _statistics() == before
    # A second run finds nothing more to do but the held household.
    report = gdpr.do_apply_retention(datetime.date.fromisoformat(FAR_FUTURE))
    assert report.anonymised == 0 and report.held > 0


def test_after_retention_the_export_finds_only_the_held_person(
    coordinator_client, borrower_in_training
):
    held_application = borrower_in_training.member.application
    do_place_legal_hold(
        "recruitment.application", held_application.pk, "Kontrola.", actor=coordinator_client.user
    )
    other = (
        HouseholdMember.objects.exclude(application=held_application)
        .filter(application__participant__isnull=False)
        .order_by("pk")
        .first()
    )
    gdpr.do_apply_retention(datetime.date.fromisoformat(FAR_FUTURE))

    kept = _export(coordinator_client, borrower_in_training.member.pesel)
    assert kept["Content-Type"].startswith("application/json")
    gone = _export(coordinator_client, other.pesel)
    assert gone.status_code == 200 and gone["Content-Type"].startswith("text/html")
    page = gone.content.decode()
    assert 'id="id_pesel_error"' in page
    assert "No record in the system holds this PESEL" in page or "nie zawiera tego numeru" in page


def test_every_model_holding_a_pesel_or_a_name_is_in_the_registry():
    """A model of any app with a PESEL, a person's name or an address that is not declared would
    be missing from the record of processing, the export and retention."""
    declared = {source.label for source in gdpr.sources()}
    personal = {"pesel", "first_name", "last_name", "street", "phone"}
    from django.conf import settings

    undeclared = [
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_config.name in settings.PROJECT_APPS
        and not model._meta.db_table.endswith("event")
        and personal & {f.name for f in model._meta.concrete_fields}
        and model._meta.label_lower not in declared
    ]
    assert undeclared == []
