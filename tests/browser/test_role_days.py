"""One working day of each role, from its home page (issue 16, "Done when").

Each role logs in on a day of the demo (the demo clock, settings.DEMO_TODAY: the live server
runs in this process, so the office's day of the pages is that day), reads its to-dos, opens
each list and finds as many rows as the count said, follows an item to do the day's work through
the pages, and finds the count one lower on the home page afterwards. axe-core checks every
home page. What the demo's finished history no longer has waiting (a session without its
attendance, a procedure awaiting its contract, an application with a new document) is set up
first with the apps' own services, as a colleague would have left it the day before."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from lending.models import ExclusionProposal, LoanAgreement, Participant, PromissoryNote
from lending.services import participation as participation_services
from monitoring.models import MonitoringVisit, PlannedVisit
from monitoring.services import plans as plan_services
from procurement.models import Contract, Procedure
from procurement.services import procedures as procedure_services
from recruitment import domain
from recruitment.models import Application
from tests.factories import ProcedureFactory, SupplierFactory
from training.models import Attendance, TrainingGroup, TrainingSession
from training.services import modules as module_services
from training.services import sessions as session_services
from training.services import trainees as trainee_services

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

D = datetime.date

# The rows of a list page: its first table's rows (not the "nothing here" row), or the visit
# cards of the visit list.
ROWS = "main table >> nth=0 >> tbody tr:not(:has(td[colspan]))"
CARDS = "main ul.visit-cards > li.card"
NEXT_PAGE = ".pagination a[rel=next], .pagination a:has-text('Następna')"


def label(text: str) -> re.Pattern:
    """A form label, whatever its case ("data decyzji" or "Data decyzji")."""
    return re.compile(re.escape(text), re.IGNORECASE)


def user(username: str):
    return get_user_model().objects.get(username=username)


def go_home(page):
    page.goto("/")
    page.wait_for_load_state()


def count_of(page, code: str) -> int:
    return int(page.locator(f'[data-todo="{code}"] [data-count]').get_attribute("data-count"))


def rows_of_list(page) -> int:
    """The rows of the list on this page and on the pages after it."""
    total = 0
    while True:
        if page.locator("main ul.visit-cards").count():
            total += page.locator(CARDS).count()
        else:
            total += page.locator(ROWS).count()
        following = page.locator(NEXT_PAGE)
        if not following.count():
            return total
        following.first.click()
        page.wait_for_load_state()


def open_todo(page, code: str) -> int:
    """From the home page: follow the to-do's link, find as many rows as its count, and come
    back to the list's first page. Returns the count."""
    count = count_of(page, code)
    page.locator(f'[data-todo="{code}"] a').click()
    page.wait_for_load_state()
    first_page = page.url
    assert rows_of_list(page) == count, f"{code}: {count} on the home page"
    if page.url != first_page:
        page.goto(first_page)
    return count


def home_counts(page) -> dict[str, int]:
    """Every count of the home page, each checked against the rows of the list its link opens
    (the home page is shown again at the end)."""
    go_home(page)
    codes = [item.get_attribute("data-todo") for item in page.locator("[data-todo]").all()]
    assert codes
    counts = {}
    for code in codes:
        counts[code] = open_todo(page, code)
        go_home(page)
    return counts


def message(page) -> str:
    """The page's message after a step (not the demo day's banner, also a status)."""
    return page.locator(".alert[role=status]").inner_text()


def save(page, name: str):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def day_of_demo(settings, day: datetime.date):
    settings.DEMO_TODAY = day


# --- the committee member ----------------------------------------------------------------------


def test_a_committee_members_day(page, settings):
    day_of_demo(settings, D(2012, 9, 10))
    # A document handed in late, not yet verified.
    application = Application.objects.get(number="2012/018")
    application.documents.create(doc_type="mops_social_assistance_certificate")

    log_in(page, "komisja1")
    assert_accessible(page)
    before = home_counts(page)
    assert before["applications_to_verify"] >= 1

    open_todo(page, "applications_to_verify")
    page.get_by_role("link", name="Oceń 2012/018").click()
    page.wait_for_load_state()
    documents = page.get_by_role("group", name=label("Dokumenty"))
    for box in documents.get_by_role("checkbox").all():
        box.check()
    save(page, "Zapisz")
    assert "Zapisano ocenę wniosku 2012/018" in message(page)
    assert not application.documents.filter(verified_at__isnull=True).exists()

    after = home_counts(page)
    assert after["applications_to_verify"] == before["applications_to_verify"] - 1
    assert_accessible(page)


