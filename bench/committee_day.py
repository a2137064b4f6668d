"""A committee day, for locust (bench/committee_day.sh runs it; `make bench-deps` installs locust).

Twenty committee members review applications: each opens the list, opens an application's
review page, reads the documents for a while, ticks what is in order and saves with a note, and
goes on to the next. The coordinator prints loan agreements and handover protocols and looks at
the ranking. The monitoring officer records home visits: she opens the visit form of the next
household on the plan, checks each lent asset by its serial, answers the questions and saves;
now and then the same form is sent twice (a double tap, a retry after a lost connection), which
must find the visit already made. Everyone works at a person's pace.

Every save sends a unique token (in the review's note, in the visit's findings) and the outcome
the server gave is appended to OUTCOMES (JSON lines); committee_day_db.py check then finds each
confirmed save in the database and its audit trail (lost updates), and checks that the replayed
visits wrote nothing.

Plain HTTP and the standard library: it runs in any environment with locust, without Django.
"""

import datetime
import json
import os
import random
import sys
import threading
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from committee_day_forms import filled, main_form, multipart, serials_of, token, visit_changes

PLAN = json.loads(Path(os.environ.get("BENCH_PLAN", "var/bench/plan.json")).read_text())
OUTCOMES = Path(os.environ.get("BENCH_OUTCOMES", "var/bench/outcomes.jsonl"))
# Seconds a person spends reading before saving (the review of one application's documents, the
# visit form filled in at the household).
READ = tuple(float(x) for x in os.environ.get("BENCH_READ", "20,60").split(","))
# The share of the visits whose form is sent a second time.
REPLAY = float(os.environ.get("BENCH_REPLAY", "0.25"))
_lock = threading.Lock()
_next_member = iter(PLAN["committee"])
_next_visit = iter(PLAN["visits"])


@events.test_start.add_listener
def _fresh_outcomes(**_kwargs):
    OUTCOMES.parent.mkdir(parents=True, exist_ok=True)
    OUTCOMES.write_text("")


def record(**outcome) -> None:
    with _lock, OUTCOMES.open("a") as out:
        out.write(json.dumps(outcome) + "\n")


def post_form(user, url: str, form, changes: dict, name: str):
    """Submit `form` as a browser without JavaScript would, with `changes` applied: urlencoded,
    or multipart when the form says so."""
    data = filled(form, changes)
    body = {"files": multipart(form, data)} if form.enctype == "multipart/form-data" else {}
    return user.client.post(
        form.action or url,
        data=None if body else data,
        headers={"Referer": user.host + url},
        allow_redirects=False,
        name=name,
        catch_response=True,
        **body,
    )


class Staff(HttpUser):
    abstract = True
    username = ""

    def _sleep(self, seconds):
        gevent.sleep(seconds)

    def on_start(self):
        page = self.client.get(PLAN["login"], name="login page")
        with post_form(
            self,
            PLAN["login"],
            main_form(page.text, "username"),
            {"username": self.username, "password": PLAN["password"]},
            "login",
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} refused ({response.status_code})")
            else:
                response.success()


