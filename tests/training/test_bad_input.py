"""The issue's "Bad input" list: each refused with a clear Polish message, and nothing changed
(`snapshot` of every training table before and after)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lebork_einclusion import clock
from tests.helpers import messages_of
from training import papers
from training.models import ELearningEnrolment, ProgressImport, Trainee, TrainingGroup
from training.services import attendance as attendance_services
from training.services import e_learning as e_learning_services
from training.services import modules as module_services
from training.services import trainees as trainee_services

from .conftest import SCAN, applicant_of, day, mark_all, schedule, snapshot

# --- overlapping sessions ----------------------------------------------------------------------


def test_a_room_taken_at_that_time_is_refused(group, other_group, sessions, coordinator):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        schedule(
            other_group, coordinator, date="2024-03-05", start="11:00", end="12:30", room="Sala 1"
        )
    assert caught.value.message_dict["room"] == [
        "Sala 1 jest wtedy zajęta: Grupa A (Moduł testowy) ma tam zajęcia 05.03.2024 10:00–11:30."
    ]
    assert snapshot() == before


def test_a_trainer_teaching_elsewhere_at_that_time_is_refused(
    group, other_group, sessions, coordinator
):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        schedule(
            other_group,
            coordinator,
            date="2024-03-12",
            start="09:00",
            end="10:30",
            trainer="anna  trenerska",
        )
    assert caught.value.message_dict["trainer"] == [
        "anna  trenerska prowadzi wtedy zajęcia Grupa A (Moduł testowy), 12.03.2024 10:00–11:30."
    ]
    assert snapshot() == before


def test_a_trainee_in_two_overlapping_sessions_is_refused(
    group, trainees, sessions, households, coordinator
):
    """The same person in a group of another module meeting at the same time."""
    other_module = module_services.do_save_module(
        None,
        {
            "number": 10,
            "name": "Moduł równoległy",
            "planned_hours_per_group": 6,
            "starts_on": day("2024-03-01"),
            "ends_on": day("2024-03-31"),
            "certificate_text": "x",
        },
        actor=coordinator,
    )
    parallel = module_services.do_save_group(
        TrainingGroup(module=other_module),
        {
            "name": "Grupa R",
            "trainer": "Ewa Inna",
            "room": "Sala 9",
        },
        actor=coordinator,
    )
    trainee_services.do_add_members(parallel, [applicant_of(households[1])], actor=coordinator)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        schedule(parallel, coordinator, date="2024-03-19", start="11:00", end="12:00", hours="1")
    name = trainees[1].full_name
    assert messages_of(caught.value) == (
        f"{name} byłby(-aby) jednocześnie na dwóch zajęciach: Grupa A (Moduł testowy) ma "
        "zajęcia 19.03.2024 10:00–11:30."
    )
    assert snapshot() == before


def test_a_person_whose_other_group_meets_at_the_same_time_is_not_added(
    group, trainees, sessions, households, coordinator
):
    other_module = module_services.do_save_module(
        None,
        {
            "number": 10,
            "name": "Moduł równoległy",
            "planned_hours_per_group": 6,
            "starts_on": day("2024-03-01"),
            "ends_on": day("2024-03-31"),
            "certificate_text": "x",
        },
        actor=coordinator,
    )
    parallel = module_services.do_save_group(
        TrainingGroup(module=other_module),
        {
            "name": "Grupa R",
            "trainer": "Ewa Inna",
            "room": "Sala 9",
        },
        actor=coordinator,
    )
    schedule(parallel, coordinator, date="2024-03-05", start="11:00", end="12:00", hours="1")
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_add_members(parallel, [applicant_of(households[0])], actor=coordinator)
    assert messages_of(caught.value) == (
        f"{trainees[0].full_name} byłby(-aby) jednocześnie na dwóch zajęciach: Grupa R ma "
        "zajęcia 05.03.2024 11:00–12:00, gdy zajęcia ma też Grupa A."
    )
    assert snapshot() == before


def test_the_session_page_shows_the_conflict_next_to_the_field_and_keeps_the_input(
    assistant_client, group, other_group, sessions
):
    before = snapshot()
    response = assistant_client.post(
        reverse("training:session_new", args=[other_group.pk]),
        {
            "date": "2024-03-05",
            "starts_at": "10:30",
            "ends_at": "12:00",
            "hours": "2",
            "topic": "Zajęcia w zajętej sali",
            "trainer": "Jan Trenerski",
            "room": "Sala 1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["room"] == [
        "Sala 1 jest wtedy zajęta: Grupa A (Moduł testowy) ma tam zajęcia 05.03.2024 10:00–11:30."
    ]
    page = response.content.decode()
    assert "Formularz zawiera błędy" in page
    assert 'value="Zajęcia w zajętej sali"' in page
    assert snapshot() == before


# --- a session outside the module's dates ----------------------------------------------------------


def test_a_session_outside_the_modules_dates_is_refused(group, coordinator):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        schedule(group, coordinator, date="2024-04-02")
    assert caught.value.message_dict["date"] == [
        "02.04.2024 wypada poza terminem modułu (04.03.2024–29.03.2024)."
    ]
    assert snapshot() == before


def test_moving_the_modules_dates_past_a_session_is_refused(coordinator_client, module, sessions):
    before = snapshot()
    response = coordinator_client.post(
        reverse("training:module_edit", args=[module.pk]),
        {
            "version": module.version,
            "number": 9,
            "name": module.name,
            "form": module.form,
            "hour_unit": module.hour_unit,
            "planned_groups": 2,
            "planned_hours_per_group": "6",
            "starts_on": "2024-03-10",
            "ends_on": "2024-03-29",
            "completion_percent": 80,
            "certificate_text": module.certificate_text,
        },
    )
    assert response.context["form"].errors["starts_on"] == [
        "Zajęcia grupy Grupa A są 05.03.2024, poza tym terminem: najpierw je przenieś lub odwołaj."
    ]
    assert snapshot() == before


# --- attendance for a person not in the group -------------------------------------------------------


def test_attendance_for_a_person_not_in_the_group_is_refused(
    group, other_group, trainees, sessions, households, assistant, coordinator
):
    (outsider,) = trainee_services.do_add_members(
        other_group, [applicant_of(households[5])], actor=coordinator
    )
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        attendance_services.do_record_attendance(
            sessions[0],
            {trainees[0].pk: ("present", ""), outsider.pk: ("present", "")},
            actor=assistant,
        )
    assert messages_of(caught.value) == (
        f"{outsider.full_name} nie należy do grupy Grupa A: obecność zapisuje się tylko "
        "uczestnikom grupy."
    )
    assert snapshot() == before


def test_the_phone_page_refuses_a_person_not_in_the_group(
    assistant_client, other_group, trainees, sessions, households, coordinator
):
    (outsider,) = trainee_services.do_add_members(
        other_group, [applicant_of(households[5])], actor=coordinator
    )
    before = snapshot()
    response = assistant_client.post(
        reverse("training:session_attendance", args=[sessions[0].pk]),
        {f"status_{outsider.pk}": "present"},
        HTTP_ACCEPT="application/json",
    )
    # The form knows only the group's trainees: the outsider's field is not even read.
    assert response.status_code == 200
    assert response.json()["changed"] == 0
    assert snapshot() == before


def test_excused_without_a_reason_is_refused(trainees, sessions, assistant):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        attendance_services.do_record_attendance(
            sessions[0], {trainees[0].pk: ("excused", "  ")}, actor=assistant
        )
    assert messages_of(caught.value) == (
        f"{trainees[0].full_name}: podaj powód usprawiedliwienia nieobecności."
    )
    assert snapshot() == before


# --- a trainee in two groups of one module ---------------------------------------------------------


def test_a_person_in_two_groups_of_one_module_is_refused(
    group, other_group, trainees, households, coordinator
):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_add_members(
            other_group, [applicant_of(households[0])], actor=coordinator
        )
    assert messages_of(caught.value) == (
        f"{trainees[0].full_name} jest już w grupie Grupa A tego modułu: osoba należy do jednej "
        "grupy modułu."
    )
    assert snapshot() == before


def test_a_newcomer_already_in_the_module_by_pesel_is_refused(
    group, other_group, households, coordinator
):
    trainee_services.do_add_newcomer(
        group,
        households[0],
        first_name="Kamil",
        last_name="Nowy",
        pesel="91050300134",
        reason="Wprowadził się w lutym 2024.",
        actor=coordinator,
    )
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_add_newcomer(
            other_group,
            households[0],
            first_name="Kamil",
            last_name="Nowy",
            pesel="91050300134",
            reason="Wprowadził się w lutym 2024.",
            actor=coordinator,
        )
    assert "Kamil Nowy jest już w grupie Grupa A tego modułu" in messages_of(caught.value)
    assert snapshot() == before


def test_the_database_itself_refuses_a_person_twice_in_a_module(group, other_group, trainees):
    from django.db import IntegrityError, transaction

    first = trainees[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Trainee.objects.create(
            module=first.module,
            group=other_group,
            participant=first.participant,
            member=first.member,
            sex=first.sex,
            age=first.age,
            enrolled_on=first.enrolled_on,
        )


# --- a group over capacity ----------------------------------------------------------------------


def test_a_group_over_capacity_is_refused_and_nobody_is_added(
    group, trainees, households, coordinator
):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_add_members(
            group, [applicant_of(p) for p in households[3:5]], actor=coordinator
        )
    assert messages_of(caught.value) == (
        "Grupa A: miejsc 4, zajętych 3 – 2 kolejne osoby się nie zmieszczą."
    )
    assert snapshot() == before


def test_the_add_page_lists_the_capacity_error_and_keeps_the_choice(
    assistant_client, group, trainees, households
):
    chosen = [applicant_of(p) for p in households[3:5]]
    before = snapshot()
    response = assistant_client.post(
        reverse("training:group_add_members", args=[group.pk]),
        {"members": [m.pk for m in chosen]},
    )
    page = response.content.decode()
    assert "Grupa A: miejsc 4, zajętych 3 – 2 kolejne osoby się nie zmieszczą." in page
    for member in chosen:
        assert f'value="{member.pk}" id="member-{member.pk}" checked' in page
    assert snapshot() == before


def test_lowering_the_places_below_the_trainees_is_refused(assistant_client, group, trainees):
    before = snapshot()
    response = assistant_client.post(
        reverse("training:group_edit", args=[group.pk]),
        {
            "version": group.version,
            "name": group.name,
            "trainer": group.trainer,
            "room": group.room,
            "capacity": 2,
        },
    )
    assert response.context["form"].errors["capacity"] == [
        "Grupa A ma już 3 uczestników: liczba miejsc nie może być mniejsza."
    ]
    assert snapshot() == before


# --- a certificate below the completion threshold -------------------------------------------------


def test_a_certificate_below_the_threshold_is_refused(trainees, sessions, assistant):
    short = trainees[0]
    for session in sessions:
        mark_all(session, trainees, assistant)
    attendance_services.do_record_attendance(
        sessions[2], {short.pk: ("absent", "")}, actor=assistant
    )
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        papers.certificates_pdf([short])
    assert messages_of(caught.value) == (
        f"{short.full_name} był(a) obecny(-a) 4 h z 6 h, poniżej 4,8 h potrzebnych do "
        "ukończenia: Moduł testowy. Zaświadczenie nie zostanie wydane."
    )
    assert snapshot() == before


def test_the_certificate_link_of_a_trainee_below_the_threshold_explains_and_gives_no_pdf(
    assistant_client, trainees, sessions, assistant
):
    short = trainees[0]
    for session in sessions:
        mark_all(session, trainees, assistant)
    attendance_services.do_record_attendance(
        sessions[2], {short.pk: ("absent", "")}, actor=assistant
    )
    response = assistant_client.get(
        reverse("training:trainee_certificate_pdf", args=[short.pk]), follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "poniżej 4,8 h potrzebnych do ukończenia" in response.content.decode()


# --- a change of locked attendance without a reason --------------------------------------------------


@pytest.fixture
def locked(trainees, sessions, assistant):
    session = sessions[0]
    mark_all(session, trainees, assistant)
    attendance_services.do_attach_sheet(
        session, SimpleUploadedFile("lista.pdf", SCAN, "application/pdf"), actor=assistant
    )
    session.refresh_from_db()
    return session


def test_a_change_of_locked_attendance_without_a_reason_is_refused(locked, trainees, assistant):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        attendance_services.do_correct_attendance(
            locked, {trainees[0].pk: ("absent", "")}, reason=" ", actor=assistant
        )
    assert caught.value.message_dict["correction_reason"] == [
        "Do zajęć dołączono podpisaną listę: podaj powód korekty. Nic nie zostało zmienione."
    ]
    assert snapshot() == before


def test_marking_a_locked_session_the_ordinary_way_is_refused(locked, trainees, assistant):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        attendance_services.do_record_attendance(
            locked, {trainees[0].pk: ("absent", "")}, actor=assistant
        )
    assert messages_of(caught.value).startswith(
        "Do zajęć dołączono podpisaną listę: zajęć nie można już zmienić."
    )
    assert snapshot() == before


def test_the_desk_page_refuses_a_correction_without_a_reason_and_keeps_the_input(
    assistant_client, locked, trainees
):
    before = snapshot()
    data = {f"status_{t.pk}": "present" for t in trainees}
    data[f"status_{trainees[1].pk}"] = "excused"
    data[f"reason_{trainees[1].pk}"] = "zwolnienie lekarskie"
    data["correction_reason"] = ""
    response = assistant_client.post(reverse("training:session_desk", args=[locked.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["correction_reason"] == [
        "Do zajęć dołączono podpisaną listę: podaj powód korekty. Nic nie zostało zmienione."
    ]
    assert 'value="zwolnienie lekarskie"' in response.content.decode()
    assert snapshot() == before


def test_the_phone_page_of_a_locked_session_saves_nothing(assistant_client, locked, trainees):
    before = snapshot()
    response = assistant_client.post(
        reverse("training:session_attendance", args=[locked.pk]),
        {f"status_{trainees[0].pk}": "absent"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("Do zajęć dołączono podpisaną listę")
    assert snapshot() == before


# --- progress import: an unknown person, a percentage over 100 ---------------------------------------


@pytest.fixture
def e_learning(db):
    from training.models import TrainingModule

    return TrainingModule.objects.get(number=2, project__pk=1)


def csv_upload(text: str, name="postep.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")


def test_a_progress_import_with_an_unknown_login_and_a_percentage_over_100_imports_nothing(
    coordinator_client, e_learning
):
    enrolments = list(
        ELearningEnrolment.objects.filter(trainee__module=e_learning).order_by("pk")[:2]
    )
    before = snapshot()
    imports = ProgressImport.objects.count()
    text = (
        "login;postęp;ostatnia aktywność\n"
        f"{enrolments[0].login};100;10.12.2013\n"
        "LBK2-99999;50;11.12.2013\n"
        f"{enrolments[1].login};120;12.12.2013\n"
    )
    response = coordinator_client.post(
        reverse("training:progress_import", args=[e_learning.pk]),
        {"file": csv_upload(text)},
    )
    problems = response.context["problems"]
    assert [(p.row, p.message) for p in problems] == [
        (
            3,
            "Nikt w module Szkolenie e-learningowe: sprawne korzystanie z komputera i Internetu "
            "nie ma loginu LBK2-99999.",
        ),
        (4, "Procent musi mieścić się między 0 a 100, a nie 120."),
    ]
    page = response.content.decode()
    assert "2 problemy: niczego nie zaimportowano." in page
    assert snapshot() == before
    assert ProgressImport.objects.count() == imports


def test_a_progress_file_without_the_needed_columns_is_refused(e_learning, coordinator):
    before = snapshot()
    result = e_learning_services.do_import_progress(
        e_learning, [{"uczestnik": "Jan", "_row": 2}], file_name="x.csv", actor=coordinator
    )
    assert len(result.problems) == 2
    assert result.problems[0].message.startswith("W pliku brak kolumny z loginem")
    assert result.imported == 0
    assert snapshot() == before


def test_a_progress_row_whose_name_is_not_the_logins_is_refused(e_learning, coordinator):
    enrolment = ELearningEnrolment.objects.filter(trainee__module=e_learning).first()
    before = snapshot()
    result = e_learning_services.do_import_progress(
        e_learning,
        [{"login": enrolment.login, "postęp": "90", "imię i nazwisko": "Ktoś Obcy", "_row": 2}],
        file_name="x.csv",
        actor=coordinator,
    )
    assert [p.message for p in result.problems] == [
        f"Imię i nazwisko Ktoś Obcy nie należy do uczestnika z tym loginem "
        f"({enrolment.trainee.full_name})."
    ]
    assert snapshot() == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(coordinator_client, e_learning):
    before = snapshot()
    response = coordinator_client.post(
        reverse("training:progress_import", args=[e_learning.pk]),
        {"file": SimpleUploadedFile("postep.pdf", SCAN, "application/pdf")},
    )
    assert response.context["form"].errors["file"] == ["Wgraj plik .xlsx lub .csv."]
    assert snapshot() == before


# --- more refusals ---------------------------------------------------------------------------------


def test_attendance_before_the_session_day_is_refused(group, trainees, coordinator, assistant):
    future = clock.today() + datetime.timedelta(days=3)
    module = group.module
    module.ends_on = future
    module.save()
    session = schedule(group, coordinator, date=future.isoformat())
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        attendance_services.do_record_attendance(
            session, {trainees[0].pk: ("present", "")}, actor=assistant
        )
    assert messages_of(caught.value) == (
        f"Zajęcia odbywają się {future:%d.%m.%Y}: obecność zapisuje się w dniu zajęć lub później."
    )
    assert snapshot() == before


def test_a_sheet_scan_before_every_trainee_is_marked_is_refused(trainees, sessions, assistant):
    attendance_services.do_record_attendance(
        sessions[0], {trainees[0].pk: ("present", "")}, actor=assistant
    )
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        attendance_services.do_attach_sheet(
            sessions[0], SimpleUploadedFile("lista.pdf", SCAN), actor=assistant
        )
    names = ", ".join(sorted(t.full_name for t in trainees[1:]))
    assert caught.value.message_dict["scan"] == [
        f"Nie wpisano jeszcze obecności: {names}. Uzupełnij obecność wszystkich przed "
        "dołączeniem podpisanej listy."
    ]
    assert snapshot() == before


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_and_the_typed_sheet_is_not_saved(
    assistant_client, trainees, sessions
):
    before = snapshot()
    data = {f"status_{t.pk}": "present" for t in trainees}
    data["scan"] = SimpleUploadedFile("lista.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = assistant_client.post(reverse("training:session_desk", args=[sessions[0].pk]), data)
    assert response.context["form"].errors["scan"] == [
        "Niedozwolony typ pliku. Dozwolone: PDF, JPEG, PNG."
    ]
    assert snapshot() == before


def test_taking_out_a_trainee_with_attendance_is_refused(trainees, sessions, assistant):
    mark_all(sessions[0], trainees, assistant)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_remove_trainee(trainees[0], actor=assistant)
    assert messages_of(caught.value) == (
        f"{trainees[0].full_name} ma obecność zapisaną na 1 zajęciach: zapis pozostaje."
    )
    assert snapshot() == before


def test_a_newcomer_without_a_reason_or_a_valid_pesel_is_refused(
    assistant_client, group, households
):
    before = snapshot()
    response = assistant_client.post(
        reverse("training:group_add_newcomer", args=[group.pk]),
        {
            "participant": households[0].pk,
            "first_name": "Kamil",
            "last_name": "Nowy",
            "pesel": "91050300135",
            "reason": "",
        },
    )
    errors = response.context["form"].errors
    assert "reason" in errors and "pesel" in errors
    assert snapshot() == before


def test_a_newcomer_who_is_a_member_is_sent_to_the_households_list(group, households, coordinator):
    member = applicant_of(households[0])
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_add_newcomer(
            group,
            households[0],
            first_name=member.first_name,
            last_name=member.last_name,
            pesel=member.pesel,
            reason="pomyłka",
            actor=coordinator,
        )
    assert caught.value.message_dict["pesel"] == [
        f"{member.first_name} {member.last_name} jest członkiem tego gospodarstwa: wybierz "
        "tę osobę z listy gospodarstwa."
    ]
    assert snapshot() == before


def test_hours_longer_than_the_session_are_refused(group, coordinator):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        schedule(group, coordinator, start="10:00", end="11:30", hours="3")
    assert caught.value.message_dict["hours"] == [
        "Od 10:00 do 11:30 mieści się najwyżej 2 h (godziny lekcyjne po 45 minut)."
    ]
    assert snapshot() == before


def test_a_household_that_no_longer_takes_part_cannot_be_added(group, households, coordinator):
    from lending.models import Participant

    participant = households[7]
    Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.RESIGNED)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        trainee_services.do_add_members(group, [applicant_of(participant)], actor=coordinator)
    assert f"gospodarstwo {participant.application.number} nie uczestniczy już w projekcie" in (
        messages_of(caught.value)
    )
    assert snapshot() == before


def test_the_csv_reader_is_the_cores(coordinator_client, e_learning):
    """An empty file gets the core reader's message; nothing is imported."""
    before = snapshot()
    response = coordinator_client.post(
        reverse("training:progress_import", args=[e_learning.pk]),
        {"file": SimpleUploadedFile("pusty.csv", b"", "text/csv")},
    )
    assert response.context["form"].errors["file"]
    assert snapshot() == before
