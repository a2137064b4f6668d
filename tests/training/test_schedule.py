"""Modules, groups and sessions through their pages; the week's schedule."""

from decimal import Decimal

from django.urls import reverse

from lebork_einclusion import roles
from training.models import TrainingGroup, TrainingModule, TrainingSession

from .conftest import day, schedule


def test_the_coordinator_creates_a_module_for_the_current_project(coordinator_client):
    response = coordinator_client.post(
        reverse("training:module_new"),
        {
            "number": 7,
            "name": "Bezpieczeństwo w sieci",
            "form": "classroom",
            "hour_unit": "clock",
            "planned_groups": 2,
            "planned_hours_per_group": "4",
            "starts_on": "2014-02-03",
            "ends_on": "2014-02-28",
            "completion_percent": 75,
            "obligatory": "on",
            "certificate_text": "ukończył(a) szkolenie.",
            "version": "",
        },
        follow=True,
    )
    module = TrainingModule.objects.get(number=7)
    assert "Moduł został zapisany." in response.content.decode()
    assert module.project_id == 1
    assert module.hours_planned == Decimal("8")
    assert module.required_hours == Decimal("3")


def test_the_assistant_may_not_set_up_modules(client_as):
    client = client_as(roles.ASSISTANT)
    assert client.get(reverse("training:module_new")).status_code == 403


def test_a_group_is_created_on_its_modules_page(assistant_client, module):
    response = assistant_client.post(
        reverse("training:group_new", args=[module.pk]),
        {
            "name": "Grupa C",
            "trainer": "Ewa Ucząca",
            "room": "Sala 3",
            "capacity": 12,
            "version": "",
        },
        follow=True,
    )
    group = TrainingGroup.objects.get(module=module, name="Grupa C")
    assert (group.trainer, group.room, group.capacity) == ("Ewa Ucząca", "Sala 3", 12)
    assert "Grupa została zapisana." in response.content.decode()


def test_a_new_session_starts_with_the_groups_trainer_and_room(assistant_client, group):
    form = assistant_client.get(reverse("training:session_new", args=[group.pk])).context["form"]
    assert form["trainer"].value() == "Anna Trenerska"
    assert form["room"].value() == "Sala 1"
    response = assistant_client.post(
        reverse("training:session_new", args=[group.pk]),
        {
            "date": "2024-03-26",
            "starts_at": "10:00",
            "ends_at": "11:30",
            "hours": "2",
            "topic": "Bankowość internetowa",
            "trainer": "Anna Trenerska",
            "room": "Sala 1",
            "version": "",
        },
    )
    session = TrainingSession.objects.get(group=group, topic="Bankowość internetowa")
    assert response.status_code == 302
    assert (session.date, session.hours) == (day("2024-03-26"), Decimal("2"))


def test_sessions_that_touch_do_not_overlap(group, other_group, sessions, coordinator):
    """One group ends at 11:30 in Sala 1, the next starts there at 11:30."""
    session = schedule(
        other_group, coordinator, date="2024-03-05", start="11:30", end="13:00", room="Sala 1"
    )
    assert session.pk


def test_the_group_page_shows_planned_against_scheduled_hours(assistant_client, group, sessions):
    page = assistant_client.get(reverse("training:group_detail", args=[group.pk])).content.decode()
    assert "zaplanowano w harmonogramie 6 h z 6 h przewidzianych" in page
    for session in sessions:
        assert session.topic in page


def test_the_demo_groups_have_their_twelve_hours_scheduled(assistant_client):
    group = TrainingGroup.objects.filter(module__number=1).order_by("pk").first()
    page = assistant_client.get(reverse("training:group_detail", args=[group.pk])).content.decode()
    assert "zaplanowano w harmonogramie 12 h z 12 h przewidzianych" in page
    assert "harmonogram niepełny" not in page


def test_the_week_view_shows_the_weeks_sessions_day_by_day(assistant_client):
    module = TrainingModule.objects.get(number=1, project_id=1)
    response = assistant_client.get(
        reverse("training:schedule"), {"week": "2012-11-21", "module": module.pk}
    )
    page = response.content.decode()
    assert "Harmonogram: tydzień 19.11.2012–25.11.2012" in page
    days = response.context["days"]
    assert [d.isoformat() for d, _sessions in days] == [
        "2012-11-19",
        "2012-11-20",
        "2012-11-21",
        "2012-11-22",
        "2012-11-23",
    ]
    assert [len(sessions) for _d, sessions in days] == [4, 4, 4, 4, 0]
    assert "Godziny w tym tygodniu: 32 h." in page
    assert "?week=2012-11-26" in page and "?week=2012-11-12" in page


def test_the_week_view_opens_on_the_modules_first_week(assistant_client):
    module = TrainingModule.objects.get(number=2, project_id=1)
    response = assistant_client.get(reverse("training:schedule"), {"module": module.pk})
    assert response.context["monday"] == day("2013-09-30")


def test_a_locked_session_cannot_be_edited(assistant_client):
    session = TrainingSession.objects.filter(group__module__number=1).first()
    response = assistant_client.get(
        reverse("training:session_edit", args=[session.pk]), follow=True
    )
    assert "Do zajęć dołączono podpisaną listę: zajęć nie można już zmienić." in (
        response.content.decode()
    )


def test_editing_a_session_keeps_its_own_slot_free(assistant_client, group, sessions):
    session = sessions[0]
    response = assistant_client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "date": "2024-03-05",
            "starts_at": "10:15",
            "ends_at": "11:45",
            "hours": "2",
            "topic": session.topic,
            "trainer": session.trainer,
            "room": session.room,
            "version": session.version,
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at.isoformat() == "10:15:00"


def test_the_front_page_lists_todays_sessions_with_a_big_button(
    assistant_client, module, group, trainees, coordinator
):
    from lebork_einclusion import clock

    today = clock.today()
    module.starts_on, module.ends_on = today, today
    module.save()
    session = schedule(group, coordinator, date=today.isoformat())
    page = assistant_client.get(reverse("training:module_list")).content.decode()
    assert reverse("training:session_attendance", args=[session.pk]) in page
    assert "wpisana obecność: 0 z 3" in page
