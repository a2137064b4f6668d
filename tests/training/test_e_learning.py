"""Module 2, e-learning: enrolment with a login, its handover, the opening meeting as a session
with attendance, and progress imported from the provider's export (completion follows it)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lebork_einclusion import clock
from training.models import ELearningEnrolment, ProgressImport, TrainingModule
from training.services import trainees as trainee_services
from training.standings import standing

from .conftest import applicant_of


@pytest.fixture
def e_learning(db):
    return TrainingModule.objects.get(number=2, project_id=1)


@pytest.fixture
def enrolments(e_learning):
    return list(
        ELearningEnrolment.objects.filter(trainee__module=e_learning)
        .select_related("trainee__member")
        .order_by("pk")[:3]
    )


def xlsx_upload(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("eksport.xlsx", buffer.getvalue())


def test_an_e_learning_trainee_gets_a_login(e_learning, households, coordinator):
    group = e_learning.groups.get()
    joined = {t.participant_id for t in group.trainees.all()}
    household = next(p for p in households if p.pk not in joined)
    (trainee,) = trainee_services.do_add_members(
        group, [applicant_of(household)], actor=coordinator
    )
    assert trainee.elearning.login == f"LBK2-{trainee.pk:05d}"
    assert trainee.elearning.login_handed_over_on is None


def test_the_provider_export_is_imported_and_completion_follows_it(
    coordinator_client, e_learning, enrolments
):
    upload = xlsx_upload(
        [
            ("Login", "Imię i nazwisko", "Postęp (%)", "Ostatnia aktywność"),
            (
                enrolments[0].login,
                enrolments[0].trainee.full_name,
                100,
                datetime.datetime(2013, 12, 18, 20, 5),
            ),
            (enrolments[1].login, enrolments[1].trainee.full_name, "79,5%", "17.12.2013"),
            (enrolments[2].login.lower(), None, 80, None),
        ]
    )
    imports = ProgressImport.objects.count()
    response = coordinator_client.post(
        reverse("training:progress_import", args=[e_learning.pk]), {"file": upload}, follow=True
    )
    assert "Zaimportowano postęp 3 uczestników." in response.content.decode()
    for enrolment in enrolments:
        enrolment.refresh_from_db()
    assert [e.progress_percent for e in enrolments] == [
        Decimal("100.00"),
        Decimal("79.50"),
        Decimal("80.00"),
    ]
    assert enrolments[0].last_activity_on == datetime.date(2013, 12, 18)
    assert enrolments[1].last_activity_on == datetime.date(2013, 12, 17)
    assert [standing(e.trainee).completed for e in enrolments] == [True, False, True]
    record = ProgressImport.objects.order_by("-pk").first()
    assert ProgressImport.objects.count() == imports + 1
    assert (record.file_name, record.rows, record.imported_by) == (
        "eksport.xlsx",
        3,
        coordinator_client.user,
    )


def test_a_login_handover_is_recorded_on_the_trainees_page(assistant_client, e_learning):
    enrolment = ELearningEnrolment.objects.filter(
        trainee__module=e_learning, login_handed_over_on__isnull=True
    ).first()
    response = assistant_client.post(
        reverse("training:trainee_login", args=[enrolment.trainee_id]),
        {"handed_over_on": "2013-10-30"},
        follow=True,
    )
    assert "Zapisano przekazanie loginu." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.login_handed_over_on == datetime.date(2013, 10, 30)


def test_a_login_handover_in_the_future_is_refused(assistant_client, e_learning):
    enrolment = ELearningEnrolment.objects.filter(trainee__module=e_learning).first()
    before = enrolment.login_handed_over_on
    tomorrow = clock.today() + datetime.timedelta(days=2)
    response = assistant_client.post(
        reverse("training:trainee_login", args=[enrolment.trainee_id]),
        {"handed_over_on": tomorrow.isoformat()},
        follow=True,
    )
    assert "Data nie może być z przyszłości." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.login_handed_over_on == before


def test_the_trainee_page_shows_the_login_and_progress(assistant_client, enrolments):
    enrolment = enrolments[0]
    page = assistant_client.get(
        reverse("training:trainee_detail", args=[enrolment.trainee_id])
    ).content.decode()
    assert enrolment.login in page
    assert "Ukończona część kursu" in page


def test_the_opening_meeting_is_a_session_with_attendance(e_learning):
    (opening,) = e_learning.groups.get().sessions.all()
    assert opening.date == datetime.date(2013, 10, 16)
    assert opening.locked
    assert set(opening.attendance.values_list("status", flat=True)) == {
        "present",
        "absent",
        "excused",
    }
    assert opening.attendance.count() == e_learning.trainees.count()


def test_the_module_page_lists_the_imports(assistant_client, e_learning):
    page = assistant_client.get(
        reverse("training:module_detail", args=[e_learning.pk])
    ).content.decode()
    assert "platforma-postep-2013-12-20.xlsx, wierszy: 68" in page
    assert reverse("training:progress_import", args=[e_learning.pk]) in page


def test_a_classroom_module_has_no_progress_import(coordinator_client):
    module = TrainingModule.objects.get(number=1, project_id=1)
    assert (
        coordinator_client.get(reverse("training:progress_import", args=[module.pk])).status_code
        == 404
    )
