"""Training's personal data in the GDPR registry: the data-subject export finds a trainee's
records by PESEL (as a household member or not), and retention removes names, PESEL, reasons
and scans while the figures keep sex and age."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from lebork_einclusion import gdpr
from training.figures import training_figures
from training.models import Attendance, Trainee, TrainingSession
from training.services import attendance as attendance_services
from training.services import trainees as trainee_services

from .conftest import SCAN, mark_all

AFTER = datetime.date(2040, 1, 1)  # past the demo project's retention end


def test_the_record_of_processing_names_trainings_data():
    labels = {source.label for source in gdpr.sources()}
    assert {
        "training.trainee",
        "training.attendance",
        "training.attendancecorrection",
        "training.trainingsession",
        "training.traininggroup",
        "training.elearningenrolment",
    } <= labels


def test_the_subject_export_finds_a_members_training_records(trainees, sessions, assistant):
    mark_all(sessions[0], trainees, assistant)
    pesel = trainees[0].member.pesel
    found = {section.source.label: section.records for section, _objs in gdpr.find_subject(pesel)}
    (place,) = [r for r in found["training.trainee"] if r["id"] == trainees[0].pk]
    assert place["moduł"] == "Moduł testowy" and place["grupa"] == "Grupa A"
    assert any(
        r["obecność"] == "obecny" and r["zajęcia"] == "Grupa A, 2024-03-05"
        for r in found["training.attendance"]
    )


def test_retention_anonymises_a_newcomer_but_keeps_the_figures(
    group, households, sessions, coordinator, assistant
):
    newcomer = trainee_services.do_add_newcomer(
        group,
        households[0],
        first_name="Kamil",
        last_name="Nowy",
        pesel="91050300134",
        reason="Wprowadził się w lutym 2024.",
        actor=coordinator,
    )
    attendance_services.do_record_attendance(
        sessions[0], {newcomer.pk: ("excused", "choroba")}, actor=assistant
    )
    before = next(r for r in training_figures()["modules"] if r["number"] == 9)
    gdpr.do_apply_retention(AFTER, actor=coordinator)
    newcomer.refresh_from_db()
    assert (newcomer.first_name, newcomer.last_name, newcomer.pesel, newcomer.reason) == (
        "",
        "",
        "",
        "",
    )
    assert newcomer.anonymised_at is not None
    assert (newcomer.sex, newcomer.age) == ("M", 32)
    assert Attendance.objects.get(trainee=newcomer).reason == "—"
    assert not gdpr.find_subject("91050300134")
    after = next(r for r in training_figures()["modules"] if r["number"] == 9)
    assert after["by_sex"] == before["by_sex"] and after["by_age_band"] == before["by_age_band"]


def test_retention_removes_the_scans_of_signed_sheets(trainees, sessions, assistant, coordinator):
    mark_all(sessions[0], trainees, assistant)
    attendance_services.do_attach_sheet(
        sessions[0], SimpleUploadedFile("l.pdf", SCAN), actor=assistant
    )
    gdpr.do_apply_retention(AFTER, actor=coordinator)
    assert not TrainingSession.objects.get(pk=sessions[0].pk).sheet_scan
    assert Trainee.objects.filter(pk=trainees[0].pk).exists()
