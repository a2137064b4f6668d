"""Frozen indicators: a snapshot never changes afterwards (a database trigger refuses it),
whatever happens to the data; its XLSX and PDF."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from lebork_einclusion import roles
from lebork_einclusion.models import Project, PublicUnit
from monitoring import indicators
from monitoring.models import IndicatorSnapshot, IndicatorValue, PlannedVisit
from monitoring.services.plans import do_add_planned_visit
from monitoring.services.snapshots import do_freeze_indicators
from recruitment.models import Application

D = datetime.date
CLAIM = IndicatorSnapshot.Purpose.PAYMENT_CLAIM


@pytest.fixture
def snapshot(coordinator):
    return do_freeze_indicators(
        Project.current(),
        as_of=D(2013, 3, 31),
        purpose=CLAIM,
        reference="Wniosek o płatność nr 3",
        actor=coordinator,
    )


def frozen(snapshot) -> list[tuple]:
    return list(
        IndicatorValue.objects.filter(snapshot=snapshot)
        .order_by("position")
        .values_list("code", "name", "target", "value", "unit")
    )


def test_freezing_copies_every_indicator_with_its_target(snapshot):
    values = {code: (target, value) for code, _name, target, value, _unit in frozen(snapshot)}
    assert values["main_list_households"] == (75, 75)
    assert values["contracts_signed"] == (None, 7)
    assert values["people_trained"] == (150, 150)  # module 1 had ended by 31.03.2013
    assert values["households_connected"] == (75, 75)
    assert values["visits_made"] == (69, 68)  # the March 2013 round: one due visit moved
    assert snapshot.project_name == Project.current().name


def test_a_frozen_snapshot_stays_the_same_after_the_data_change(snapshot):
    before = frozen(snapshot)
    project = Project.current()
    project.target_households = 80
    project.name = "Inna nazwa"
    project.save()
    Application.objects.filter(pk=Application.objects.order_by("pk").first().pk).update(
        received_on=D(2030, 1, 1)
    )
    PublicUnit.objects.create(
        name="Nowa jednostka", short_name="NJ", kind="welfare", street="x", postal_code="84-300"
    )
    # A visit added to March's plan afterwards changes the live figure only.
    do_add_planned_visit(
        PlannedVisit.objects.filter(status="planned").first().participant,
        due_on=D(2013, 3, 20),
        officer=None,
        actor=snapshot.frozen_by,
    )
    snapshot.refresh_from_db()
    assert frozen(snapshot) == before
    assert snapshot.project_name != "Inna nazwa"
    # The live figures moved on.
    fresh = do_freeze_indicators(
        project, as_of=D(2013, 3, 31), purpose=CLAIM, actor=snapshot.frozen_by
    )
    assert {c: v for c, _n, _t, v, _u in frozen(fresh)}["public_units"] == 8
    assert {c: v for c, _n, _t, v, _u in before}["public_units"] == 7
    assert {c: t for c, _n, t, _v, _u in frozen(fresh)}["visits_made"] == 70
    assert {c: t for c, _n, t, _v, _u in before}["visits_made"] == 69


def test_the_database_refuses_to_change_or_delete_a_snapshot(snapshot):
    before = frozen(snapshot)
    with pytest.raises(ProgrammingError), transaction.atomic():
        IndicatorValue.objects.filter(snapshot=snapshot).update(value=1)
    with pytest.raises(ProgrammingError), transaction.atomic():
        IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(reference="zmienione")
    with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM monitoring_indicatorvalue WHERE snapshot_id = %s", [snapshot.pk]
        )
    snapshot.refresh_from_db()
    assert snapshot.reference == "Wniosek o płatność nr 3"
    assert frozen(snapshot) == before


def test_a_post_to_a_snapshot_is_refused(client_as, snapshot):
    before = frozen(snapshot)
    response = client_as(roles.COORDINATOR).post(
        reverse("monitoring:snapshot_detail", args=[snapshot.pk]), {"value": "1"}
    )
    assert response.status_code == 403
    assert frozen(snapshot) == before


@pytest.mark.parametrize(
    ("as_of", "purpose", "field", "message"),
    [
        (
            timezone.localdate() + datetime.timedelta(days=1),
            CLAIM,
            "as_of",
            "Wskaźniki można zamrozić na dzień dzisiejszy lub wcześniejszy, nie na przyszły.",
        ),
        (
            D(2012, 5, 31),
            CLAIM,
            "as_of",
            "Projekt rozpoczął się 01.06.2012: wybierz późniejszy dzień.",
        ),
        (
            D(2013, 6, 30),
            IndicatorSnapshot.Purpose.DURABILITY_REPORT,
            "purpose",
            "Sprawozdanie z trwałości dotyczy roku po zakończeniu projektu (31.12.2013).",
        ),
    ],
)
def test_an_impossible_snapshot_is_refused_and_nothing_frozen(
    coordinator, as_of, purpose, field, message
):
    count = IndicatorSnapshot.objects.count()
    with pytest.raises(ValidationError) as caught:
        do_freeze_indicators(Project.current(), as_of=as_of, purpose=purpose, actor=coordinator)
    assert caught.value.message_dict == {field: [message]}
    assert IndicatorSnapshot.objects.count() == count


def test_the_coordinator_freezes_on_the_page(client_as):
    client = client_as(roles.COORDINATOR)
    response = client.post(
        reverse("monitoring:snapshot_new"),
        {"as_of": "2014-12-31", "purpose": "durability_report", "reference": "Rok 1", "note": ""},
    )
    snapshot = IndicatorSnapshot.objects.get(reference="Rok 1")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:snapshot_detail", args=[snapshot.pk])
    assert snapshot.frozen_by == client.user
    assert snapshot.values.count() == len(indicators.INDICATORS)


def test_the_page_shows_a_refusal_next_to_the_field_and_freezes_nothing(client_as):
    count = IndicatorSnapshot.objects.count()
    response = client_as(roles.COORDINATOR).post(
        reverse("monitoring:snapshot_new"),
        {"as_of": "2013-06-30", "purpose": "durability_report", "reference": "", "note": ""},
    )
    page = response.content.decode()
    assert "Formularz zawiera błędy." in page
    assert "Sprawozdanie z trwałości dotyczy roku po zakończeniu projektu (31.12.2013)." in page
    assert IndicatorSnapshot.objects.count() == count


@pytest.mark.parametrize("role", [roles.ASSISTANT, roles.MONITORING, roles.FINANCE, roles.AUDITOR])
def test_only_the_coordinator_freezes(client_as, role):
    count = IndicatorSnapshot.objects.count()
    response = client_as(role).post(
        reverse("monitoring:snapshot_new"), {"as_of": "2013-06-30", "purpose": "payment_claim"}
    )
    assert response.status_code == 403
    assert IndicatorSnapshot.objects.count() == count


def test_the_snapshot_page_shows_frozen_values_beside_a_recount(client_as, snapshot):
    Application.objects.filter(pk=Application.objects.order_by("pk").first().pk).update(
        received_on=D(2030, 1, 1)
    )
    response = client_as(roles.AUDITOR).get(
        reverse("monitoring:snapshot_detail", args=[snapshot.pk])
    )
    row = next(v for v in response.context["values"] if v.code == "applications_received")
    assert (row.value, row.recomputed, row.changed_since) == (79, 78, True)
    assert "różni się" in response.content.decode()


def test_the_spreadsheet_holds_the_frozen_figures_and_what_they_are_for(client_as, snapshot):
    response = client_as(roles.FINANCE).get(reverse("monitoring:snapshot_xlsx", args=[snapshot.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    figures = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert figures[0] == (
        "Kod",
        "Wskaźnik",
        "Wartość docelowa",
        "Wartość",
        "Jednostka miary",
        "Procent wartości docelowej",
    )
    row = next(r for r in figures if r[0] == "main_list_households")
    assert row[2:] == (75, 75, "gospodarstw", 100)
    about = dict(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert about["Stan na dzień"] == "31.03.2013"
    assert about["Cel"] == "wniosek o płatność"
    assert about["Oznaczenie"] == "Wniosek o płatność nr 3"


def test_the_pdf_holds_the_frozen_figures(client_as, snapshot):
    response = client_as(roles.AUDITOR).get(reverse("monitoring:snapshot_pdf", args=[snapshot.pk]))
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Wskaźniki projektu na dzień 31.03.2013" in text
    assert "Wniosek o płatność nr 3" in text
    assert "Gospodarstwa domowe na zatwierdzonej liście podstawowej 75 75 gospodarstw 100%" in text
    assert "Osoby przeszkolone 150 150 osób 100%" in text


def test_the_indicators_page_lists_snapshots_in_a_constant_number_of_queries(
    client_as, coordinator, django_assert_max_num_queries
):
    client = client_as(roles.COORDINATOR)
    # live figures and every indicator's series (monitoring.series): ~60 whatever the snapshots
    with django_assert_max_num_queries(65):
        response = client.get(reverse("monitoring:indicators"))
    small = len(response.context["page"].object_list)
    for month in range(1, 13):
        do_freeze_indicators(
            Project.current(), as_of=D(2013, month, 1), purpose=CLAIM, actor=coordinator
        )
    # live figures and every indicator's series (monitoring.series): ~60 whatever the snapshots
    with django_assert_max_num_queries(65):
        response = client.get(reverse("monitoring:indicators"))
    assert len(response.context["page"].object_list) == small + 12
