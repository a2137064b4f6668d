"""The personal-data access log: browse, filter, export (coordinator and auditor)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lebork_einclusion import roles
from lebork_einclusion.models import PersonalDataAccess


@pytest.fixture
def entries(make_user):
    alice = make_user(roles.COMMITTEE, username="alice-committee")
    bob = make_user(roles.ASSISTANT, username="bob-assistant")
    rows = [
        PersonalDataAccess.objects.create(
            user=alice,
            view_name="recruitment:application",
            object_type="core.publicunit",
            object_id="1",
            kinds="disability,pesel",
        ),
        PersonalDataAccess.objects.create(
            user=bob,
            view_name="lending:agreement_pdf",
            object_type="core.project",
            object_id="1",
            kinds="pesel",
        ),
    ]
    return alice, bob, rows


def test_the_auditor_sees_who_viewed_what(client, make_user, entries):
    alice, _bob, _rows = entries
    client.force_login(make_user(roles.AUDITOR))
    response = client.get(reverse("core:personal_data_log"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "recruitment:application" in text
    assert alice.get_full_name() in text


def test_it_filters_by_user_and_record_type(coordinator_client, entries):
    alice, bob, _rows = entries
    response = coordinator_client.get(reverse("core:personal_data_log"), {"user": alice.pk})
    assert [r["entry"].user for r in response.context["rows"]] == [alice]
    response = coordinator_client.get(
        reverse("core:personal_data_log"), {"object_type": "core.project"}
    )
    assert [r["entry"].user for r in response.context["rows"]] == [bob]


def test_it_filters_by_date_range(coordinator_client, entries):
    today = timezone.localdate()
    response = coordinator_client.get(
        reverse("core:personal_data_log"),
        {
            "date_from": (today - datetime.timedelta(days=3)).isoformat(),
            "date_to": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.context["rows"] == []
    response = coordinator_client.get(
        reverse("core:personal_data_log"),
        {"date_from": today.isoformat(), "date_to": today.isoformat()},
    )
    assert len(response.context["rows"]) == 2


def test_a_reversed_date_range_is_explained(coordinator_client, entries):
    today = timezone.localdate()
    response = coordinator_client.get(
        reverse("core:personal_data_log"),
        {
            "date_from": today.isoformat(),
            "date_to": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.context["form"].errors["date_to"]
    assert response.context["rows"] == []


def test_the_export_is_an_xlsx_of_the_filtered_rows(coordinator_client, entries):
    alice, _bob, _rows = entries
    response = coordinator_client.get(reverse("core:personal_data_log_export"), {"user": alice.pk})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + alice's entry
    assert rows[1][2] == alice.username
    assert rows[1][3] == "recruitment:application"


def test_the_list_uses_a_constant_number_of_queries(
    coordinator_client, make_user, django_assert_max_num_queries
):
    user = make_user(roles.COMMITTEE)
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(user=user, view_name="x", object_type="core.project", kinds="pesel")
        for _ in range(120)
    )
    with django_assert_max_num_queries(14):
        response = coordinator_client.get(reverse("core:personal_data_log"))
    assert response.status_code == 200
