"""Training's papers, read back as text with pypdf: sign-in sheets, the attendance register,
certificates; a module's sheets and certificates as background files."""

from io import BytesIO

from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from lebork_einclusion.models import GeneratedFile
from lebork_einclusion.pdf import StaticOnlyFetcher, render_pdf
from training import papers
from training.models import Trainee, TrainingGroup, TrainingModule, TrainingSession
from training.services import attendance as attendance_services
from training.services import trainees as trainee_services
from training.standings import standing, with_hours

from .conftest import mark_all, pdf_text


def pages(content: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(content)).pages]


def test_the_sign_in_sheet_of_a_session(assistant_client, group, trainees, sessions):
    response = assistant_client.get(reverse("training:session_sheet_pdf", args=[sessions[1].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    for expected in (
        "LISTA OBECNOŚCI",
        "Programu Operacyjnego Innowacyjna Gospodarka",  # the programme's header
        "Europejskiego Funduszu Rozwoju Regionalnego",
        "Moduł 9: Moduł testowy",
        "Grupa A",
        "12.03.2024",
        "10:00–11:30",
        "2 godz. lekcyjne",
        "Internet",
        "Anna Trenerska",
        "Sala 1",
        "Imię i nazwisko Podpis",
        "Podpis trenera",
        "Strona 1 z 1",
    ):
        assert expected in text, expected
    names = sorted(trainees, key=lambda t: t.sort_name)
    for number, trainee in enumerate(names, start=1):
        assert f"{number} {trainee.full_name}" in text


def test_the_groups_sheets_come_one_per_session_in_one_pdf(assistant_client):
    """The fullest demo group (20 people) still has one page per session: each the scan of its
    signed sheet (the demo's scans say so), not the blank form rendered again."""
    group = max(TrainingGroup.objects.filter(module__number=1), key=lambda g: g.trainees.count())
    assert group.trainees.count() == 20
    response = assistant_client.get(reverse("training:group_sheets_pdf", args=[group.pk]))
    sheets = pages(response.content)
    sessions = list(group.sessions.order_by("date"))
    assert len(sheets) == len(sessions) == 6
    assert all(session.locked for session in sessions)
    for sheet in sheets:
        assert "Skan podpisanej listy obecności" in sheet


def test_the_blank_sheets_of_a_group_name_every_trainee(
    assistant_client, group, trainees, sessions
):
    response = assistant_client.get(reverse("training:group_sheets_pdf", args=[group.pk]))
    sheets = pages(response.content)
    assert len(sheets) == len(sessions) == 3
    for sheet, session in zip(sheets, sessions, strict=True):
        assert session.date.strftime("%d.%m.%Y") in sheet
        assert session.topic in sheet
        for trainee in trainees:
            assert trainee.full_name in sheet


def test_papers_are_printed_in_polish_whatever_the_screen_language(group, trainees, sessions):
    with translation.override("en"):
        text = pdf_text(
            papers.sign_in_sheets_pdf(TrainingSession.objects.filter(pk=sessions[0].pk))
        )
    assert "LISTA OBECNOŚCI" in text and "SIGN-IN SHEET" not in text


def test_names_are_printed_as_text_and_fetch_nothing(monkeypatch, group, households, coordinator):
    trainee = trainee_services.do_add_newcomer(
        group,
        households[0],
        first_name='<img src="file:///etc/passwd">',
        last_name="Nowy",
        pesel="91050300134",
        reason="test",
        actor=coordinator,
    )
    session_date = "2024-03-05"
    from .conftest import schedule

    schedule(group, coordinator, date=session_date)
    fetcher = StaticOnlyFetcher()
    monkeypatch.setattr(
        papers, "render_pdf", lambda template, context: render_pdf(template, context, fetcher)
    )
    text = pdf_text(papers.sign_in_sheets_pdf(TrainingSession.objects.filter(group=group)))
    assert f"{trainee.first_name} Nowy" in text
    assert fetcher.refused == []


def test_the_attendance_register(assistant_client, group, trainees, sessions, assistant):
    for session in sessions:
        mark_all(session, trainees, assistant)
    attendance_services.do_record_attendance(
        sessions[1], {trainees[0].pk: ("excused", "choroba")}, actor=assistant
    )
    attendance_services.do_record_attendance(
        sessions[2], {trainees[0].pk: ("absent", "")}, actor=assistant
    )
    text = pdf_text(
        assistant_client.get(reverse("training:group_register_pdf", args=[group.pk])).content
    )
    assert "DZIENNIK OBECNOŚCI" in text
    assert f"{trainees[0].full_name} ob. usp. nb. 2 h 2 h 2 h nie" in text
    assert f"{trainees[1].full_name} ob. ob. ob. 6 h 0 h 0 h tak" in text


def test_the_attendance_register_as_a_spreadsheet(
    assistant_client, group, trainees, sessions, assistant
):
    mark_all(sessions[0], trainees, assistant)
    response = assistant_client.get(reverse("training:group_register_xlsx", args=[group.pk]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Lp.", "Uczestnik", "Gospodarstwo domowe")
    assert rows[0][3].startswith("05.03.2024 10:00")
    assert len(rows) == 1 + len(trainees)
    first = next(r for r in rows[1:] if r[1] == trainees[0].full_name)
    assert first[3:6] == ("obecny", None, None)
    assert first[2] == trainees[0].participant.application.number


def test_a_certificate_names_the_trainee_the_module_the_dates_hours_and_topics(
    assistant_client, trainees, sessions, assistant
):
    for session in sessions:
        mark_all(session, trainees, assistant)
    response = assistant_client.get(
        reverse("training:trainee_certificate_pdf", args=[trainees[0].pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "ZAŚWIADCZENIE",
        "Zaświadcza się, że",
        trainees[0].full_name,
        # The certificate's text agrees with the trainee's recorded sex (issue 16).
        "ukończyła szkolenie testowe." if trainees[0].sex == "F" else "ukończył szkolenie testowe.",
        "Moduł 9: Moduł testowy",
        "05.03.2024–19.03.2024",
        "6 z 6 zaplanowanych godzin lekcyjnych",
        "Komputer i pliki",
        "Internet",
        "Poczta elektroniczna",
        "Koordynator projektu",
        "Organizator Gmina Miasto Lębork",
    ):
        assert expected in text, expected
    assert "ukończył(a)" not in text


def test_the_certificate_of_a_woman_and_of_a_man(assistant_client, trainees, sessions, assistant):
    for session in sessions:
        mark_all(session, trainees, assistant)
    for trainee, sex, expected in (
        (trainees[0], "F", "ukończyła szkolenie testowe"),
        (trainees[1], "M", "ukończył szkolenie testowe"),
    ):
        Trainee.objects.filter(pk=trainee.pk).update(sex=sex)
        response = assistant_client.get(
            reverse("training:trainee_certificate_pdf", args=[trainee.pk])
        )
        text = pdf_text(response.content)
        assert expected in text
        assert "(a)" not in text and "Moduł Moduł" not in text


def test_the_groups_certificates_are_for_those_who_completed_only(
    assistant_client, trainees, sessions, assistant
):
    for session in sessions:
        mark_all(session, trainees, assistant)
    attendance_services.do_record_attendance(
        sessions[0], {trainees[2].pk: ("absent", "")}, actor=assistant
    )
    attendance_services.do_record_attendance(
        sessions[1], {trainees[2].pk: ("absent", "")}, actor=assistant
    )
    response = assistant_client.get(
        reverse("training:group_certificates_pdf", args=[trainees[0].group_id])
    )
    certificates = pages(response.content)
    assert len(certificates) == 2
    text = " ".join(certificates)
    assert trainees[0].full_name in text and trainees[1].full_name in text
    assert trainees[2].full_name not in text


def test_the_demo_groups_certificates_leave_out_the_trainee_short_of_completion(assistant_client):
    module = TrainingModule.objects.get(number=1, project_id=1)
    short = next(
        t for t in with_hours(Trainee.objects.filter(module=module)) if not standing(t).completed
    )
    response = assistant_client.get(
        reverse("training:group_certificates_pdf", args=[short.group_id])
    )
    certificates = pages(response.content)
    assert len(certificates) == short.group.trainees.count() - 1
    assert short.full_name not in " ".join(certificates)


def test_a_modules_sheets_and_certificates_are_made_in_the_background(
    assistant_client, module, trainees, sessions, assistant
):
    for session in sessions:
        mark_all(session, trainees, assistant)
    response = assistant_client.post(reverse("training:module_sheets", args=[module.pk]))
    generated = GeneratedFile.objects.get(created_by=assistant)
    assert response["Location"] == reverse("core:generated_file", args=[generated.pk])
    assert generated.status == GeneratedFile.Status.DONE
    with generated.file.open("rb") as handle:
        assert len(pages(handle.read())) == 3
    assistant_client.post(reverse("training:module_certificates", args=[module.pk]))
    certificates = GeneratedFile.objects.filter(created_by=assistant).exclude(pk=generated.pk).get()
    with certificates.file.open("rb") as handle:
        text = " ".join(pages(handle.read()))
    assert all(t.full_name in text for t in trainees)
    assert certificates.filename == "zaswiadczenia-modul-9.pdf"


def test_an_e_learning_certificate_gives_the_share_of_the_course(assistant_client):
    module = TrainingModule.objects.get(number=2, project_id=1)
    done = next(
        t for t in with_hours(Trainee.objects.filter(module=module)) if standing(t).completed
    )
    text = pdf_text(
        assistant_client.get(reverse("training:trainee_certificate_pdf", args=[done.pk])).content
    )
    progress = standing(done).progress
    assert f"Ukończona część kursu {progress:.0f}%" in text
    assert "szkolenie e-learningowe" in text
