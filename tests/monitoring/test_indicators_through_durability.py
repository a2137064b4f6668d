"""The indicators as they stood (issue 14 item 5), on the demo through the durability period:
end dates, the providers' contracts (procurement's demo: 12.12.2012-31.12.2013, then
01.01.2014-31.12.2016 and 01.01.2017-31.12.2018, the connections moved onto each on its first
day) and the outages (lending's demo) decide what counted on a day; the durability report of
each year agrees with the indicators on its day."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from lebork_einclusion import roles
from lebork_einclusion.models import Project, PublicUnit
from lending import queries
from lending.models import LoanAgreement
from lending.services import agreements, equipment
from monitoring import durability
from monitoring.indicators import equipment_in_use, live_indicators

D = datetime.date


def values_on(day):
    return {i.code: i.value for i in live_indicators(Project.current(), day)}


@pytest.mark.parametrize(
    ("day", "households", "units"),
    [
        # 30.06.2013: the 75 households of the main list (the resignation of February 2013
        # was filled from the reserve list) hold their agreements, under the first Internet
        # contract (to 31.12.2013); one household's outage of 28.06-02.07.2013 is open at the
        # end of the day: 75 - 1 = 74. The seven units have their labs and connections: 7.
        (D(2013, 6, 30), 74, 7),
        # 30.06.2016: the contract of 2014-2016 pays for every connection and no household's
        # outage is open; the households counted are those whose agreement
        # (lending.queries.agreements_in_force_on, with its end and annexes) is in force:
        # here all 75. Primary School No 5's outage of 29.06-01.07.2016 is open: 7 - 1 = 6.
        (D(2016, 6, 30), 75, 6),
        # 30.06.2019: after the durability end (31.12.2018) no provider's contract covers
        # any connection, so nothing counts as connected: 0 and 0.
        (D(2019, 6, 30), 0, 0),
    ],
)
def test_the_demos_figures_as_they_stood(db, day, households, units):
    values = values_on(day)
    assert (values["households_connected"], values["units_connected"]) == (households, units)


def test_after_the_durability_end_no_connection_is_paid_for(db):
    day = D(2019, 6, 30)
    assert not queries.connections_working_on(day).exists()
    assert queries.connections_without_contract_on(day).count() == 82  # 75 households + 7 units


def test_export_indicators_reports_no_household_connected_in_2019(db):
    out = io.StringIO()
    call_command("export_indicators", "--format", "json", "--as-of", "2019-06-30", stdout=out)
    rows = json.loads(out.getvalue())
    rows = rows["indicators"] if isinstance(rows, dict) else rows
    figures = {row["code"]: row["value"] for row in rows}
    assert figures["households_connected"] == 0
    assert figures["units_connected"] == 0


def test_each_years_durability_report_agrees_with_the_indicators_on_its_day(db):
    project = Project.current()
    years = durability.project_years(project)
    assert [(y.start, y.end) for y in years] == [
        (D(year, 1, 1), D(year, 12, 31)) for year in range(2014, 2019)
    ]
    for year in years:
        report = durability.connections_active(project, year)
        values = values_on(year.end)
        assert report.households == values["households_connected"], year
        assert report.units == values["units_connected"], year
        # On each 31 December a contract of the durability period covers the connections
        # and no outage of the demo is open then: the seven units count every year.
        assert report.units == 7, year
    # The demo's outages: two a year, three in 2018 (one unit's and two households').
    outages = [durability.connections_active(project, y).outages for y in years]
    assert outages == [2, 2, 2, 2, 3]


def test_equipment_counts_where_it_was_on_the_day(db, make_user):
    """A household's set returned in 2014 and placed in a unit's lab counts at the household
    on an earlier day and at the unit afterwards."""
    coordinator = make_user(roles.COORDINATOR)
    agreement = LoanAgreement.objects.filter(status="active").order_by("number").first()
    asset = agreement.items.get(asset__kind="computer_set").asset
    agreements.do_end_agreement(agreement, D(2014, 3, 3), "Rezygnacja (test).", actor=coordinator)
    agreements.do_record_return(agreement, [(asset, "good", "")], D(2014, 3, 5), actor=coordinator)
    equipment.do_place_in_unit(
        [asset], PublicUnit.objects.order_by("pk").first(), D(2014, 3, 10), actor=coordinator
    )
    before, between, after = (
        equipment_in_use(day) for day in (D(2014, 3, 1), D(2014, 3, 7), D(2014, 3, 11))
    )
    # Each household also has the provider's router, each unit one (82 routers in all).
    assert (before["households"], before["units"]) == (150, 92)
    assert (between["households"], between["units"], between["in_use"]) == (149, 92, 241)
    assert (after["households"], after["units"]) == (149, 93)