# --- the coordinator ---------------------------------------------------------------------------


def test_a_coordinators_day(page, settings):
    """02.01.2019, the first working day after the durability period (the day `make run` opens
    on): an exclusion proposal waits, every agreement is past its end, and once one household's
    equipment is back its promissory note is to be returned. The demo decided both its proposals
    (rejected in 2013, accepted in 2014): the one waiting is made the working day before."""
    day_of_demo(settings, D(2019, 1, 2))
    household = Participant.objects.active().order_by("application__sequence").first()
    participation_services.do_propose_exclusion(
        household,
        "Sąsiad zgłosił, że zestaw jest wystawiony na sprzedaż w internecie.",
        D(2018, 12, 31),
        actor=user("monitoring"),
    )
    log_in(page, "koordynator")
    assert_accessible(page)
    before = home_counts(page)
    assert before["exclusions_to_decide"] >= 1 and before["agreements_to_decide"] >= 1

    # A decision waiting: the proposal is rejected.
    open_todo(page, "exclusions_to_decide")
    page.get_by_role("link", name="Zdecyduj").first.click()
    page.wait_for_load_state()
    page.get_by_label(label("odrzucić wniosek")).check()
    page.get_by_label(label("data decyzji")).fill("2019-01-02")
    page.get_by_label(label("uzasadnienie decyzji")).fill(
        "Gospodarstwo wyjaśniło brak dostępu do sprzętu: był w naprawie."
    )
    page.get_by_label(label("Potwierdzam decyzję")).check()
    save(page, "Zapisz decyzję")
    assert not page.locator("#form-error-summary").count(), page.content()

    # An agreement past its end: ended and its equipment taken back.
    go_home(page)
    open_todo(page, "agreements_to_decide")
    number = page.locator(ROWS).first.locator("td a").first.inner_text()
    agreement = LoanAgreement.objects.get(number=number)
    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Zakończ umowę", exact=False).first.click()
    page.wait_for_load_state()
    page.get_by_label(label("data zakończenia")).fill("2019-01-02")
    page.get_by_label(label("powód")).fill("Koniec okresu trwałości projektu.")
    save(page, "Zakończ umowę")
    page.get_by_role("link", name=re.compile("^Zapisz zwrot")).first.click()
    page.wait_for_load_state()
    page.get_by_label(label("data zwrotu")).fill("2019-01-02")
    for box in page.locator("main form table").get_by_role("checkbox").all():
        box.check()
    save(page, "Zapisz zwrot")
    agreement.refresh_from_db()
    assert agreement.status == LoanAgreement.Status.ENDED

    middle = home_counts(page)
    assert middle["exclusions_to_decide"] == before["exclusions_to_decide"] - 1
    assert middle["agreements_to_decide"] == before["agreements_to_decide"] - 1
    assert middle["notes_to_return"] == before["notes_to_return"] + 1

    # Its promissory note, returned to the issuer.
    open_todo(page, "notes_to_return")
    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Zwróć lub zniszcz weksel").click()
    page.wait_for_load_state()
    page.get_by_label(label("zwrócony wystawcy")).check()
    page.locator("input[name=released_on]").fill("2019-01-02")
    page.locator("textarea[name=record]").fill("Weksel zwrócony za protokołem nr 1/2019.")
    page.get_by_label(label("Potwierdzam: weksel")).check()
    # The button says what it does ("Zapisz"; it said "Rekord", the audit log's column).
    save(page, "Zapisz")
    assert PromissoryNote.objects.get(agreement=agreement).status == "returned"

    after = home_counts(page)
    assert after["notes_to_return"] == before["notes_to_return"]
    assert after["agreements_to_decide"] == middle["agreements_to_decide"]
    assert (
        ExclusionProposal.objects.filter(status="pending").count() == after["exclusions_to_decide"]
    )
    assert_accessible(page)


