"""The daily job: `manage.py run_daily` runs every app's daily tasks on the office's today.

An app declares a task in its own `daily.py` module:

    @daily_task("plan_visits")
    def plan_visits(day: datetime.date) -> str:
        ...                       # idempotent: a second run on the same day changes nothing
        return "3 visits planned"  # one line for the report (no personal data)

Tasks run in the layers' order (the core first, monitoring last, as `PROJECT_APPS` lists them),
each in its own transaction, so a task that fails is reported and the others still run. The job
is run by a systemd timer in deploy (`deploy/systemd/einclusion-daily.*`) and by `make run` at
start. Every task must be idempotent: the timer may fire twice, an office may run it by hand.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from . import clock

logger = logging.getLogger(__name__)

_TASKS: dict[str, "DailyTask"] = {}


@dataclass(frozen=True)
class DailyTask:
    name: str
    app: str
    function: Callable[[datetime.date], str]


@dataclass(frozen=True)
class Outcome:
    task: str
    report: str
    failed: bool = False


def daily_task(name: str):
    """Register `function(day) -> str` as the daily task `name` of the app that declares it."""

    def register(function):
        app = function.__module__.split(".")[0]
        if name in _TASKS and _TASKS[name].function.__qualname__ != function.__qualname__:
            raise ValueError(f"two daily tasks are named {name!r}")
        _TASKS[name] = DailyTask(name, app, function)
        return function

    return register


def tasks() -> list[DailyTask]:
    """Every registered task, in the layers' order (then by name within an app)."""
    autodiscover_modules("daily")
    order = {app: index for index, app in enumerate(settings.PROJECT_APPS)}
    return sorted(_TASKS.values(), key=lambda t: (order.get(t.app, len(order)), t.name))


def run_daily(day: datetime.date | None = None, *, only: list[str] | None = None) -> list[Outcome]:
    """Run the daily tasks for `day` (the office's today by default) and say what each did."""
    day = day or clock.today()
    outcomes = []
    for task in tasks():
        if only and task.name not in only:
            continue
        try:
            with transaction.atomic():
                report = task.function(day)
        except Exception:  # one task's failure must not stop the others: it is reported
            logger.exception("daily task %s failed", task.name)
            outcomes.append(Outcome(task.name, "failed (see the log)", failed=True))
        else:
            outcomes.append(Outcome(task.name, report))
    return outcomes
