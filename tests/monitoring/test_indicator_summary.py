"""The indicators' summary (monitoring/indicator_summary.py) gives exactly the figures the rules
give when counted from the records (lending.queries' *_per_day, the visits' VISIT_SPANS): on the
demo, on the demo made untidy, on generated households, and right after changes made through the
services in the same transaction (the triggers note them, the next count folds them in)."""

import datetime
import random

import pgtrigger
import pytest
from django.db.models import CharField
from django.db.models.functions import Cast

from lebork_einclusion import clock
from lending import queries
from lending import services as lending_services
from lending.models import Asset, Connection, Participant
from monitoring import indicator_summary, indicators
from monitoring.models import IndicatorChange, IndicatorPart, IndicatorStep, PlannedVisit
from recruitment.models import Application, RankingEntry, RankingVersion
from recruitment.services import do_promote_from_reserve
from recruitment.services.applications import do_withdraw_application
from tests import factories
from tests.monitoring.test_indicator_spans import DAYS, untidy

D = datetime.date
MONTH_ENDS = [D(year, month, 28) for year in range(2012, 2020) for month in (1, 4, 7, 10)]


def from_the_rules(days):
    return {
        "participants": queries.participants_per_day(days),
        "households_connected": queries.households_connected_per_day(days),
        "units_connected": queries.units_connected_per_day(days),
        "equipment": queries.equipment_per_day(days),
        "visits": indicators._visits_on_days(days),
        "applications_received": indicators.applications_received_on_days(days),
        "lists": indicators.lists_on_days(days),
    }


def from_the_summary(days):
    got = {
        code: [row["spans"] for row in indicator_summary.count(code, days)]
        for code in ("participants", "households_connected", "units_connected")
    }
    got["equipment"] = indicator_summary.count("equipment", days)
    got["visits"] = indicators._visits_counted(days)
    got["applications_received"] = [
        row["spans"] for row in indicator_summary.count("applications_received", days)
    ]
    got["lists"] = indicator_summary.count("lists", days)
    return got


def assert_same(days):
    expected = from_the_rules(days)
    assert from_the_summary(days) == expected
    return expected


def test_the_summary_counts_the_demo_as_the_rules_do(db):
    figures = assert_same(DAYS + MONTH_ENDS)
    assert max(figures["participants"]) > 0 and max(figures["equipment"][0].values()) > 0
    assert max(figures["applications_received"]) == 79
    assert figures["lists"][-1] == {"main": 75, "ranked": 76}
    # Everything noted was folded in: the next count reads the steps alone.
    assert not IndicatorChange.objects.exists()
    assert IndicatorStep.objects.filter(figure="visits").exists()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_summary_follows_untidy_changes_made_behind_the_services(db, seed):
    before = assert_same(DAYS)  # folded: the changes below are folded into it
    untidy(seed)  # creates, bulk updates and deletes, straight in the tables
    untidy_applications(seed)
    untidy_lists(seed)
    after = assert_same(DAYS)
    assert after != before
    assert after["applications_received"] != before["applications_received"]
    assert after["lists"] != before["lists"]


def untidy_lists(seed: int):
    """Entries moved between the lists, a version decided on another day, a new version of the
    lists decided (a copy of the latest, five moved to the reserve), then deleted: straight in the tables (the
    approved lists are frozen by their own triggers, set aside here: the summary's must follow
    whatever happens)."""
    with pgtrigger.ignore():
        _untidy_lists(seed)


def _untidy_lists(seed: int):
    rng = random.Random(seed)
    versions = list(RankingVersion.objects.order_by("call_id", "number"))
    entries = list(RankingEntry.objects.order_by("pk").values_list("pk", flat=True))
    RankingEntry.objects.filter(pk__in=rng.sample(entries, 8)).update(status="reserve")
    RankingEntry.objects.filter(pk__in=rng.sample(entries, 3)).update(status="ineligible")
    second = versions[1]
    RankingVersion.objects.filter(pk=second.pk).update(
        decided_on=second.decided_on + datetime.timedelta(days=rng.randrange(-100, 400))
    )
    latest = versions[-1]
    copy = RankingVersion.objects.get(pk=latest.pk)
    copy.pk, copy.number, copy.decided_on = None, latest.number + 1, D(2015, 5, 5 + seed)
    copy.save()
    copied = list(RankingEntry.objects.filter(version=latest).order_by("pk"))
    for entry in copied:
        entry.pk, entry.version = None, copy
    RankingEntry.objects.bulk_create(copied)
    RankingEntry.objects.filter(
        pk__in=RankingEntry.objects.filter(version=copy, status="main").values("pk")[:5]
    ).update(status="reserve")
    with_copy = assert_same([*DAYS, D(2015, 6, 1)])["lists"]
    # The copy deleted again (its entries first): the latest before it holds on once more.
    RankingEntry.objects.filter(version=copy).delete()
    RankingVersion.objects.filter(pk=copy.pk).delete()
    assert assert_same([*DAYS, D(2015, 6, 1)])["lists"] != with_copy


