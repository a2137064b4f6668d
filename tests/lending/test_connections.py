"""Internet connections: kept to the end of the durability period, outages, status; and the
read helpers monitoring uses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import Project, PublicUnit
from lending import queries
from lending.models import Connection, Outage
from lending.services import connections
from procurement.demo import INTERNET_CONTRACT, INTERNET_CONTRACTS_DURABILITY
from procurement.models import Contract

from .conftest import DAY


def test_the_demo_connects_the_households_and_the_units_until_the_durability_end(db):
    active = Connection.objects.filter(status="active")
    assert active.filter(participant__isnull=False).count() == 75
    assert active.filter(public_unit__isnull=False).count() == 7
    # Moved on 01.01.2014 and 01.01.2017 onto the contracts of the durability period.
    assert set(active.values_list("contract__number", flat=True)) == {
        INTERNET_CONTRACTS_DURABILITY[-1]
    }
    first = active.filter(installed_on__lt=datetime.date(2013, 1, 1)).order_by("pk").first()
    assert list(first.periods.values_list("contract__number", "since", "until")) == [
        (INTERNET_CONTRACT, first.installed_on, datetime.date(2013, 12, 31)),
        (INTERNET_CONTRACTS_DURABILITY[0], datetime.date(2014, 1, 1), datetime.date(2016, 12, 31)),
        (INTERNET_CONTRACTS_DURABILITY[1], datetime.date(2017, 1, 1), None),
    ]
    end = Project.current().durability_end
    assert end == datetime.date(2018, 12, 31)
    assert set(active.values_list("ends_on", flat=True)) == {end}
    assert not active.filter(installed_on__lt=datetime.date(2012, 12, 12)).exists()


def test_the_read_helpers_for_monitoring(participant, agreement):
    assets = list(queries.lent_assets(participant))
    assert assets == [item.asset for item in agreement.items.order_by("asset__serial_number")]
    assert {asset.kind for asset in assets} == {"computer_set", "router"}
    connection = queries.active_connection(participant)
    assert connection.participant == participant and connection.status == "active"


def test_a_second_open_connection_is_refused(participant, coordinator):
    contract = Contract.objects.get(number=INTERNET_CONTRACT)
    count = Connection.objects.count()
    with pytest.raises(ValidationError, match="ma już niezakończone podłączenie"):
        connections.do_connect(participant, contract, DAY, actor=coordinator)
    assert Connection.objects.count() == count


def test_an_installation_before_the_contract_is_refused(coordinator):
    unit = PublicUnit.objects.first()
    connections.do_change_connection(
        Connection.objects.get(public_unit=unit),
        "ended",
        DAY,
        "Zmiana dostawcy.",
        actor=coordinator,
    )
    count = Connection.objects.count()
    contract = Contract.objects.get(number=INTERNET_CONTRACT)
    with pytest.raises(ValidationError, match="przed podpisaniem umowy z dostawcą"):
        connections.do_connect(unit, contract, datetime.date(2012, 12, 1), actor=coordinator)
    assert Connection.objects.count() == count
    connection = connections.do_connect(unit, contract, DAY, actor=coordinator)
    assert connection.ends_on == datetime.date(2018, 12, 31)


def test_an_outage_is_reported_and_closed(client, participant, make_user):
    connection = queries.active_connection(participant)
    client.force_login(make_user(roles.MONITORING))
    client.post(
        reverse("lending:outage_new", args=[connection.pk]),
        {"started_on": DAY.isoformat(), "description": "Brak sygnału."},
    )
    outage = Outage.objects.get(connection=connection, started_on=DAY)
    assert outage.reported_by.groups.filter(name=roles.MONITORING).exists()
    response = client.post(
        reverse("lending:outage_close", args=[outage.pk]),
        {"ended_on": (DAY + datetime.timedelta(days=1)).isoformat(), "resolution": "Restart."},
    )
    assert response.status_code == 302
    outage.refresh_from_db()
    assert outage.ended_on == DAY + datetime.timedelta(days=1)


def test_an_outage_before_the_installation_is_refused(participant, coordinator):
    connection = queries.active_connection(participant)
    count = Outage.objects.count()
    with pytest.raises(ValidationError, match="przed instalacją"):
        connections.do_report_outage(connection, datetime.date(2012, 1, 1), "x", actor=coordinator)
    assert Outage.objects.count() == count


def test_the_connection_list_is_bounded(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(roles.AUDITOR))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lending:connection_list"))
    # 75 households, the two that left (2013, 2014) with their connections ended, 7 units.
    assert response.context["page"].paginator.count == 84
    response = client.get(reverse("lending:connection_list"), {"who": "unit"})
    assert response.context["page"].paginator.count == 7
