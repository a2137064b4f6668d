"""The demo's training (loaded once for the test run): its shape, and loading it again changes
nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from lending.models import Participant
from procurement.demo import TRAINING_CONTRACT
from training.models import (
    Attendance,
    AttendanceCorrection,
    ELearningEnrolment,
    Trainee,
    TrainingModule,
    TrainingSession,
)
from training.standings import standing, with_hours

pytestmark = pytest.mark.django_db


def test_module_1_has_8_groups_of_12_hours_between_19_11_and_07_12_2012():
    module = TrainingModule.objects.get(number=1, project_id=1)
    assert (module.starts_on, module.ends_on) == (
        datetime.date(2012, 11, 19),
        datetime.date(2012, 12, 7),
    )
    assert module.contract.number == TRAINING_CONTRACT
    assert module.provider == "AP Edukacja"
    groups = list(module.groups.all())
    assert len(groups) == 8
    for group in groups:
        sessions = list(group.sessions.all())
        assert sum(s.hours for s in sessions) == Decimal("12")
        assert all(module.starts_on <= s.date <= module.ends_on for s in sessions)
        assert all(s.locked for s in sessions)


def test_about_150_trainees_from_the_75_households():
    trainees = Trainee.objects.filter(module__number=1)
    assert 145 <= trainees.count() <= 155
    assert (
        trainees.values("participant").distinct().count()
        == 75
        == (Participant.objects.active().count())
    )
    newcomers = trainees.filter(member__isnull=True)
    assert newcomers.count() == 1 and newcomers.get().reason


def test_realistic_absences_a_few_excused_one_trainee_short():
    marks = Attendance.objects.filter(session__group__module__number=1)
    absent = marks.filter(status="absent").count()
    excused = marks.filter(status="excused").count()
    assert 0.02 < (absent + excused) / marks.count() < 0.1
    assert 2 <= excused < absent
    short = [
        t for t in with_hours(Trainee.objects.filter(module__number=1)) if not standing(t).completed
    ]
    assert len(short) == 1
    assert AttendanceCorrection.objects.filter(
        attendance__session__group__module__number=1
    ).exists()


def test_module_2_e_learning_with_the_opening_meeting_and_imported_progress():
    module = TrainingModule.objects.get(number=2, project_id=1)
    assert module.is_e_learning
    assert TrainingSession.objects.get(group__module=module).date == datetime.date(2013, 10, 16)
    enrolments = ELearningEnrolment.objects.filter(trainee__module=module)
    assert enrolments.filter(progress_percent__isnull=False).count() == 68
    assert module.progress_imports.get().rows == 68


def test_loading_the_demo_again_changes_nothing():
    counts = (
        Trainee.objects.count(),
        TrainingSession.objects.count(),
        Attendance.objects.count(),
        AttendanceCorrection.objects.count(),
    )
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    assert counts == (
        Trainee.objects.count(),
        TrainingSession.objects.count(),
        Attendance.objects.count(),
        AttendanceCorrection.objects.count(),
    )
