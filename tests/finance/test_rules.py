from decimal import Decimal

from finance import rules
from tests.finance.conftest import day


def test_the_split_of_85_and_15_percent_adds_up_to_the_eligible_amount():
    share = rules.split(Decimal("12300.01"), Decimal("85"), Decimal("15"))
    assert share.eu == Decimal("10455.01")
    assert share.state == Decimal("1845.00")
    assert share.eu + share.state == Decimal("12300.01")
    assert share.own == 0


def test_a_split_below_100_percent_leaves_the_town_its_own_contribution():
    share = rules.split(Decimal("1000"), Decimal("70"), Decimal("10"))
    assert (share.eu, share.state, share.own) == (Decimal("700.00"), Decimal("100.00"), 200)


def test_periods_sharing_a_day_overlap_and_adjacent_ones_do_not():
    assert rules.overlaps(
        day("2013-01-01"), day("2013-06-30"), day("2013-06-30"), day("2013-09-30")
    )
    assert not rules.overlaps(
        day("2013-01-01"), day("2013-06-30"), day("2013-07-01"), day("2013-09-30")
    )


def test_a_line_is_near_its_limit_from_90_percent():
    assert rules.near_limit(Decimal("90"), Decimal("100"))
    assert not rules.near_limit(Decimal("89.99"), Decimal("100"))
    assert not rules.near_limit(Decimal("0"), Decimal("0"))
