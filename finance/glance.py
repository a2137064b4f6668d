"""The budget at a glance (issue 19): the eligible budget against what was spent, per task, as a
chart drawn by the core (`lebork_einclusion.charts`), with its data as a table beside it."""

from django.utils.translation import gettext as _

from lebork_einclusion import charts


def budget_per_task(standing: dict) -> charts.Chart:
    """Grouped bars, one group per task: its eligible budget and the eligible part of the
    documents recorded against it (`queries.budget_standing`'s "tasks"), in PLN."""
    tasks = standing["tasks"]
    return charts.bar_chart(
        caption=_("Eligible budget against spent per task (PLN)"),
        categories=[row["task_label"] for row in tasks],
        series=[
            (_("eligible budget"), [row["eligible"] for row in tasks]),
            (_("spent"), [row["spent"] for row in tasks]),
        ],
        decimals=2,
    )
