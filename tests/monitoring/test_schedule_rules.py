"""The labs' hours as plain data: what `slot_problems` refuses and what the weekly hours make."""

import datetime

from monitoring.schedules import Slot, by_day, slot_problems, total_hours, weekly_slots

D, T = datetime.date, datetime.time
MARCH = D(2013, 3, 1)


def test_slots_of_one_day_that_only_touch_are_fine():
    slots = [Slot(D(2013, 3, 5), T(10), T(12)), Slot(D(2013, 3, 5), T(12), T(14))]
    assert slot_problems(MARCH, slots) == {}


def test_an_overlap_is_reported_on_the_later_row_naming_the_other():
    slots = [Slot(D(2013, 3, 5), T(14), T(16)), Slot(D(2013, 3, 5), T(15), T(17))]
    assert slot_problems(MARCH, slots) == {
        1: "Godziny 15:00–17:00 nachodzą na 14:00–16:00 w dniu 05.03.2013."
    }


def test_a_slot_inside_a_long_one_is_an_overlap_even_after_a_short_one():
    slots = [
        Slot(D(2013, 3, 5), T(10), T(16)),
        Slot(D(2013, 3, 5), T(11), T(12)),
        Slot(D(2013, 3, 5), T(13), T(14)),
    ]
    assert set(slot_problems(MARCH, slots)) == {1, 2}


def test_the_same_hours_on_different_days_do_not_overlap():
    slots = [Slot(D(2013, 3, 5), T(14), T(16)), Slot(D(2013, 3, 6), T(14), T(16))]
    assert slot_problems(MARCH, slots) == {}


def test_a_day_outside_the_month_is_refused():
    problems = slot_problems(MARCH, [Slot(D(2013, 4, 1), T(14), T(16))])
    assert problems == {0: "01.04.2013 nie należy do miesiąca: marzec 2013."}


def test_closing_before_opening_is_refused():
    problems = slot_problems(MARCH, [Slot(D(2013, 3, 5), T(16), T(14))])
    assert problems == {0: "Sala musi zostać zamknięta po otwarciu (16:00–14:00)."}


def test_weekly_hours_fall_on_the_weekdays_except_the_skipped_days():
    slots = weekly_slots(MARCH, [1, 3], T(14), T(16), skip=[D(2013, 3, 28)])
    days = [s.day.day for s in slots]
    assert days == [5, 7, 12, 14, 19, 21, 26]
    assert total_hours(slots) == 14


def test_weekly_hours_start_on_the_first_day_given():
    slots = weekly_slots(D(2013, 1, 1), [1], T(14), T(16), from_day=D(2013, 1, 15))
    assert [s.day for s in slots] == [D(2013, 1, 15), D(2013, 1, 22), D(2013, 1, 29)]


def test_by_day_groups_and_orders_the_slots():
    slots = [
        Slot(D(2013, 3, 6), T(15), T(17)),
        Slot(D(2013, 3, 6), T(13), T(14)),
        Slot(D(2013, 3, 5), T(10), T(11)),
    ]
    grouped = by_day(slots)
    assert [day for day, _ in grouped] == [D(2013, 3, 5), D(2013, 3, 6)]
    assert [s.starts_at for s in grouped[1][1]] == [T(13), T(15)]
