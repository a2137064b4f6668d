"""The budget at a glance (issue 19): the eligible budget against what was spent, per task, as a
chart drawn by the core (`lebork_einclusion.charts`), with its data as a table beside it."""

from decimal import Decimal

from django.utils.translation import gettext as _

from lebork_einclusion import charts

THOUSAND = Decimal(1000)


def budget_per_task(standing: dict) -> charts.Chart:
    """Grouped bars, one group per task: its eligible budget and the eligible part of the
    documents recorded against it (`queries.budget_standing`'s "tasks"), in thousands of PLN
    (exact: a bar's value times 1000 is the amount to the grosz; the budget table above the
    chart has the amounts). The tasks' names are long: the axis numbers them ("Task 2") and the
    chart's table names them."""
    tasks = standing["tasks"]
    numbered = [_("Task %(number)s") % {"number": n} for n in range(1, len(tasks) + 1)]
    chart = charts.bar_chart(
        caption=_("Eligible budget against spent per task (thousand PLN)"),
        categories=numbered,
        series=[
            (_("eligible budget"), [row["eligible"] / THOUSAND for row in tasks]),
            (_("spent"), [row["spent"] / THOUSAND for row in tasks]),
        ],
        decimals=1,
    )
    for row, task in zip(chart.rows, tasks, strict=True):
        row[0] = f"{row[0]}: {task['task_label']}"
    return chart