# --- the monitoring officer --------------------------------------------------------------------


def test_a_monitoring_officers_day(page, settings):
    """27.12.2018: the demo made every visit of its yearly rounds a few days before it was due,
    so the officer added two extra visits to the plan for today the day before."""
    today = D(2018, 12, 27)
    day_of_demo(settings, today)
    officer = user("monitoring")
    for household in Participant.objects.active().order_by("application__sequence")[:2]:
        plan_services.do_add_planned_visit(
            household, due_on=today, officer=officer, actor=officer, note="Wizyta dodatkowa."
        )
    log_in(page, "monitoring")
    assert_accessible(page)
    before = home_counts(page)
    assert before["visits_today"] >= 1

    open_todo(page, "visits_today")
    page.locator(CARDS).first.get_by_role("link", name=re.compile("^Zapisz wizytę")).click()
    page.wait_for_selector("#visit-form")
    page.get_by_label("Obecni podczas wizyty").fill("beneficjent")
    for good in page.get_by_label("jest, sprawny", exact=True).all():
        good.check()
    page.get_by_role("group", name="Internet działa").get_by_label("tak").check()
    for kept in page.get_by_label("dotrzymane", exact=True).all():
        kept.check()
    page.get_by_label("Ustalenia").fill("Sprzęt sprawny, używany codziennie.")
    made = MonitoringVisit.objects.count()
    page.get_by_role("button", name="Zapisz wizytę").click()
    page.get_by_text("Wizyta została zapisana.").wait_for()
    assert MonitoringVisit.objects.count() == made + 1

    after = home_counts(page)
    assert after["visits_today"] == before["visits_today"] - 1
    assert after["visits_week"] == before["visits_week"] - 1
    still_due = PlannedVisit.objects.filter(
        status="planned", due_on=today, officer__username="monitoring"
    )
    assert still_due.count() == after["visits_today"]
    assert_accessible(page)


# --- the coordinator's assistant (training) ----------------------------------------------------


@pytest.fixture
def new_session(demo_server, settings):
    """A group of three from the demo households with a session on 20.11.2012 (set up by the
    coordinator; nobody has entered its attendance yet)."""
    day = D(2012, 11, 20)
    day_of_demo(settings, day)
    coordinator = user("koordynator")
    module = module_services.do_save_module(
        None,
        {
            "number": 9,
            "name": "Bezpieczeństwo w sieci",
            "planned_groups": 1,
            "planned_hours_per_group": Decimal("2"),
            "starts_on": day - datetime.timedelta(days=7),
            "ends_on": day + datetime.timedelta(days=7),
            "certificate_text": "ukończył(a) szkolenie „Bezpieczeństwo w sieci”.",
        },
        actor=coordinator,
    )
    group = module_services.do_save_group(
        TrainingGroup(module=module),
        {"name": "Grupa wtorkowa", "trainer": "Ewa Bezpieczna", "room": "Sala 12"},
        actor=coordinator,
    )
    households = Participant.objects.active().order_by("application__sequence")[:3]
    members = [h.application.members.get(role=domain.APPLICANT) for h in households]
    trainees = trainee_services.do_add_members(group, members, actor=coordinator)
    session = session_services.do_save_session(
        TrainingSession(group=group),
        {
            "date": day,
            "starts_at": datetime.time(18, 0),
            "ends_at": datetime.time(19, 30),
            "hours": Decimal("2"),
            "topic": "Hasła i bezpieczne zakupy",
            "trainer": group.trainer,
            "room": group.room,
        },
        actor=coordinator,
    )
    return session, trainees