class CommitteeMember(Staff):
    """Reviews applications one after another, at the pace of reading their documents."""

    weight = 20
    fixed_count = len(PLAN["committee"])
    wait_time = between(5, 15)

    def on_start(self):
        with _lock:
            self.username = next(_next_member)
        super().on_start()

    @task
    def review_one(self):
        self.client.get(PLAN["application_list"], name="application list")
        index = random.randrange(len(PLAN["reviews"]))
        url, pk = PLAN["reviews"][index], PLAN["review_ids"][index]
        page = self.client.get(url, name="review page")
        if page.status_code != 200:
            return
        form = main_form(page.text, "note")
        boxes = [name for name in form.names if name.startswith("verified_")]
        ticked = {name for name, _value in form.fields if name in boxes}
        if boxes:  # the member confirms one more document, or takes one confirmation back
            flip = random.choice(boxes)
            ticked ^= {flip}
        self._sleep(random.uniform(*READ))  # reading the documents
        mark = token()
        changes = {box: ("on" if box in ticked else None) for box in boxes}
        changes["note"] = f"{mark} {self.username}"
        version = int(dict(form.fields).get("version", "0"))
        with post_form(self, url, form, changes, "review save") as response:
            if response.status_code == 302:
                result = "saved"
                response.success()
            elif response.status_code == 200 and "form-error-summary" in response.text:
                result = "conflict"  # another member saved it first: a message, nothing lost
                response.success()
            else:
                result = f"http {response.status_code}"
                response.failure(result)
        record(
            kind="review",
            user=self.username,
            application=pk,
            version=version,
            verified=sorted(box.removeprefix("verified_") for box in ticked),
            token=f"{mark} {self.username}",
            result=result,
        )


class Coordinator(Staff):
    """Prints loan agreements and handover protocols between other work."""

    weight = 1
    fixed_count = 1
    wait_time = between(10, 30)

    def on_start(self):
        self.username = PLAN["coordinator"]
        super().on_start()

    @task(3)
    def print_agreement(self):
        self.client.get(PLAN["agreement_list"], name="agreement list")
        index = random.randrange(len(PLAN["agreement_pdfs"]))
        self.client.get(PLAN["agreement_pdfs"][index], name="agreement PDF")
        self.client.get(PLAN["handover_pdfs"][index], name="handover PDF")

    @task(1)
    def look_at_the_ranking(self):
        self.client.get(PLAN["ranking"], name="ranking")


class MonitoringOfficer(Staff):
    """Records home visits from the plan (many households, each planned visit once): the visit
    form of the next household, each lent asset checked by its serial, the questions answered,
    the form filled in for a while and saved; now and then sent a second time."""

    weight = 1
    fixed_count = 1
    wait_time = between(5, 15)

    def on_start(self):
        self.username = PLAN["officer"]
        super().on_start()

    @task
    def record_visit(self):
        with _lock:
            visit = next(_next_visit, None)
        if visit is None:  # the plan is done
            return
        url = visit["url"]
        with self.client.get(url, name="visit form", catch_response=True) as page:
            form = main_form(page.text, "key") if page.status_code == 200 else None
            serials = serials_of(form) if form else []
            if form is None:
                page.failure(f"no visit form (http {page.status_code})")
                return
            if sorted(serials) != sorted(visit["serials"]):
                page.failure(f"the form lists {serials}, lending lent {visit['serials']}")
                return
        self._sleep(random.uniform(*READ))  # filling in the form at the household
        mark = token()
        changes = visit_changes(form, mark)
        outcome = {
            "kind": "visit",
            "user": self.username,
            "household": visit["household"],
            "planned": visit["planned"],
            "key": dict(form.fields)["key"],
            "serials": serials,
            "token": mark,
        }
        with post_form(self, url, form, changes, "visit save") as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location.startswith("/monitoring/visits/"):
                result = "saved"
                response.success()
            else:
                result = (
                    "refused" if response.status_code == 200 else f"http {response.status_code}"
                )
                response.failure(f"visit {result}")
        record(**outcome, result=result, location=location)
        if result != "saved" or random.random() >= REPLAY:
            return
        # The same form once more, key and all: a double tap, or a retry after a lost connection.
        self._sleep(random.uniform(1, 5))
        sent_at = datetime.datetime.now(datetime.UTC).isoformat()
        with post_form(self, url, form, changes, "visit save (replayed)") as response:
            again = response.headers.get("Location", "")
            if response.status_code == 302 and again == location:
                result = "same visit"
                response.success()
            else:
                result = f"http {response.status_code} {again}".strip()
                response.failure(f"a replayed visit was answered {result}, not {location}")
        replay = {**outcome, "kind": "visit_replay", "location": again, "sent_at": sent_at}
        record(**replay, result=result)
