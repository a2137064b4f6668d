"""The group's attendance at a glance: a heat map of present, absent and excused per session on
the group's page, read back from its SVG."""

import xml.etree.ElementTree as ET

from django.urls import reverse

from training.glance import attendance_heat_map
from training.models import Attendance

from .conftest import mark_all

SVG = "{http://www.w3.org/2000/svg}"


def cells(chart) -> dict:
    svg = ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)
    return {
        (rect.get("data-row"), rect.get("data-column")): rect.get("data-value")
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("data-row")
    }


def test_the_heat_map_counts_each_mark_per_session(group, trainees, sessions, coordinator):
    mark_all(
        sessions[0],
        trainees,
        coordinator,
        marks={
            trainees[1]: (Attendance.Status.ABSENT, ""),
            trainees[2]: (Attendance.Status.EXCUSED, "choroba"),
        },
    )
    mark_all(sessions[1], trainees, coordinator)
    found = cells(attendance_heat_map(group, sessions))
    assert found[("obecny", "1. 05.03")] == "1"
    assert found[("nieobecny", "1. 05.03")] == "1"
    assert found[("usprawiedliwiony", "1. 05.03")] == "1"
    assert found[("obecny", "2. 12.03")] == "3"
    assert found[("nieobecny", "2. 12.03")] == "0"
    # The third session is not marked yet: a gap, not zeros.
    assert found[("obecny", "3. 19.03")] is None


def test_the_group_page_shows_the_chart_and_its_table(
    assistant_client, group, trainees, sessions, coordinator
):
    mark_all(sessions[0], trainees, coordinator)
    html = assistant_client.get(reverse("training:group_detail", args=[group.pk])).content.decode()
    assert 'role="img"' in html
    assert "Obecność" in html and "chart-table" in html


def test_a_group_without_sessions_has_an_empty_chart_with_a_sentence(assistant_client, group):
    html = assistant_client.get(reverse("training:group_detail", args=[group.pk])).content.decode()
    assert "Brak danych" in html
    assert "chart-table" not in html
