"""Internet that is really paid for (issue 14 item 4): a connection works on a day only under a
provider's contract whose term covers that day; connections move onto the town's next contract
from a date, the days before staying under the old one."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import PublicUnit
from lending import queries
from lending.models import Connection, ConnectionPeriod
from lending.services import connections
from procurement.demo import INTERNET_CONTRACT
from procurement.models import Contract
from tests import helpers
from tests.factories import ProcedureFactory, SupplierFactory

from .conftest import DAY

D = datetime.date


def make_contract(number, start, end):
    return Contract.objects.create(
        number=number,
        procedure=ProcedureFactory(),
        supplier=SupplierFactory(),
        signed_on=start - datetime.timedelta(days=10),
        value_net=Decimal("1000.00"),
        value_gross=Decimal("1230.00"),
        scope="Dostęp do Internetu (test).",
        term_start=start,
        term_end=end,
    )


@pytest.fixture
def unit_connection(coordinator):
    return connect_unit_under_a_2013_contract(coordinator)


def connect_unit_under_a_2013_contract(coordinator):
    """A public unit's connection of its own, under a contract of 2013 only."""
    unit = PublicUnit.objects.order_by("pk").first()
    connections.do_change_connection(
        Connection.objects.get(public_unit=unit, status="active"),
        "ended",
        D(2013, 1, 31),
        "Zmiana dostawcy (test).",
        actor=coordinator,
    )
    contract = make_contract("TEST/2013", D(2013, 2, 1), D(2013, 12, 31))
    return connections.do_connect(unit, contract, D(2013, 2, 1), actor=coordinator)


def snapshot():
    return helpers.snapshot(
        (Connection, "pk", "status", "contract_id", "version"),
        (ConnectionPeriod, "pk", "contract_id", "since", "until"),
    )


def test_a_connection_works_only_on_the_days_its_contract_covers(unit_connection):
    assert queries.connections_working_on(D(2013, 12, 31)).filter(pk=unit_connection.pk).exists()
    assert not queries.connections_working_on(D(2014, 1, 1)).filter(pk=unit_connection.pk).exists()
    uncovered = queries.connections_without_contract_on(D(2014, 1, 1))
    assert uncovered.filter(pk=unit_connection.pk).exists()
    assert not queries.connections_without_contract_on(D(2013, 6, 1)).filter(pk=unit_connection.pk)


def test_moving_onto_the_next_contract_keeps_the_old_one_on_the_days_before(
    unit_connection, coordinator
):
    old = unit_connection.contract
    new = make_contract("TEST/2014", D(2014, 1, 1), D(2014, 12, 31))
    moved = connections.do_move_connections(old, new, D(2014, 1, 1), actor=coordinator)
    assert [c.pk for c in moved] == [unit_connection.pk]
    unit_connection.refresh_from_db()
    assert unit_connection.contract == new
    periods = list(unit_connection.periods.values_list("contract__number", "since", "until"))
    assert periods == [
        ("TEST/2013", D(2013, 2, 1), D(2013, 12, 31)),
        ("TEST/2014", D(2014, 1, 1), None),
    ]
    working = queries.connections_working_on
    for day in (D(2013, 6, 30), D(2014, 6, 30)):
        assert working(day).filter(pk=unit_connection.pk).exists(), day
    assert not working(D(2015, 1, 1)).filter(pk=unit_connection.pk).exists()
    assert queries.contract_covering(unit_connection, D(2013, 6, 30)) == old
    assert queries.contract_covering(unit_connection, D(2014, 6, 30)) == new
    assert queries.contract_covering(unit_connection, D(2015, 1, 1)) is None


def test_a_connection_on_a_day_no_contract_covers_is_refused(client, make_user):
    """Bad input: the installation on a day the chosen contract does not cover."""
    unit = PublicUnit.objects.order_by("pk").first()
    Connection.objects.filter(public_unit=unit).update(status="ended")
    contract = Contract.objects.get(number=INTERNET_CONTRACT)  # 12.12.2012-31.12.2013
    before = snapshot()
    client.force_login(make_user(roles.COORDINATOR))
    response = client.post(
        reverse("lending:unit_connection_new", args=[unit.pk]),
        {"contract": contract.pk, "installed_on": "2014-03-03", "technology": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["installed_on"] == [
        "Umowa z dostawcą RZP.272.19.2012 nie obejmuje dnia 03.03.2014: obowiązuje od "
        "12.12.2012 do 31.12.2013. Wybierz umowę obowiązującą w tym dniu."
    ]
    assert snapshot() == before


def test_a_move_onto_a_contract_not_covering_the_day_is_refused(client, make_user, unit_connection):
    """Bad input: the move's first day outside the new contract's term."""
    new = make_contract("TEST/2014", D(2014, 1, 1), D(2014, 12, 31))
    before = snapshot()
    client.force_login(make_user(roles.COORDINATOR))
    response = client.post(
        reverse("lending:connections_move"),
        {
            "from_contract": unit_connection.contract.pk,
            "to_contract": new.pk,
            "since": "2015-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["since"] == [
        "Umowa z dostawcą TEST/2014 nie obejmuje dnia 01.01.2015: obowiązuje od 01.01.2014 do "
        "31.12.2014. Wybierz umowę obowiązującą w tym dniu."
    ]
    assert snapshot() == before


def test_a_move_not_after_the_current_period_is_refused(unit_connection, coordinator):
    overlap = make_contract("TEST/2013B", D(2013, 1, 1), D(2013, 12, 31))
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        connections.do_move_connections(
            unit_connection.contract, overlap, D(2013, 2, 1), actor=coordinator
        )
    assert "przeniesienie musi nastąpić później" in helpers.messages_of(refused.value)
    assert snapshot() == before


def test_the_move_page_moves_the_connections(client, make_user, unit_connection):
    new = make_contract("TEST/2014", D(2014, 1, 1), D(2014, 12, 31))
    client.force_login(make_user(roles.COORDINATOR))
    response = client.post(
        reverse("lending:connections_move"),
        {
            "from_contract": unit_connection.contract.pk,
            "to_contract": new.pk,
            "since": "2014-01-01",
        },
    )
    assert response.status_code == 302
    unit_connection.refresh_from_db()
    assert unit_connection.contract == new


def test_the_pages_say_when_no_contract_covers_today(client, make_user, participant):
    """The demo's first contract ended on 31.12.2013; a household's connection left on it
    is unpaid today."""
    connection = queries.active_connection(participant)
    stale = make_contract("TEST/OLD", D(2012, 12, 1), D(2013, 12, 31))
    ConnectionPeriod.objects.filter(connection=connection).delete()
    ConnectionPeriod.objects.create(connection=connection, contract=stale, since=DAY)
    Connection.objects.filter(pk=connection.pk).update(contract=stale)
    client.force_login(make_user(roles.COORDINATOR))
    for url in (
        reverse("lending:participant_detail", args=[participant.pk]),
        reverse("lending:connection_detail", args=[connection.pk]),
    ):
        page = client.get(url).content.decode()
        assert "brak umowy z dostawcą na dziś" in page, url
