"""The pure rules: overlaps, hours in a session, completion, age bands, hour formatting."""

import datetime
from decimal import Decimal

import pytest

from training import rules


def t(text):
    return datetime.time.fromisoformat(text)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("10:00", "11:30"), ("11:00", "12:00"), True),
        (("10:00", "11:30"), ("11:30", "13:00"), False),  # back to back
        (("10:00", "11:30"), ("09:00", "10:00"), False),
        (("10:00", "11:30"), ("10:15", "10:45"), True),  # inside
        (("10:00", "11:30"), ("09:00", "12:00"), True),  # around
    ],
)
def test_overlaps(a, b, expected):
    assert rules.overlaps(t(a[0]), t(a[1]), t(b[0]), t(b[1])) is expected
    assert rules.overlaps(t(b[0]), t(b[1]), t(a[0]), t(a[1])) is expected


def test_hours_a_session_can_count():
    assert rules.hours_in(t("15:00"), t("16:30"), "academic") == Decimal("2.00")
    assert rules.hours_in(t("15:00"), t("16:30"), "clock") == Decimal("1.50")


def test_completion_needs_the_share_of_the_planned_hours():
    planned = Decimal("12")
    assert rules.required_hours(planned, 80) == Decimal("9.60")
    assert rules.allowed_absence(planned, 80) == Decimal("2.40")
    assert rules.completed_classroom(Decimal("10"), planned, 80)
    assert not rules.completed_classroom(Decimal("9.5"), planned, 80)
    assert not rules.completed_classroom(Decimal("0"), Decimal("0"), 80)


def test_e_learning_completion_follows_the_progress():
    assert rules.completed_e_learning(Decimal("80"), 80)
    assert not rules.completed_e_learning(Decimal("79.99"), 80)
    assert not rules.completed_e_learning(None, 80)


def test_standing_tells_a_breach_from_an_excused_absence():
    excused = rules.Standing(Decimal("8"), Decimal("0"), Decimal("4"), Decimal("12"), 80)
    missed = rules.Standing(Decimal("8"), Decimal("4"), Decimal("0"), Decimal("12"), 80)
    assert not excused.completed and not excused.missed_too_much
    assert not missed.completed and missed.missed_too_much
    assert missed.share == 66


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-17"), (17, "0-17"), (18, "18-24"), (44, "25-44"), (64, "45-64"), (90, "65+")],
)
def test_age_bands(age, band):
    assert rules.age_band(age) == band


def test_hours_are_written_the_polish_way():
    assert rules.format_hours(Decimal("12.00")) == "12"
    assert rules.format_hours(Decimal("2.40")) == "2,4"
    assert rules.format_hours(Decimal("1.25")) == "1,25"