def untidy_applications(seed: int):
    """Applications received on other days, withdrawn, withdrawn no more, added and deleted,
    straight in the table (bulk statements: the triggers note them by statement)."""
    rng = random.Random(seed)
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
    for pk in rng.sample(ids, 10):
        moved = D(2012, 8, 1) + datetime.timedelta(days=rng.randrange(0, 60))
        Application.objects.filter(pk=pk).update(received_on=moved)
    withdrawn = rng.sample(ids, 6)
    Application.objects.filter(pk__in=withdrawn).update(withdrawn_at=clock.now())
    Application.objects.filter(pk__in=withdrawn[:2]).update(withdrawn_at=None)
    # A withdrawn one whose day also moves: still out of the figure.
    Application.objects.filter(pk=withdrawn[-1]).update(received_on=D(2012, 8, 2))
    # A change that does not move the figure is not noted.
    assert_same(DAYS)
    assert not IndicatorChange.objects.filter(figure="applications_received").exists()
    Application.objects.filter(pk__in=ids[:20]).update(phone="600100200")
    assert not IndicatorChange.objects.filter(figure="applications_received").exists()
    template = Application.objects.get(pk=ids[0])
    added = []
    for k in range(3):
        template.pk, template.number, template.sequence = None, f"X/{seed}/{k}", 90_000 + k
        template.received_on, template.withdrawn_at = D(2012, 9, 1 + k), None
        template.save()
        added.append(template.pk)
    Application.objects.filter(pk=added[0]).delete()


def test_the_summary_counts_generated_households_as_the_rules_do(db):
    assert_same(DAYS)
    factories.add_households(160, visits=None)  # bulk inserts, noted by statement
    figures = assert_same(DAYS + MONTH_ENDS)
    assert max(figures["participants"]) > 150


def test_applications_generated_and_withdrawn_through_the_service_count_at_once(db, make_user):
    coordinator = make_user("coordinator")
    before = assert_same(DAYS + MONTH_ENDS)
    call = factories.add_households(40, visits=None)
    added = assert_same(DAYS + MONTH_ENDS)
    assert max(added["applications_received"]) == max(before["applications_received"]) + 40
    application = Application.objects.filter(call=call).order_by("pk").first()
    do_withdraw_application(application, "Zarejestrowany dwukrotnie.", actor=coordinator)
    assert IndicatorChange.objects.filter(
        figure="applications_received", subject=application.pk
    ).exists()
    after = assert_same(DAYS + MONTH_ENDS)
    assert max(after["applications_received"]) == max(added["applications_received"]) - 1
    live = {i.code: i.value for i in indicators.live_indicators(indicators.Project.current())}
    assert live["applications_received"] == max(after["applications_received"])


def test_a_place_freed_on_the_lists_through_the_service_counts_at_once(db, make_user):
    coordinator = make_user("coordinator")
    today = clock.today()
    before = assert_same([*DAYS, today])
    leaving = (
        RankingEntry.objects.filter(
            version=RankingVersion.objects.order_by("-number").first(), status="main"
        )
        .order_by("pk")
        .first()
        .application
    )
    do_promote_from_reserve(leaving, "Rezygnacja.", actor=coordinator, decided_on=today)
    assert IndicatorChange.objects.filter(figure="lists").exists()
    after = assert_same([*DAYS, today])
    assert after["lists"][:-1] == before["lists"][:-1]
    # The reserve's first took the place: one fewer ranked, the main list as full.
    assert after["lists"][-1] == {"main": 75, "ranked": 75}
    live = {i.code: i.value for i in indicators.live_indicators(indicators.Project.current())}
    assert (live["main_list_households"], live["applications_ranked"]) == (75, 75)


def test_changes_through_the_services_count_at_once_in_the_same_transaction(db, make_user):
    coordinator = make_user("coordinator")
    today = clock.today()
    before = assert_same([today])
    # A lab's computer set taken back to stock, an outage of a unit's connection, a household
    # leaving (its planned visits cancelled): each noted in this transaction, nothing counted.
    asset = Asset.objects.filter(status="at_unit").order_by("serial_number").first()
    lending_services.do_return_from_unit(asset, today, actor=coordinator)
    unit_connection = Connection.objects.filter(public_unit=asset.public_unit_id).first()
    if unit_connection is None:
        unit_connection = Connection.objects.exclude(public_unit=None).first()
    lending_services.do_report_outage(unit_connection, today, "Awaria łącza.", actor=coordinator)
    leaving = Participant.objects.active().filter(planned_visits__status="planned").first()
    lending_services.do_end_participation(
        leaving, "resignation", today, "Przeprowadzka", statement_on=today, actor=coordinator
    )
    assert PlannedVisit.objects.filter(participant=leaving, status="cancelled").exists()
    noted = set(IndicatorChange.objects.values_list("figure", flat=True))
    assert {"equipment", "units_connected", "participants", "visits"} <= noted
    parts = IndicatorPart.objects.count()
    after = assert_same([today])
    assert after["equipment"][0]["in_use"] == before["equipment"][0]["in_use"] - 1
    assert after != before
    assert IndicatorPart.objects.count() != parts
    # And the figures of live_indicators are the summary's.
    live = {i.code: i.value for i in indicators.live_indicators(indicators.Project.current())}
    assert live["participants"] == after["participants"][0]
    assert live["visits_made"] == after["visits"][0]["done"]


def test_a_rebuild_gives_the_steps_the_folds_gave(db):
    untidy(4)
    assert_same(DAYS)

    def steps():  # the day as text: '-infinity' is no Python date
        days = IndicatorStep.objects.exclude(n=0).annotate(on=Cast("day", CharField()))
        return set(days.values_list("figure", "k", "on", "n"))

    folded = steps()
    indicator_summary.rebuild()
    assert steps() == folded and folded
    assert_same(DAYS)
