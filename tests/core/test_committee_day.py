"""The committee-day load test's guard (bench/committee_day.sh runs it with locust): the plan
`committee_day_db.py prepare` writes names pages that answer, the forms the simulated staff fill
in (bench/committee_day_forms.py, the same code the locust file uses) are accepted, a replayed
visit makes no second visit, and `committee_day_db.py check` finds what was saved and tells a
lost or doubled save. No locust here: the same forms go through Django's test client."""

import datetime
import json
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve

from lending.models import Participant
from lending.services import lent_assets
from monitoring.models import MonitoringVisit, PlannedVisit
from recruitment.models import ReviewNote

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import committee_day_db
from committee_day_forms import filled, main_form, serials_of, token, visit_changes


@pytest.fixture
def plan_path(db, tmp_path):
    path = tmp_path / "plan.json"
    committee_day_db.prepare(str(path))
    return path


@pytest.fixture
def plan(plan_path):
    return json.loads(plan_path.read_text())


def logged_in(plan, username) -> Client:
    """A client logged in through the login page with the load test's password, as locust does."""
    client = Client()
    form = main_form(client.get(plan["login"]).content.decode(), "username")
    answer = client.post(
        plan["login"], filled(form, {"username": username, "password": plan["password"]})
    )
    assert answer.status_code == 302, f"login of {username} refused"
    return client


def run_check(plan_path, tmp_path, outcomes) -> int:
    path = tmp_path / "outcomes.jsonl"
    path.write_text("".join(json.dumps(outcome) + "\n" for outcome in outcomes))
    return committee_day_db.check(str(plan_path), str(path))


def save_visit(client, visit) -> dict:
    """The officer's visit as the locust file makes it: the form, each serial, the answers."""
    page = client.get(visit["url"])
    assert page.status_code == 200
    form = main_form(page.content.decode(), "key")
    assert form.enctype == "multipart/form-data"
    serials = serials_of(form)
    assert serials == visit["serials"]
    mark = token()
    data = filled(form, visit_changes(form, mark))
    answer = client.post(visit["url"], data)
    assert answer.status_code == 302, answer.context and answer.context.get("errors")
    return {
        "kind": "visit",
        "user": "bench-monitoring",
        "household": visit["household"],
        "planned": visit["planned"],
        "key": data["key"][0],
        "serials": serials,
        "token": mark,
        "result": "saved",
        "location": answer["Location"],
        "data": data,
    }


def test_the_plan_sends_the_officer_to_many_households_each_planned_visit_once(plan):
    visits = plan["visits"]
    planned = PlannedVisit.objects.filter(
        status="planned", participant__in=Participant.objects.active()
    )
    assert len(visits) == planned.count() > 100
    assert len({v["planned"] for v in visits}) == len(visits)
    households = {v["household"] for v in visits}
    assert len(households) == planned.values("participant").distinct().count() > 50
    # The first round goes to a different household each time.
    first_round = [v["household"] for v in visits[: len(households)]]
    assert len(set(first_round)) == len(households)
    for visit in visits[:5]:
        address, query = visit["url"].split("?")
        assert resolve(address).view_name == "monitoring:visit_new"
        assert query == f"planned={visit['planned']}"
        household = Participant.objects.get(pk=visit["household"])
        assert visit["serials"] == sorted(a.serial_number for a in lent_assets(household))
        assert visit["serials"]
    assert "reports" not in plan and "visit_url" not in plan


@pytest.mark.real_clock  # its web processes run outside time-machine
def test_a_visit_saved_as_the_load_test_saves_it_is_one_visit_even_when_sent_again(
    plan, plan_path, tmp_path, capsys
):
    officer = logged_in(plan, plan["officer"])
    visit = plan["visits"][0]
    saved = save_visit(officer, visit)
    since = datetime.datetime.now(datetime.UTC)
    again = officer.post(visit["url"], saved.pop("data"))  # the same form, key and all
    assert (again.status_code, again["Location"]) == (302, saved["location"])

    [stored] = MonitoringVisit.objects.filter(findings__contains=saved["token"])
    assert str(stored.key) == saved["key"] and stored.participant_id == visit["household"]
    assert saved["location"] == f"/monitoring/visits/{stored.pk}/"
    assert sorted(stored.checks.values_list("serial_number", "state")) == [
        (serial, "present") for serial in visit["serials"]
    ]
    assert PlannedVisit.objects.get(pk=visit["planned"]).status == "done"
    assert stored.officer.username == plan["officer"]

    replay = {
        **saved,
        "kind": "visit_replay",
        "result": "same visit",
        "sent_at": since.isoformat(),
    }
    assert run_check(plan_path, tmp_path, [saved, replay]) == 0
    out = capsys.readouterr().out
    assert "visits saved 1 (households 1), not saved 0; replayed 1" in out
    assert "lost updates: 0" in out


def test_a_review_saved_as_the_load_test_saves_it_passes_the_check(
    plan, plan_path, tmp_path, capsys
):
    member = logged_in(plan, plan["committee"][0])
    url, pk = plan["reviews"][0], plan["review_ids"][0]
    form = main_form(member.get(url).content.decode(), "note")
    mark = f"{token()} {plan['committee'][0]}"
    answer = member.post(url, filled(form, {"note": mark}))
    assert answer.status_code == 302
    assert ReviewNote.objects.filter(text=mark).count() == 1
    review = {
        "kind": "review",
        "user": plan["committee"][0],
        "application": pk,
        "version": int(dict(form.fields)["version"]),
        "verified": sorted(
            name.removeprefix("verified_")
            for name, _value in form.fields
            if name.startswith("verified_")
        ),
        "token": mark,
        "result": "saved",
    }
    assert run_check(plan_path, tmp_path, [review]) == 0
    assert "reviews confirmed 1, refused as concurrent edits 0" in capsys.readouterr().out


def test_the_check_tells_a_visit_never_stored_and_a_replay_answered_with_another(
    plan, plan_path, tmp_path, capsys
):
    officer = logged_in(plan, plan["officer"])
    saved = save_visit(officer, plan["visits"][1])
    del saved["data"]
    lost = {**saved, "token": token(), "key": "00000000-0000-0000-0000-000000000000"}
    replay = {
        **saved,
        "kind": "visit_replay",
        "result": "http 302 /monitoring/visits/999999/",
        "sent_at": datetime.datetime.now(datetime.UTC).isoformat(),
    }
    assert run_check(plan_path, tmp_path, [saved, lost, replay]) == 1
    out = capsys.readouterr().out
    assert f"confirmed visit {lost['token']} is stored 0 times" in out
    assert f"replayed visit {saved['token']} was answered http 302" in out
