"""The "Terminy" page beside the agreements (issue 14 item 4): providers' contracts and
insurance ending within 90 days or ended and still relied on, connections no contract covers
today, agreements past their end (not only those ending in the future)."""

import datetime

import pytest
from django.urls import reverse

from lebork_einclusion import roles
from lending import queries
from lending.models import Connection, LoanAgreement
from procurement.demo import (
    INSURANCE_CONTRACT,
    INSURANCE_RENEWALS,
    INTERNET_CONTRACT,
    INTERNET_CONTRACTS_DURABILITY,
)
from procurement.models import Contract

from .test_connection_contracts import connect_unit_under_a_2013_contract

D = datetime.date


@pytest.fixture
def unit_connection(coordinator):
    return connect_unit_under_a_2013_contract(coordinator)


@pytest.fixture
def office(client, make_user):
    client.force_login(make_user(roles.COORDINATOR))
    return client


def due_page(client, settings, day, django_assert_max_num_queries):
    settings.DEMO_TODAY = day
    # session and user, the seven lists of lending and the three of contracts and connections
    with django_assert_max_num_queries(18):
        response = client.get(reverse("lending:due"))
    assert response.status_code == 200
    return response.content.decode()


def section(page, element_id):
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


def test_contracts_ending_within_90_days_are_listed(
    office, settings, django_assert_max_num_queries
):
    # 15.10.2013: the Internet contract ends 31.12.2013 (77 days), the insurance 30.11.2013.
    page = due_page(office, settings, D(2013, 10, 15), django_assert_max_num_queries)
    internet = Contract.objects.get(number=INTERNET_CONTRACT)
    insurance = Contract.objects.get(number=INSURANCE_CONTRACT)
    providers = section(page, "provider-contracts")
    assert reverse("procurement:contract_detail", args=[internet.pk]) in providers
    assert "31.12.2013" in providers
    assert reverse("procurement:contract_detail", args=[insurance.pk]) in section(page, "insurance")
    assert INSURANCE_CONTRACT not in providers
    # 100 days before its end the Internet contract is not due yet.
    assert internet not in queries.provider_contracts_ending(D(2013, 9, 22))
    assert internet in queries.provider_contracts_ending(D(2013, 10, 2))


def test_an_ended_contract_still_named_by_connections_and_the_uncovered_connection(
    office,
    settings,
    unit_connection,
    django_assert_max_num_queries,
):
    """TEST/2013 ended on 31.12.2013 and the unit's connection was never moved off it."""
    page = due_page(office, settings, D(2014, 2, 3), django_assert_max_num_queries)
    providers = section(page, "provider-contracts")
    assert "TEST/2013" in providers and "table-warning" in providers
    uncovered = section(page, "uncovered")
    assert reverse("lending:connection_detail", args=[unit_connection.pk]) in uncovered
    # Ended, the connection is nobody's worry any more.
    Connection.objects.filter(pk=unit_connection.pk).update(
        status="ended", status_since=D(2014, 1, 1)
    )
    assert not queries.connections_without_contract_on(D(2014, 2, 3)).filter(pk=unit_connection.pk)
    assert unit_connection.contract not in queries.provider_contracts_ending(D(2014, 2, 3))


def test_agreements_past_their_end_are_listed_not_only_future_ones(
    office, settings, django_assert_max_num_queries
):
    agreement = (
        LoanAgreement.objects.filter(status="active", ended_on__isnull=True)
        .order_by("ends_on", "pk")
        .first()
    )
    day = agreement.ends_on + datetime.timedelta(days=30)
    page = due_page(office, settings, day, django_assert_max_num_queries)
    expiring = section(page, "expiring")
    assert reverse("lending:agreement_detail", args=[agreement.pk]) in expiring
    assert "po terminie" in expiring
    listed = queries.agreements_to_decide(day)
    assert agreement in listed
    assert all(a.ends_on <= day + datetime.timedelta(days=90) for a in listed)
    assert agreement not in queries.agreements_to_decide(
        agreement.ends_on - datetime.timedelta(days=91)
    )


def test_after_the_durability_end_the_last_contracts_are_listed_as_ended(db):
    """The demo's last Internet contract and insurance ended on 31.12.2018; the connections and
    the equipment still name them."""
    day = D(2019, 2, 1)
    providers = {c.number: c.in_use for c in queries.provider_contracts_ending(day)}
    assert providers == {INTERNET_CONTRACTS_DURABILITY[-1]: 82}
    insurance = {c.number: c.in_use for c in queries.insurance_ending(day)}
    assert insurance == {INSURANCE_RENEWALS[-1]: 160}
    assert queries.connections_without_contract(day).count() == 82
