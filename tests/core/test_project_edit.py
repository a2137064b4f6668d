import datetime

from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import Project


def form_data(project, **changes):
    data = {
        "name": project.name,
        "programme": project.programme,
        "priority_axis": project.priority_axis,
        "measure": project.measure,
        "fund": project.fund,
        "owner_name": project.owner_name,
        "owner_address": project.owner_address,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "durability_years": project.durability_years,
        "target_households": project.target_households,
        "target_public_units": project.target_public_units,
        "target_people_trained": project.target_people_trained,
        "target_training_hours": project.target_training_hours,
        "version": project.version,
    }
    data.update(changes)
    return data


def test_it_saves_the_project_record(coordinator_client):
    project = Project.current()
    response = coordinator_client.post(
        reverse("core:project_edit"), form_data(project, target_households=80)
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.target_households == 80
    assert project.version == 2


def test_it_rejects_an_end_before_the_start_and_changes_nothing(coordinator_client):
    project = Project.current()
    response = coordinator_client.post(
        reverse("core:project_edit"),
        form_data(project, end_date="2011-01-01", target_households=99),
    )
    assert response.status_code == 200
    assert "Data zakończenia nie może być wcześniejsza" in response.content.decode()
    project.refresh_from_db()
    assert project.target_households == 75
    assert project.end_date == datetime.date(2013, 12, 31)


def test_a_concurrent_edit_is_refused_and_keeps_the_users_input(coordinator_client):
    project = Project.current()
    stale = form_data(project, target_households=90)
    # Someone else saves first.
    coordinator_client.post(reverse("core:project_edit"), form_data(project, measure="changed"))
    response = coordinator_client.post(reverse("core:project_edit"), stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ktoś inny zapisał ten rekord" in content
    assert 'value="90"' in content  # nothing the user typed is lost
    project.refresh_from_db()
    assert project.measure == "changed"
    assert project.target_households == 75
    # The refused form now carries the current version: saving again is a deliberate overwrite.
    assert f'name="version" value="{project.version}"' in content


def test_posting_the_version_field_cannot_skip_the_check(coordinator_client):
    project = Project.current()
    coordinator_client.post(reverse("core:project_edit"), form_data(project, measure="first"))
    response = coordinator_client.post(
        reverse("core:project_edit"), form_data(project, measure="second", version="")
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.measure == "first"


def test_the_assistant_may_not_edit_the_project(client_as):
    client = client_as(roles.ASSISTANT)
    project = Project.current()
    response = client.post(reverse("core:project_edit"), form_data(project, measure="x"))
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.measure != "x"
