import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.urls import reverse
from pghistory.models import Events

from lebork_einclusion.models import Project, PublicUnit
from tests.core.test_project_edit import form_data


def test_a_change_through_a_page_records_who_made_it(coordinator_client):
    project = Project.current()
    coordinator_client.post(reverse("core:project_edit"), form_data(project, measure="audited"))
    event = Events.objects.tracks(project).order_by("-pgh_created_at").first()
    assert event.pgh_label == "update"
    assert event.pgh_diff["measure"][1] == "audited"
    assert event.pgh_context["user"] == coordinator_client.user.pk


def test_bulk_updates_and_deletes_are_recorded_too(db):
    # A unit nothing refers to: the demo's units have labs, schedules and equipment (PROTECT).
    PublicUnit.objects.create(
        name="Jednostka do usunięcia",
        short_name="DEL",
        kind="welfare",
        street="x",
        postal_code="84-300",
    )
    before = Events.objects.filter(pgh_obj_model="core.PublicUnit").count()
    PublicUnit.objects.update(phone="59 000 00 00")
    PublicUnit.objects.filter(short_name="DEL").delete()
    labels = list(
        Events.objects.filter(pgh_obj_model="core.PublicUnit")
        .order_by("pgh_created_at")
        .values_list("pgh_label", flat=True)
    )
    assert len(labels) == before + 8 + 1
    assert labels[-1] == "delete"


def test_history_rows_cannot_be_altered(db):
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_projectevent SET name = 'forged'")


def test_the_audit_log_filters_by_record_type_and_user(coordinator_client):
    project = Project.current()
    coordinator_client.post(reverse("core:project_edit"), form_data(project, measure="filtered"))
    response = coordinator_client.get(
        reverse("core:audit_log"), {"model": "core.Project", "user": coordinator_client.user.pk}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "filtered" in content
    assert coordinator_client.user.get_full_name() in content
    response = coordinator_client.get(reverse("core:audit_log"), {"model": "core.PublicUnit"})
    assert "filtered" not in response.content.decode()


def test_the_audit_log_uses_a_constant_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    # The demo's 8 000+ changes are counted up to paging.COUNT_LIMIT, then estimated (EXPLAIN);
    # the page is two queries (the page's keys from each event table, then its events).
    with django_assert_max_num_queries(14):
        response = coordinator_client.get(reverse("core:audit_log"))
    assert response.status_code == 200
