"""The yearly durability report: its years, its sections from what the apps record, and the
sections not measured yet saying so (never a made-up number)."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion import roles
from lebork_einclusion.models import Project, PublicUnit
from lending import services as lending_services
from lending.models import Participant
from lending.services import active_connection
from monitoring import durability
from monitoring.models import LabReport, PlannedVisit
from monitoring.services.labs import do_save_report
from recruitment import domain
from recruitment.models import Application, Call
from recruitment.queries import latest_version
from recruitment.services import do_promote_from_reserve

D = datetime.date


def pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_durability_period_has_a_year_each_after_the_end(db):
    years = durability.project_years(Project.current())
    assert [(y.number, y.start, y.end) for y in years] == [
        (1, D(2014, 1, 1), D(2014, 12, 31)),
        (2, D(2015, 1, 1), D(2015, 12, 31)),
        (3, D(2016, 1, 1), D(2016, 12, 31)),
        (4, D(2017, 1, 1), D(2017, 12, 31)),
        (5, D(2018, 1, 1), D(2018, 12, 31)),
    ]


def test_connections_equipment_and_visits_are_measured_at_the_year_s_end(coordinator):
    project = Project.current()
    year = durability.project_year(project, 1)
    participant = Participant.objects.active().order_by("pk").first()
    lending_services.do_report_outage(
        active_connection(participant), D(2014, 12, 30), "Brak sygnału od rana", actor=coordinator
    )
    connections = durability.connections_active(project, year)
    assert (connections.households, connections.households_target) == (74, 75)
    assert (connections.units, connections.units_target) == (7, 7)
    # This one and the demo's two outages of 2014 (closed in days).
    assert (connections.outages, connections.outages_open) == (3, 1)
    assets = durability.assets_in_use(project, year)
    assert (assets.in_use, assets.at_households, assets.in_units) == (242, 150, 92)
    assert (assets.working, assets.not_working) == (242, 0)
    visits = durability.visits_made(project, year)
    # Every household had its visit due in 2014 made (the demo's visits), and the household
    # promoted from the reserve list after the exclusion of 2014 its first: 76.
    assert visits.planned == 76
    assert (visits.planned_done, visits.made, visits.not_made) == (76, 76, 0)


def test_the_year_of_the_march_visits_counts_them(db):
    project = Project.current()
    # The project's last year is not a durability year; a year made of 2013 is used here.
    year = durability.ProjectYear(0, D(2013, 1, 1), D(2013, 12, 31))
    visits = durability.visits_made(project, year)
    # March: 68 made, one household not at home; April: the six left for April and the control
    # visit at the neighbour's; June: the household promoted in February its first.
    assert (visits.made, visits.households, visits.not_made) == (76, 75, 1)
    assert visits.planned_done == 76
    assert (
        visits.cancelled
        == PlannedVisit.objects.filter(status="cancelled", due_on__year=2013).count()
    )
    problems = durability.problems_and_resolution(project, year)
    texts = " ".join(f"{p.description} {p.resolution}" for p in problems)
    assert "Uszkodzony monitor" in texts
    assert "Serwis MAXTO wymienił monitor" in texts  # the closed follow-up's outcome
    assert "Brak dostępu do Internetu" in texts
    assert "Komputer użyczony osobie trzeciej" in texts
    assert "odrzucona" in texts  # the exclusion proposal's status: rejected on 15.04.2013
    assert "jeden zestaw nie uruchamia się" in texts.lower()  # a supervisor's report


def test_a_place_freed_and_filled_from_the_reserve_list_is_reported(coordinator):
    call = Call.objects.get(code="2012")
    leaving_number = (
        latest_version(call).entries.filter(status=domain.MAIN).order_by("rank").last()
    ).application.number
    leaving = Application.objects.get(call=call, number=leaving_number)
    promotion = do_promote_from_reserve(
        leaving, "Rezygnacja: wyprowadzka z Lęborka", actor=coordinator, decided_on=D(2015, 3, 10)
    )
    project = Project.current()
    # Year 1 (2014): the demo's exclusion, its place filled from the reserve list (version 3
    # of the lists, 04.04.2014).
    [demo_change] = durability.places_kept_filled(
        project, durability.project_year(project, 1)
    ).changes
    assert demo_change.decided_on == D(2014, 4, 4)
    places = durability.places_kept_filled(project, durability.project_year(project, 2))
    assert (places.filled_at_start, places.filled_at_end) == (75, 75)
    assert places.replacements == 1 and places.vacancies == 0
    [change] = places.changes
    assert change.decided_on == D(2015, 3, 10)
    assert change.left == [leaving_number]
    assert change.joined == [promotion.promoted.number]
    assert change.reason == "Rezygnacja: wyprowadzka z Lęborka"
    # Year 3 saw no change.
    assert durability.places_kept_filled(project, durability.project_year(project, 3)).changes == []


def test_the_report_pdf_has_every_section(client_as, coordinator):
    unit = PublicUnit.objects.get(short_name="G2")
    do_save_report(
        LabReport(unit=unit, month=D(2014, 5, 1)),
        {
            "hours_open": Decimal("20"),
            "visitors": 33,
            "problems": "Przerwa w dostawie prądu 12.05.2014; sala zamknięta jeden dzień.",
            "submitted_on": D(2014, 6, 2),
        },
        actor=coordinator,
    )
    response = client_as(roles.MONITORING).get(reverse("monitoring:durability_pdf", args=[1]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Sprawozdanie z trwałości: rok 1 po zakończeniu projektu" in text
    assert "Okres: 01.01.2014 – 31.12.2014" in text
    assert "Na liście podstawowej na koniec roku 75" in text
    assert "Gospodarstwa uczestniczące na koniec roku 75" in text
    # The demo's exclusion of 2014, its place filled from the reserve list.
    assert "Zmiany list w ciągu roku" in text and "04.04.2014" in text
    assert (
        "Gospodarstwa z obowiązującą umową i działającym Internetem na koniec roku 75 / 75" in text
    )
    assert "Sprzęt w użyciu na koniec roku 242" in text
    assert "Wizyty zaplanowane w roku" in text
    assert "Przerwa w dostawie prądu 12.05.2014" in text
    assert "godziny otwarcia: 20, wizyty uczących się: 33" in text
    assert "Gospodarstwa domowe na zatwierdzonej liście podstawowej 75 75" in text
    assert "Osoby przeszkolone 150 153" in text


def test_a_year_outside_the_period_is_not_found(client_as):
    client = client_as(roles.COORDINATOR)
    assert client.get(reverse("monitoring:durability_pdf", args=[6])).status_code == 404
    assert client.get(reverse("monitoring:durability_pdf", args=[0])).status_code == 404


def test_a_year_not_started_has_no_report(client_as, db):
    project = Project.current()
    project.end_date = D(2099, 12, 31)
    project.save()
    client = client_as(roles.COORDINATOR)
    assert client.get(reverse("monitoring:durability_pdf", args=[1])).status_code == 404
    page = client.get(reverse("monitoring:durability")).content.decode()
    assert "nierozpoczęty" in page


def test_the_committee_has_no_durability_reports(client_as):
    client = client_as(roles.COMMITTEE)
    assert client.get(reverse("monitoring:durability")).status_code == 403
