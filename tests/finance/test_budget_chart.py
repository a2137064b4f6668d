"""The budget page draws the eligible budget against what was spent, per task (issue 19): the
SVG's bars and the table beside it hold the figures of `finance.queries.budget_standing`."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.urls import reverse

from finance import queries
from finance.services import expenditures as expenditure_services
from tests.finance.conftest import invoice_data

SVG = "{http://www.w3.org/2000/svg}"


def _chart_of(page: str):
    """The chart's SVG (parsed) and the rows of its data table, from the budget page."""
    [svg] = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', page, re.S)
    [table] = re.findall(r'<table class="table table-sm chart-table">.*?</table>', page, re.S)
    rows = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", tr)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    ]
    return ET.fromstring(svg), rows  # noqa: S314 (our own output)


def _bars(svg) -> dict:
    return {
        (rect.get("data-category"), rect.get("data-series")): Decimal(rect.get("data-value"))
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("data-series")
    }


def _amount(text: str) -> Decimal:
    """A Polish amount as the table writes it ("1 234 567,89") as a Decimal."""
    return Decimal(re.sub(r"\s", "", text).replace(",", "."))


def _near(shown: str, amount: Decimal) -> bool:
    """The table's figure (thousands of PLN, one decimal) is the amount, rounded."""
    return abs(_amount(shown) - amount / 1000) <= Decimal("0.05")


def _assert_chart_is_the_standing(page, agreement):
    """Each task's bars are its eligible budget and its spent amount, in thousands of PLN and
    exact (times 1000: to the grosz); its table row names the task and rounds them."""
    svg, rows = _chart_of(page)
    tasks = queries.budget_standing(agreement)["tasks"]
    bars = _bars(svg)
    assert len(rows) == len(tasks)
    for number, (task, row) in enumerate(zip(tasks, rows, strict=True), start=1):
        category = f"Zadanie {number}"
        assert bars[(category, "budżet kwalifikowalny")] * 1000 == task["eligible"]
        assert bars.get((category, "wydano"), Decimal(0)) * 1000 == task["spent"]
        assert row[0] == f"{category}: {task['task_label']}"
        assert _near(row[1], task["eligible"]) and _near(row[2], task["spent"])
    return svg, rows


def test_the_budget_page_draws_budget_against_spent_per_task(officer_client, agreement):
    page = officer_client.get(reverse("finance:budget")).content.decode()
    svg, rows = _assert_chart_is_the_standing(page, agreement)
    assert "Budżet kwalifikowalny a wydatki według zadań (tys. zł)" in page  # the caption
    assert svg.get("role") == "img" and "wydano:" in svg.get("aria-label")
    assert any("," in row[1] for row in rows)  # Polish decimal comma
    # The demo spent something on the equipment task: its bar is drawn.
    assert any(task["spent"] for task in queries.budget_standing(agreement)["tasks"])


def test_a_new_invoice_raises_the_spent_bar_of_its_task(
    officer_client, officer, agreement, equipment_contract, equipment_line
):
    before = {t["task"]: t["spent"] for t in queries.budget_standing(agreement)["tasks"]}
    expenditure_services.do_save_expenditure(
        None, invoice_data(equipment_contract, equipment_line), actor=officer
    )
    page = officer_client.get(reverse("finance:budget")).content.decode()
    svg, _rows = _assert_chart_is_the_standing(page, agreement)
    assert _bars(svg)[("Zadanie 2", "wydano")] * 1000 == before["equipment"] + Decimal("12300.00")