def test_an_assistants_day(page, new_session):
    session, trainees = new_session
    log_in(page, "asystent")
    assert_accessible(page)
    before = home_counts(page)
    assert before["sessions_today"] >= 1 and before["attendance_missing"] >= 1

    open_todo(page, "sessions_today")  # today's session, the one without attendance
    page.get_by_role("link", name="Sprawdź obecność – Grupa wtorkowa").click()
    page.wait_for_load_state()
    for trainee in trainees:
        row = page.locator(f"fieldset[data-trainee='{trainee.pk}']")
        row.get_by_text("obecny", exact=True).click()
        row.get_by_text("Zapisano").wait_for()
    assert Attendance.objects.filter(session=session, status="present").count() == len(trainees)

    after = home_counts(page)
    assert after["attendance_missing"] == before["attendance_missing"] - 1
    assert after["sessions_today"] == before["sessions_today"]
    assert_accessible(page)


# --- the finance officer -----------------------------------------------------------------------


@pytest.fixture
def awarded_procedure(demo_server, settings):
    """A request for quotation for training materials, awarded on 19.11.2012: its contract is
    the next step."""
    day_of_demo(settings, D(2012, 11, 20))
    officer = user("finanse")
    procedure = ProcedureFactory(
        subject="Materiały szkoleniowe dla uczestników projektu",
        procedure_type="request_for_quotation",
    )
    procedure_services.do_announce(
        procedure,
        announcement_number="",
        announcement_date=D(2012, 11, 5),
        offers_deadline=datetime.datetime(2012, 11, 14, 10, 0, tzinfo=datetime.UTC),
        actor=officer,
    )
    bidder = SupplierFactory(name="Drukarnia Przykładowa Sp. z o.o.")
    offer = procedure_services.do_record_offer(
        procedure,
        bidder=bidder,
        received_at=datetime.datetime(2012, 11, 13, 9, 0, tzinfo=datetime.UTC),
        price=Decimal("12300.00"),
        actor=officer,
    )
    procedure_services.do_open_offers(procedure, opened_on=D(2012, 11, 14), actor=officer)
    procedure_services.do_award(
        Procedure.objects.get(pk=procedure.pk),
        offer=offer,
        award_date=D(2012, 11, 19),
        actor=officer,
    )
    return Procedure.objects.get(pk=procedure.pk)


def test_a_finance_officers_day(page, awarded_procedure):
    log_in(page, "finanse")
    assert_accessible(page)
    before = home_counts(page)
    assert before["procedures_step_due"] >= 1 and before["contracts_ending"] >= 1

    # The awarded procedure: its contract, signed today, for a year.
    open_todo(page, "procedures_step_due")
    page.get_by_role("link", name=awarded_procedure.subject).first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Wprowadź zawartą umowę").click()
    page.wait_for_load_state()
    page.get_by_label("Numer umowy").fill("RZP.272.40.2012")
    page.get_by_label("Data zawarcia").fill("2012-11-20")
    page.get_by_label("Wartość netto (zł)").fill("10000.00")
    page.get_by_label("Wartość brutto (zł)").fill("12300.00")
    page.get_by_label("Okres obowiązywania od").fill("2012-11-20")
    page.get_by_label("Okres obowiązywania do").fill("2013-11-30")
    page.get_by_label(label("Potwierdzam: umowa")).check()
    save(page, "Wprowadź umowę")
    assert message(page) == "Umowa została wprowadzona."

    # A contract ending within 90 days: extended by an amendment.
    go_home(page)
    open_todo(page, "contracts_ending")
    number = page.locator(ROWS).first.locator("td a").first.inner_text()
    contract = Contract.objects.get(number=number)
    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Wprowadź aneks").click()
    page.wait_for_load_state()
    page.get_by_label(label("numer aneksu")).fill(f"{number}/A/1")
    page.get_by_label(label("data zawarcia")).fill("2012-11-20")
    page.get_by_label(label("co zmienia i dlaczego")).fill(
        "Przedłużenie okresu obowiązywania do końca okresu kwalifikowalności."
    )
    page.get_by_label(label("nowy koniec okresu obowiązywania")).fill("2013-12-31")
    save(page, "Wprowadź aneks")
    contract.refresh_from_db()
    assert contract.term_end == D(2013, 12, 31)

    after = home_counts(page)
    assert after["procedures_step_due"] == before["procedures_step_due"] - 1
    assert after["contracts_ending"] == before["contracts_ending"] - 1
    assert_accessible(page)
