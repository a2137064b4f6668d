"""The indicators as they stood (issue 14 item 5), on the demo through the durability period:
end dates, the providers' contracts (procurement's demo: 12.12.2012-31.12.2013, then
01.01.2014-31.12.2016 and 01.01.2017-31.12.2018, the connections moved onto each on its first
day) and the outages (lending's demo) decide what counted on a day; the durability report of
each year agrees with the indicators on its day."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from lebork_einclusion.models import Project
from lending import demo as lending_demo
from lending import queries
from lending.models import Asset, LoanAgreement, ParticipationEnd, PromissoryNote
from monitoring import durability
from monitoring.indicators import equipment_in_use, live_indicators
from monitoring.models import MonitoringVisit, PlannedVisit

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
        # The agreements, extended by their annexes to 31.12.2018, are in force to the end of
        # the period (the closure is dated 02.01.2019): the 75 households count every year,
        # the household excluded in 2014 replaced from the reserve list within weeks.
        assert report.households == 75, year
    # The demo's outages: two a year (lending's list), plus in 2016 the one the visit found
    # (monitoring's demo) and in 2016 and 2018 one unit's.
    outages = [durability.connections_active(project, y).outages for y in years]
    assert outages == [2, 2, 3, 2, 3]


def test_each_years_visits_as_the_rule_planned_them(db):
    """One visit a year per household (monitoring's demo). 2014: the 75 households and the one
    promoted from the reserve list after the exclusion (its first visit four months after its
    handover): 76 planned and made. 2015-2017: 75 (74 of the main list and the promoted one);
    the excluded household's visit of each year cancelled. 2018: one household not at home at
    two tries: 74 made, 2 not made, its visit still planned."""
    project = Project.current()
    figures = [
        (v.planned, v.planned_done, v.made, v.not_made, v.cancelled)
        for v in (durability.visits_made(project, y) for y in durability.project_years(project))
    ]
    assert figures == [
        (76, 76, 76, 0, 0),
        (75, 75, 75, 0, 1),
        (75, 75, 75, 0, 1),
        (75, 75, 75, 0, 1),
        (75, 74, 74, 2, 1),
    ]
    places = durability.places_kept_filled(project, durability.project_years(project)[0])
    assert (places.replacements, places.vacancies) == (1, 0)


def test_on_the_demo_day_one_visit_is_overdue(db):
    """02.01.2019: every visit the plan made was done but the one of the household not
    reached in 2018 (the overdue list of the demo day)."""
    overdue = PlannedVisit.objects.filter(
        status=PlannedVisit.Status.PLANNED, due_on__lt=D(2019, 1, 2)
    )
    assert overdue.count() == 1
    assert (
        MonitoringVisit.objects.filter(
            participant=overdue.get().participant, outcome=MonitoringVisit.Outcome.NOBODY_HOME
        )
        .filter(visited_at__year=2018)
        .count()
        == 2
    )


@pytest.mark.parametrize(
    ("day", "in_force"),
    [(D(2013, 6, 30), 75), (D(2016, 6, 30), 75), (D(2018, 12, 31), 75), (D(2019, 6, 30), 0)],
)
def test_agreements_in_force_as_they_stood(db, day, in_force):
    assert queries.agreements_in_force_on(day).count() == in_force


@pytest.fixture
def closed(db):
    """The demo's closure (lending's demo, run by monitoring's at a demo day from 02.01.2019;
    the test database's demo stands on 31.12.2018), made here at the real today."""
    coordinator = get_user_model().objects.get(username="koordynator")
    assert lending_demo.close_durability(coordinator) == (68, 7)


def test_the_closure_transfers_most_and_takes_back_every_tenth(closed):
    """02.01.2019: 68 agreements handed over for ownership, 7 (every tenth) ended with the
    equipment back in January 2019; every note returned or (8 not collected: the fifth of every
    ten, 5th to 75th) destroyed."""
    statuses = LoanAgreement.objects.filter(ended_on=D(2019, 1, 2)).values_list("status", flat=True)
    assert list(statuses).count(LoanAgreement.Status.TRANSFERRED) == 68
    assert len(statuses) == 75
    assert not LoanAgreement.objects.filter(status=LoanAgreement.Status.ACTIVE).exists()
    assert not PromissoryNote.objects.filter(status=PromissoryNote.Status.IN_CUSTODY).exists()
    assert PromissoryNote.objects.filter(status=PromissoryNote.Status.DESTROYED).count() == 8
    assert Asset.objects.filter(status=Asset.Status.TRANSFERRED).count() == 136  # sets + routers


def test_equipment_counts_where_it_was_on_the_day(closed):
    """The demo's own history: the set and the router of the household excluded in 2014 come
    back and go to the household promoted from the reserve list; at the closure 68 households'
    equipment leaves the register (handed over for ownership: no longer in use) and the 7
    households returning theirs hold it until their return days (4, 8 and 10 January 2019).
    Each household has its set and the provider's router (150 assets), the labs 85 sets and 7
    routers (92)."""
    end = ParticipationEnd.objects.get(kind=ParticipationEnd.Kind.EXCLUSION)
    returned = end.agreement.items.get(asset__kind="computer_set").returned_on
    handed_over = end.promoted.agreements.get().handed_over_on
    before, between, after = (
        equipment_in_use(day)
        for day in (returned - datetime.timedelta(days=1), returned, handed_over)
    )
    assert (before["households"], before["units"]) == (150, 92)
    assert (between["households"], between["units"], between["in_use"]) == (148, 92, 240)
    assert (after["households"], after["units"]) == (150, 92)
    closure = [equipment_in_use(day)["households"] for day in (D(2018, 12, 31), D(2019, 1, 2))]
    assert closure == [150, 14]
    assert equipment_in_use(D(2019, 1, 10))["households"] == 0
    assert equipment_in_use(D(2019, 1, 10))["units"] == 92
