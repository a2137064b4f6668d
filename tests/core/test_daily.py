"""The daily job: every app's tasks in the layers' order, a failing task reported without
stopping the others, and the command's report."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from lebork_einclusion import daily


@pytest.fixture
def registered(monkeypatch):
    daily.tasks()  # the apps' tasks are discovered once, into the real registry
    tasks = dict(daily._TASKS)
    monkeypatch.setattr(daily, "_TASKS", tasks)
    return tasks


def test_monitoring_catches_up_the_visit_plans_every_day():
    names = [task.name for task in daily.tasks()]
    assert "sync_visit_plans" in names
    apps = [task.app for task in daily.tasks()]
    assert apps == sorted(
        apps,
        key=[
            "lebork_einclusion",
            "recruitment",
            "procurement",
            "lending",
            "training",
            "monitoring",
        ].index,
    )


@pytest.mark.django_db
def test_a_failing_task_is_reported_and_the_others_still_run(registered):
    ran = []

    @daily.daily_task("zz_broken")
    def broken(day):
        raise RuntimeError("boom")

    @daily.daily_task("zz_fine")
    def fine(day):
        ran.append(day)
        return "done"

    outcomes = {o.task: o for o in daily.run_daily(datetime.date(2014, 3, 30))}
    assert outcomes["zz_broken"].failed
    assert outcomes["zz_fine"].report == "done" and not outcomes["zz_fine"].failed
    assert ran == [datetime.date(2014, 3, 30)]


def test_two_tasks_cannot_share_a_name(registered):
    @daily.daily_task("zz_same")
    def one(day):
        return ""

    with pytest.raises(ValueError):

        @daily.daily_task("zz_same")
        def other(day):
            return ""


@pytest.mark.django_db
def test_the_command_reports_each_task_and_refuses_an_unknown_one(capsys):
    call_command("run_daily", only=["sync_visit_plans"])
    out = capsys.readouterr().out
    assert "sync_visit_plans:" in out and "visits planned" in out
    with pytest.raises(CommandError, match="unknown task"):
        call_command("run_daily", only=["no_such_task"])


@pytest.mark.django_db
def test_the_daily_job_is_idempotent(capsys):
    call_command("run_daily")
    capsys.readouterr()
    call_command("run_daily")
    second = capsys.readouterr().out
    assert "0 visits planned for 0 households, 0 cancelled" in second
