"""Lending's daily tasks: returns planned for agreements past their end (never ended silently),
what awaits the coordinator's decision and the notes due back; idempotent."""

import datetime

import pytest
from django.core.management import call_command

from lending import daily
from lending.models import LoanAgreement, LoanItem
from lending.services import agreements
from tests import helpers

D = datetime.date


def state():
    return helpers.snapshot(
        (LoanAgreement, "pk", "status", "ends_on", "ended_on", "version"),
        (LoanItem, "pk", "return_due_on", "returned_on"),
    )


def test_returns_are_planned_for_agreements_past_their_end_and_nothing_is_ended(db):
    # The demo: every agreement was extended to 31.12.2018 and none decided at its end.
    assert daily.agreements_past_their_end(D(2018, 6, 30)).startswith(
        "0 returns planned; 0 agreements past their end not ended"
    )
    assert "75 ending within 90 days without a decision" in daily.agreements_past_their_end(
        D(2018, 10, 2)
    )
    day = D(2019, 1, 10)
    report = daily.agreements_past_their_end(day)
    assert report.startswith("75 returns planned; 75 agreements past their end not ended")
    assert "75 of them past the durability end without a transfer or return" in report
    undecided = LoanAgreement.objects.filter(status="active")
    assert undecided.count() == 75  # none ended by the job
    due = {item.return_due_on for item in LoanItem.objects.filter(agreement__in=undecided)}
    assert due == {D(2018, 12, 31) + datetime.timedelta(days=14)}


def test_a_return_is_due_14_days_after_the_extended_end(agreement, coordinator):
    daily.agreements_past_their_end(D(2016, 6, 30))  # nothing is past its end then
    item = agreement.items.get()
    assert item.return_due_on is None
    daily.agreements_past_their_end(D(2019, 1, 10))
    item.refresh_from_db()
    assert item.return_due_on == D(2019, 1, 14)


def test_the_daily_tasks_are_idempotent(db):
    day = D(2019, 1, 10)
    first = daily.agreements_past_their_end(day)
    after_first = state()
    second = daily.agreements_past_their_end(day)
    assert state() == after_first
    assert first.startswith("75 returns planned")
    assert second.startswith("0 returns planned")
    assert "75 of them past the durability end" in second
    assert daily.notes_due_back(day) == daily.notes_due_back(day)


def test_the_notes_due_back_are_counted(agreement, coordinator):
    before = int(daily.notes_due_back(D(2016, 1, 1)).split()[0])
    agreements.do_end_agreement(agreement, D(2015, 12, 1), "Koniec okresu.", actor=coordinator)
    asset = agreement.items.get().asset
    agreements.do_record_return(agreement, [(asset, "worn", "")], D(2015, 12, 2), actor=coordinator)
    assert daily.notes_due_back(D(2016, 1, 1)) == (
        f"{before + 1} promissory notes to return or destroy"
    )


@pytest.mark.django_db
def test_run_daily_runs_lending_s_tasks_twice_without_changes(capsys):
    call_command("run_daily", only=["lending_agreements_past_their_end", "lending_notes_due_back"])
    after_first = state()
    out = capsys.readouterr().out
    assert "lending_agreements_past_their_end:" in out and "lending_notes_due_back:" in out
    call_command("run_daily", only=["lending_agreements_past_their_end", "lending_notes_due_back"])
    assert state() == after_first
    assert "0 returns planned" in capsys.readouterr().out
