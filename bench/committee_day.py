"""A committee day, for locust (bench/committee_day.sh runs it; `make bench-deps` installs locust).

Twenty committee members review applications: each opens the list, opens an application's
review page, reads the documents for a while, ticks what is in order and saves with a note, and
goes on to the next. The coordinator prints loan agreements and handover protocols and looks at
the ranking. The monitoring officer saves the visits of households (once the monitoring app has
its visit page; until then the monthly reports of the labs). Everyone works at a person's pace.

Every save sends a unique token (in the note, or in a text field of the report or visit) and
the outcome the server gave is appended to OUTCOMES (JSON lines); committee_day_db.py check
then finds each confirmed save in the database and its audit trail (lost updates).

Plain HTTP and the standard library: it runs in any environment with locust, without Django.
"""

import json
import os
import random
import sys
import threading
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.htmlforms import forms_of

PLAN = json.loads(Path(os.environ.get("BENCH_PLAN", "var/bench/plan.json")).read_text())
OUTCOMES = Path(os.environ.get("BENCH_OUTCOMES", "var/bench/outcomes.jsonl"))
# Seconds a person spends reading before saving (the review of one application's documents).
READ = tuple(float(x) for x in os.environ.get("BENCH_READ", "20,60").split(","))
_lock = threading.Lock()
_next_member = iter(PLAN["committee"])


@events.test_start.add_listener
def _fresh_outcomes(**_kwargs):
    OUTCOMES.parent.mkdir(parents=True, exist_ok=True)
    OUTCOMES.write_text("")


def record(**outcome) -> None:
    with _lock, OUTCOMES.open("a") as out:
        out.write(json.dumps(outcome) + "\n")


def token() -> str:
    return f"bench-{uuid.uuid4().hex[:12]}"


def post_form(user, url: str, html: str, changes: dict, name: str):
    """Submit the page's main POST form as a browser would, with `changes` applied."""
    forms = [f for f in forms_of(html) if f.method == "post"]
    # The form that has the fields to change (not the language switch in the page's header).
    form = max(forms, key=lambda f: (len(set(changes) & set(f.names)), len(f.names)))
    data = {**form.data(), **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return user.client.post(
        form.action or url,
        data=data,
        headers={"Referer": user.host + url},
        allow_redirects=False,
        name=name,
        catch_response=True,
    )


class Staff(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        page = self.client.get(PLAN["login"], name="login page")
        with post_form(
            self,
            PLAN["login"],
            page.text,
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
        forms = [f for f in forms_of(page.text) if f.method == "post"]
        form = max(forms, key=lambda f: ("note" in f.names, len(f.names)))
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
        with post_form(self, url, page.text, changes, "review save") as response:
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

    def _sleep(self, seconds):
        gevent.sleep(seconds)


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


FILLER = {"date": "2013-03-15", "number": "1", "time": "10:00", "email": "bench@example.org"}


class MonitoringOfficer(Staff):
    """Saves the visits of households (or, before the visit page exists, the labs' reports)."""

    weight = 1
    fixed_count = 1
    wait_time = between(20, 60)
    visits_work = bool(PLAN.get("visit_url"))

    def on_start(self):
        self.username = PLAN["officer"]
        super().on_start()

    @task
    def save_one(self):
        if self.visits_work:
            self.save_visit()
        else:
            self.save_report()

    def save_visit(self):
        url = PLAN["visit_url"]
        page = self.client.get(url, name="visit form")
        forms = [f for f in forms_of(page.text) if f.method == "post"]
        if page.status_code != 200 or not forms:
            MonitoringOfficer.visits_work = False
            return
        form = max(forms, key=lambda f: len(f.names))
        mark = token()
        changes, text_fields = {}, []
        values = dict(form.fields)
        for name in form.names:
            kind = form.types.get(name)
            if kind in ("text", "textarea") and not name.startswith(("csrf", "version")):
                text_fields.append(name)
            if values.get(name) or name == "csrfmiddlewaretoken":
                continue
            if kind == "select":
                choices = [v for v in form.options.get(name, []) if v]
                if choices:
                    changes[name] = choices[0]
            elif kind in FILLER:
                changes[name] = FILLER[kind]
        if text_fields:
            changes[text_fields[-1]] = mark
        with post_form(self, url, page.text, changes, "visit save") as response:
            if response.status_code == 302:
                response.success()
                record(kind="visit", user=self.username, token=mark, result="saved")
            else:
                # The form asks for more than a generic filler gives: reports from now on.
                response.success()
                MonitoringOfficer.visits_work = False

    def save_report(self):
        self.client.get(PLAN["report_list"], name="lab report list")
        url = random.choice(PLAN["reports"])
        page = self.client.get(url, name="lab report page")
        mark = token()
        with post_form(self, url, page.text, {"problems": mark}, "lab report save") as response:
            if response.status_code == 302:
                response.success()
                record(kind="report", user=self.username, token=mark, result="saved")
            elif response.status_code == 200 and "form-error-summary" in response.text:
                response.success()
                record(kind="report", user=self.username, token=mark, result="conflict")
            else:
                response.failure(f"http {response.status_code}")
                record(kind="report", user=self.username, token=mark, result="error")
