"""Training on a phone: the coordinator's assistant opens today's session, marks attendance with
one tap per trainee (saved as she goes), and the trainee's page shows it; then the coordinator
downloads the group's sign-in sheets and a certificate, and reads them back (pypdf)."""

import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from lebork_einclusion import clock
from lending.models import Participant
from recruitment import domain
from training.models import Attendance, TrainingGroup, TrainingSession
from training.services import modules as module_services
from training.services import sessions as session_services
from training.services import trainees as trainee_services

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def pdf_text(path) -> str:
    reader = PdfReader(BytesIO(Path(path).read_bytes()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def todays_session(demo_server):
    """A module running now, a group of three from the demo households, a session today."""
    coordinator = get_user_model().objects.get(username="koordynator")
    today = clock.today()
    module = module_services.do_save_module(
        None,
        {
            "number": 3,
            "name": "Bezpieczeństwo w sieci",
            "planned_groups": 1,
            "planned_hours_per_group": Decimal("2"),
            "starts_on": today - datetime.timedelta(days=7),
            "ends_on": today + datetime.timedelta(days=7),
            "certificate_text": "ukończył(a) szkolenie „Bezpieczeństwo w sieci”.",
        },
        actor=coordinator,
    )
    group = module_services.do_save_group(
        TrainingGroup(module=module),
        {
            "name": "Grupa poranna",
            "trainer": "Ewa Bezpieczna",
            "room": "Sala 12",
        },
        actor=coordinator,
    )
    households = Participant.objects.active().order_by("application__sequence")[:3]
    members = [h.application.members.get(role=domain.APPLICANT) for h in households]
    trainees = trainee_services.do_add_members(group, members, actor=coordinator)
    session = session_services.do_save_session(
        TrainingSession(group=group),
        {
            "date": today,
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(10, 30),
            "hours": Decimal("2"),
            "topic": "Hasła, phishing i bezpieczne zakupy",
            "trainer": group.trainer,
            "room": group.room,
        },
        actor=coordinator,
    )
    return session, sorted(trainees, key=lambda t: t.sort_name)


def test_the_assistant_marks_attendance_on_a_phone_and_the_coordinator_prints(
    phone_page, browser, demo_server, todays_session
):
    session, trainees = todays_session
    present, absent, excused = trainees
    page = phone_page

    log_in(page, "asystent")
    page.get_by_role("button", name="Pokaż menu").click()
    page.get_by_role("link", name="Szkolenia").click()
    assert_accessible(page)
    page.get_by_role("link", name="Sprawdź obecność – Grupa poranna").click()
    expect(page.get_by_role("heading", name="Obecność: Grupa poranna")).to_be_visible()
    assert_accessible(page)

    def row(trainee):
        return page.locator(f"fieldset[data-trainee='{trainee.pk}']")

    # One tap each: saved at once, the counts follow.
    row(present).get_by_text("obecny", exact=True).tap()
    row(present).get_by_text("Zapisano").wait_for()
    row(absent).get_by_text("nieobecny", exact=True).tap()
    row(absent).get_by_text("Zapisano").wait_for()
    row(excused).get_by_text("usprawiedliwiony", exact=True).tap()
    reason = row(excused).get_by_label("Powód usprawiedliwionej nieobecności")
    expect(reason).to_be_visible()
    reason.fill("choroba")
    reason.press("Tab")
    row(excused).get_by_text("Zapisano").wait_for()
    counts = page.locator("#attendance-counts")
    assert counts.inner_text() == "Obecni: 1, nieobecni: 1, usprawiedliwieni: 1, nie wpisano: 0."
    box = row(present).get_by_text("obecny", exact=True).bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # large targets (WCAG 2.5.5)
    assert_accessible(page)
    assert dict(Attendance.objects.filter(session=session).values_list("trainee_id", "status")) == {
        present.pk: "present",
        absent.pk: "absent",
        excused.pk: "excused",
    }
    assert Attendance.objects.get(session=session, trainee=excused).reason == "choroba"

    # The trainee's page shows it.
    page.goto(f"/training/sessions/{session.pk}/")
    page.get_by_role("link", name=present.full_name).click()
    row_today = page.locator("#trainee-sessions tbody tr").first
    assert "obecny" in row_today.inner_text()
    assert "2 h z 2 h" in page.locator("#standing").inner_text()
    assert_accessible(page)

    # The coordinator downloads the group's sign-in sheets and the certificate.
    coordinator = browser.new_context(
        base_url=demo_server.url, locale="pl-PL", accept_downloads=True
    ).new_page()
    log_in(coordinator, "koordynator")
    coordinator.goto(f"/training/groups/{session.group_id}/")
    assert_accessible(coordinator)
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Listy obecności (PDF)").click()
    sheets = pdf_text(download.value.path())
    assert "LISTA OBECNOŚCI" in sheets and "Hasła, phishing i bezpieczne zakupy" in sheets
    for number, trainee in enumerate(trainees, start=1):
        assert f"{number} {trainee.full_name}" in sheets
    coordinator.get_by_role("link", name=present.full_name).click()
    assert_accessible(coordinator)
    # Issued once, confirmed: archived as issued, no longer a draft.
    coordinator.get_by_role("link", name="Wydaj zaświadczenie").click()
    coordinator.get_by_label("Potwierdzam").check()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Wydaj zaświadczenie").click()
    coordinator.wait_for_load_state()
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Zaświadczenie (PDF)").click()
    certificate = pdf_text(download.value.path())
    assert "ZAŚWIADCZENIE" in certificate and "PROJEKT" not in certificate
    assert present.full_name in certificate
    assert "2 z 2 zaplanowanych godzin lekcyjnych" in certificate
    coordinator.context.close()


def test_the_training_pages_have_no_serious_accessibility_violations(page, demo_server):
    from training.models import Trainee, TrainingModule

    module = TrainingModule.objects.get(number=1, project_id=1)
    e_learning = TrainingModule.objects.get(number=2, project_id=1)
    group = module.groups.order_by("pk").first()
    session = group.sessions.order_by("date").first()
    trainee = Trainee.objects.filter(module=e_learning).first()
    log_in(page, "koordynator")
    for url in (
        f"/training/modules/{module.pk}/",
        f"/training/modules/{e_learning.pk}/progress/",
        f"/training/groups/{group.pk}/add/",
        f"/training/groups/{group.pk}/add-newcomer/",
        f"/training/groups/{group.pk}/sessions/new/",
        f"/training/sessions/{session.pk}/",
        f"/training/sessions/{session.pk}/sheet/",
        f"/training/schedule/?module={module.pk}",
        "/training/trainees/",
        f"/training/trainees/{trainee.pk}/",
        "/training/obligations/",
    ):
        page.goto(url)
        assert page.locator("main h1").count() == 1, url
        assert_accessible(page)


def test_attendance_taps_wait_for_the_signal_and_are_saved_once(phone_page, todays_session):
    """Taps made with no signal queue on the phone, the page says how many wait, and they are
    sent when the signal returns, each once (a key per tap)."""
    from lebork_einclusion.models import FormKey

    session, trainees = todays_session
    present, absent, _excused = trainees
    page = phone_page
    log_in(page, "asystent")
    page.goto(f"/training/sessions/{session.pk}/attendance/")

    def row(trainee):
        return page.locator(f"fieldset[data-trainee='{trainee.pk}']")

    keys_before = FormKey.objects.count()
    page.context.set_offline(True)
    row(present).get_by_text("obecny", exact=True).tap()
    row(absent).get_by_text("nieobecny", exact=True).tap()
    queue = page.locator("#attendance-queue")
    queue.get_by_text("2", exact=False).wait_for()
    assert "2" in queue.inner_text()
    assert not Attendance.objects.filter(session=session).exists()

    page.context.set_offline(False)  # the signal returns: the queue is sent, in order
    row(absent).get_by_text("Zapisano").wait_for()
    page.wait_for_function("!window.localStorage.length")
    assert queue.is_hidden()
    assert dict(Attendance.objects.filter(session=session).values_list("trainee_id", "status")) == {
        present.pk: "present",
        absent.pk: "absent",
    }
    assert FormKey.objects.count() == keys_before + 2  # each tap once, by its key

    # A tap sent again (its answer lost) is answered "done" and changes nothing.
    again = page.evaluate(
        """async (trainee) => {
            const form = document.getElementById('attendance-form');
            const token = form.querySelector('input[name=csrfmiddlewaretoken]').value;
            const send = (status) => {
                const body = new FormData();
                body.append('csrfmiddlewaretoken', token);
                body.append('form_key', 'replayed-tap-key-0001');
                body.append('status_' + trainee, status);
                body.append('reason_' + trainee, '');
                return fetch(location.href, {method: 'POST', body, credentials: 'same-origin',
                    headers: {Accept: 'application/json', 'X-CSRFToken': token}}).then(r => r.json());
            };
            const first = await send('absent');
            const second = await send('present');  // the same key: not run again
            return [first.ok, second.again === true];
        }""",
        present.pk,
    )
    assert again == [True, True]
    assert Attendance.objects.get(session=session, trainee=present).status == "absent"
