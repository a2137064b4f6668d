"""The lab supervisors' monthly reports: hours open, visits, problems; refused when impossible."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lebork_einclusion import roles
from lebork_einclusion.models import PublicUnit
from monitoring.models import LabReport
from monitoring.services.labs import do_save_report
from tests.helpers import messages_of

from .conftest import monitoring_state

D = datetime.date
APRIL = D(2013, 4, 1)  # the demo has hours but no reports for April 2013


def url(unit, month=APRIL):
    return reverse("monitoring:lab_report", args=[unit.pk, month.year, month.month])


def data(**changes):
    values = {
        "contract": "",
        "hours_open": "30",
        "visitors": "41",
        "problems": "",
        "submitted_on": "2013-05-03",
    }
    values.update(changes)
    return values


def test_the_officer_records_a_report_beside_the_published_hours(officer_client, unit):
    page = officer_client.get(url(unit)).content.decode()
    assert "Opublikowany harmonogram miesiąca: 16 godz." in page
    response = officer_client.post(url(unit), data(problems="Awaria drukarki, naprawiona."))
    assert response.status_code == 302
    report = LabReport.objects.get(unit=unit, month=APRIL)
    assert report.hours_open == Decimal("30")
    assert report.visitors == 41
    assert report.recorded_by == officer_client.user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours_open": "721"}, "Kwiecień 2013 ma tylko 720 godzin."),
        ({"submitted_on": "2013-03-30"}, "Sprawozdanie składa się w trakcie miesiąca lub po nim."),
        ({"visitors": "-3"}, "Upewnij się, że ta wartość jest większa lub równa 0."),
        ({"hours_open": ""}, "To pole jest wymagane."),
    ],
)
def test_an_impossible_report_is_refused_and_nothing_saved(officer_client, unit, changes, message):
    before = monitoring_state()
    response = officer_client.post(url(unit), data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert monitoring_state() == before


def test_a_report_for_a_month_not_started_is_refused(coordinator, unit):
    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    before = monitoring_state()
    with pytest.raises(ValidationError) as caught:
        do_save_report(
            LabReport(unit=unit, month=next_month),
            {"hours_open": Decimal("1"), "visitors": 1, "submitted_on": timezone.localdate()},
            actor=coordinator,
        )
    assert "jeszcze się nie zaczął" in messages_of(caught.value)
    assert monitoring_state() == before


def test_a_handing_in_date_in_the_future_is_refused(officer_client, unit):
    before = monitoring_state()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = officer_client.post(url(unit), data(submitted_on=tomorrow.isoformat()))
    assert "Data nie może być z przyszłości." in response.content.decode()
    assert monitoring_state() == before


def test_the_auditor_reads_a_report_and_may_not_change_it(client_as):
    client = client_as(roles.AUDITOR)
    unit = PublicUnit.objects.get(short_name="SP8")
    march = D(2013, 3, 1)
    page = client.get(url(unit, march)).content.decode()
    assert "uszkodzony zasilacz" in page
    before = monitoring_state()
    assert client.post(url(unit, march), data()).status_code == 403
    assert monitoring_state() == before


def test_the_finance_officer_reads_reports_the_committee_does_not(client_as):
    assert client_as(roles.FINANCE).get(reverse("monitoring:lab_report_list")).status_code == 200
    assert client_as(roles.COMMITTEE).get(reverse("monitoring:lab_report_list")).status_code == 403


def test_the_list_of_reports_keeps_its_queries_whatever_their_number(
    officer_client, coordinator, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("monitoring:lab_report_list"))
    assert response.context["page"].paginator.count == 9
    first = response.context["page"][0]
    assert first.planned is not None  # the month's published hours, from the same query
    for unit in PublicUnit.objects.all():
        for month in range(4, 10):
            do_save_report(
                LabReport(unit=unit, month=D(2013, month, 1)),
                {"hours_open": Decimal("10"), "visitors": 5, "submitted_on": D(2013, month, 28)},
                actor=coordinator,
            )
    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("monitoring:lab_report_list"))
    assert response.context["page"].paginator.count == 9 + 42


def test_the_list_filters_by_unit(officer_client):
    unit = PublicUnit.objects.get(short_name="G1")
    response = officer_client.get(reverse("monitoring:lab_report_list"), {"unit": unit.pk})
    assert {r.unit_id for r in response.context["page"]} == {unit.pk}
    assert response.context["page"].paginator.count == 2
