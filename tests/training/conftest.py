"""A training module of March 2024 built through the services (as the pages do), beside the
demo's modules of 2012-2013; people from the demo's participating households."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from lebork_einclusion import roles
from lending.models import Participant
from recruitment import domain
from tests import helpers
from training.models import (
    Attendance,
    AttendanceCorrection,
    ELearningEnrolment,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)
from training.services import attendance as attendance_services
from training.services import modules as module_services
from training.services import sessions as session_services
from training.services import trainees as trainee_services

# A minimal PDF: what a scanner produces starts like this (the upload check reads the content).
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def at(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def snapshot() -> dict:
    """Everything of training a refused step must leave as it was."""
    return helpers.snapshot(
        TrainingModule,
        TrainingGroup,
        Trainee,
        TrainingSession,
        (Attendance, "pk", "session", "trainee", "status", "reason"),
        (AttendanceCorrection, "pk"),
        ELearningEnrolment,
    )


@pytest.fixture
def coordinator(make_user):
    return make_user(roles.COORDINATOR, first_name="Anna", last_name="Koordynująca")


@pytest.fixture
def assistant(make_user):
    return make_user(roles.ASSISTANT, first_name="Piotr", last_name="Notujący")


@pytest.fixture
def assistant_client(client, assistant):
    client.force_login(assistant)
    client.user = assistant
    return client


@pytest.fixture
def households(db):
    """Active demo participants in the order of the main list."""
    return list(
        Participant.objects.active()
        .select_related("application", "signatory")
        .prefetch_related("application__members")
        .order_by("application__sequence")
    )


def applicant_of(participant):
    return next(m for m in participant.application.members.all() if m.role == domain.APPLICANT)


@pytest.fixture
def module(db, coordinator):
    return module_services.do_save_module(
        None,
        {
            "number": 9,
            "name": "Moduł testowy",
            "form": TrainingModule.Form.CLASSROOM,
            "hour_unit": TrainingModule.HourUnit.ACADEMIC,
            "planned_groups": 2,
            "planned_hours_per_group": Decimal("6"),
            "starts_on": day("2024-03-04"),
            "ends_on": day("2024-03-29"),
            "completion_percent": 80,
            "obligatory": False,
            "certificate_text": "ukończył(a) szkolenie testowe.",
        },
        actor=coordinator,
    )


@pytest.fixture
def group(module, coordinator):
    return module_services.do_save_group(
        TrainingGroup(module=module),
        {
            "name": "Grupa A",
            "trainer": "Anna Trenerska",
            "room": "Sala 1",
            "capacity": 4,
        },
        actor=coordinator,
    )


@pytest.fixture
def other_group(module, coordinator):
    return module_services.do_save_group(
        TrainingGroup(module=module),
        {
            "name": "Grupa B",
            "trainer": "Jan Trenerski",
            "room": "Sala 2",
            "capacity": 4,
        },
        actor=coordinator,
    )


@pytest.fixture
def trainees(group, households, coordinator):
    """The applicants of the first three households, in Grupa A."""
    members = [applicant_of(p) for p in households[:3]]
    return trainee_services.do_add_members(group, members, actor=coordinator)


def schedule(group, actor, date="2024-03-05", start="10:00", end="11:30", hours="2", **more):
    fields = {
        "date": day(date),
        "starts_at": at(start),
        "ends_at": at(end),
        "hours": Decimal(hours),
        "topic": more.pop("topic", "Podstawy"),
        "trainer": more.pop("trainer", group.trainer),
        "room": more.pop("room", group.room),
    }
    return session_services.do_save_session(TrainingSession(group=group), fields, actor=actor)


@pytest.fixture
def sessions(group, trainees, coordinator):
    """Three sessions of two academic hours: 6 h planned, 4,8 h needed to complete."""
    return [
        schedule(group, coordinator, date="2024-03-05", topic="Komputer i pliki"),
        schedule(group, coordinator, date="2024-03-12", topic="Internet"),
        schedule(group, coordinator, date="2024-03-19", topic="Poczta elektroniczna"),
    ]


def mark_all(session, trainees, actor, status=Attendance.Status.PRESENT, **special):
    """special: trainee -> (status, reason)."""
    marks = {t.pk: (status, "") for t in trainees}
    for trainee, mark in special.get("marks", {}).items():
        marks[trainee.pk] = mark
    return attendance_services.do_record_attendance(session, marks, actor=actor)
