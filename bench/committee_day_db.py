"""The database side of the committee-day load test (bench/committee_day.sh runs it).

  python bench/committee_day_db.py prepare PLAN.json   accounts for the simulated staff, the
                                                       officer's visits still to make (added
                                                       when too few are planned) and the plan
                                                       the locust file follows (URLs, ids)
  python bench/committee_day_db.py check PLAN.json OUTCOMES.jsonl
                                                       lost updates, judged by the audit trail

`check` compares what every simulated user was told with what the database and its audit trail
(django-pghistory, written by triggers) hold afterwards:
- every review the server confirmed (redirect) left its note, in the table and in the audit trail,
  and moved the application's version by one: no two confirmed saves share a version;
- the documents each application has verified now are the ones its last confirmed save sent (the
  last writer's data is there; nobody's confirmed save was silently overwritten by a stale form);
- every save refused as a concurrent edit left nothing (no note with its token);
- every visit the monitoring officer was told was saved is stored exactly once (its token in one
  visit, with the key it was sent with, its household, its planned visit and a check of each
  serial lent) and has exactly one insert event carrying the token in the audit trail; no other
  visit made during the run carries a token of the load test;
- every replayed visit (the same form sent again) was answered with the visit already made, and
  nothing about that visit (the visit, its checks, photos and follow-ups, its planned visit) was
  written to the audit trail from the moment the replay was sent.
It prints the counts and exits 1 on any lost update.
"""

import datetime
import json
import sys
from collections import defaultdict

from _django import setup

PASSWORD = "Bench-committee-2012!"  # noqa: S105 (accounts of the load test's own database)
COMMITTEE_MEMBERS = 20
# Visits still planned at each household of the officer's round (added when fewer are): the demo
# lives through the durability period, so few of its own visits are still planned.
VISITS_PER_HOUSEHOLD = 2
ROUND_NOTE = "Load test round (bench/committee_day_db.py)"


def prepare(plan_path: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Max
    from django.urls import reverse

    from lebork_einclusion import roles
    from lending.models import LoanAgreement
    from monitoring.models import MonitoringVisit
    from recruitment.models import Application, Call

    users = get_user_model()

    def account(username: str, role: str) -> str:
        user, _created = users.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        return username

    call = Call.objects.get(code="2012")
    applications = list(
        Application.objects.filter(call=call).order_by("sequence").values_list("pk", flat=True)
    )
    agreements = list(
        LoanAgreement.objects.filter(status=LoanAgreement.Status.ACTIVE)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    officer = account("bench-monitoring", roles.MONITORING)
    _plan_the_round(users.objects.get(username=officer))
    visits = _visit_plan()
    plan = {
        "password": PASSWORD,
        "committee": [
            account(f"bench-komisja-{i:02d}", roles.COMMITTEE)
            for i in range(1, COMMITTEE_MEMBERS + 1)
        ],
        "coordinator": account("bench-koordynator", roles.COORDINATOR),
        "officer": officer,
        "login": reverse("login"),
        "application_list": reverse("recruitment:application_list") + f"?call={call.pk}",
        "reviews": [reverse("recruitment:application_review", args=[pk]) for pk in applications],
        "review_ids": applications,
        "ranking": reverse("recruitment:ranking", args=[call.pk]),
        "agreement_list": reverse("lending:agreement_list"),
        "agreement_pdfs": [reverse("lending:agreement_pdf", args=[pk]) for pk in agreements],
        "handover_pdfs": [reverse("lending:handover_pdf", args=[pk]) for pk in agreements],
        "visits": visits,
        # Visits made before this run (the demo's, an earlier run's) are not the check's.
        "visits_before": MonitoringVisit.objects.aggregate(last=Max("pk"))["last"] or 0,
        "started_versions": dict(
            Application.objects.filter(call=call).values_list("pk", "version")
        ),
    }
    with open(plan_path, "w") as out:
        json.dump(plan, out, indent=1, default=str)
    print(
        f"plan: {len(plan['committee'])} committee members, {len(applications)} applications, "
        f"{len(agreements)} agreements, {len(visits)} planned visits at "
        f"{len({v['household'] for v in visits})} households"
    )


def _plan_the_round(officer) -> None:
    """The visits the officer will make: every household taking part that holds lent equipment
    is given, through the officer's own service, the visits it lacks to have
    VISITS_PER_HOUSEHOLD still planned, the first due on the office's today, the next a week
    later each."""
    from lebork_einclusion import clock
    from lending.models import Participant
    from lending.services import lent_assets
    from monitoring.models import PlannedVisit
    from monitoring.services.plans import do_add_planned_visit

    today = clock.today()
    for household in Participant.objects.active().select_related("application").order_by("pk"):
        if not lent_assets(household).exists():
            continue
        planned = PlannedVisit.objects.filter(
            participant=household, status=PlannedVisit.Status.PLANNED
        ).count()
        for n in range(VISITS_PER_HOUSEHOLD - planned):
            do_add_planned_visit(
                household,
                due_on=today + datetime.timedelta(weeks=n),
                officer=officer,
                actor=officer,
                note=ROUND_NOTE,
            )


def _visit_plan() -> list[dict]:
    """The officer's round: the visits still planned at households taking part that hold lent
    equipment, each one once; the earliest of every household first, then the second of each,
    and so on, so that the visits go to many households. Each with its form's URL and the
    serials lending lent there (the form must list them)."""
    from django.urls import reverse

    from lending.models import Participant
    from lending.services import lent_assets
    from monitoring.models import PlannedVisit

    by_household = defaultdict(list)
    planned = PlannedVisit.objects.filter(
        status=PlannedVisit.Status.PLANNED, participant__in=Participant.objects.active()
    ).select_related("participant")
    for visit in planned.order_by("participant_id", "due_on", "pk"):
        by_household[visit.participant].append(visit.pk)
    serials = {
        household: sorted(asset.serial_number for asset in lent_assets(household))
        for household in by_household
    }
    rounds = max((len(pks) for pks in by_household.values()), default=0)
    return [
        {
            "url": reverse("monitoring:visit_new", args=[household.pk]) + f"?planned={pks[n]}",
            "household": household.pk,
            "planned": pks[n],
            "serials": serials[household],
        }
        for n in range(rounds)
        for household, pks in by_household.items()
        if n < len(pks) and serials[household]
    ]


def _audit_rows_with(tokens: list[str]) -> dict[str, bool]:
    """token -> whether any audit-trail row of any tracked model holds it."""
    from django.apps import apps
    from django.db import connection
    from pghistory.models import Event

    found = dict.fromkeys(tokens, False)
    if not tokens:
        return found
    tables = [m._meta.db_table for m in apps.get_models() if issubclass(m, Event)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f'SELECT t::text FROM "{table}" t WHERE t::text ~ %s',  # noqa: S608 (catalogue names)
                ["bench-[0-9a-f]{12}"],
            )
            for (row,) in cursor.fetchall():
                for token in tokens:
                    if not found[token] and token in row:
                        found[token] = True
    return found


def check_visits(
    plan: dict, visits: list[dict], others: list[dict], replays: list[dict]
) -> list[str]:
    """The officer's visits against the database and the audit trail (see the module's text)."""
    from monitoring.models import AssetCheck, FollowUp, MonitoringVisit, PlannedVisit, VisitPhoto

    def events(model):
        return model.pgh_event_models["insert"].objects

    problems = []
    stored, by_token = {}, defaultdict(int)
    made = MonitoringVisit.objects.filter(pk__gt=plan["visits_before"])
    for visit in made.filter(findings__startswith="bench-"):
        mark = visit.findings.split()[0]
        stored[mark] = visit
        by_token[mark] += 1
    for outcome in visits:
        mark = outcome["token"]
        if by_token[mark] != 1:
            problems.append(f"confirmed visit {mark} is stored {by_token[mark]} times")
            continue
        visit = stored[mark]
        sent = (outcome["key"], outcome["household"], outcome["planned"])
        if (str(visit.key), visit.participant_id, visit.planned_id) != sent:
            problems.append(
                f"confirmed visit {mark}: key, household, planned visit "
                f"{(str(visit.key), visit.participant_id, visit.planned_id)}, sent {sent}"
            )
        if not outcome["location"].endswith(f"/{visit.pk}/"):
            problems.append(f"confirmed visit {mark} was answered {outcome['location']}")
        checked = sorted(visit.checks.values_list("serial_number", flat=True))
        if checked != sorted(outcome["serials"]):
            problems.append(f"visit {mark}: checked {checked}, sent {outcome['serials']}")
        inserts = (
            events(MonitoringVisit)
            .filter(pgh_obj_id=visit.pk, pgh_label="insert", findings__contains=mark)
            .count()
        )
        if inserts != 1:
            problems.append(
                f"confirmed visit {mark} has {inserts} insert events in the audit trail"
            )
    told = {o["token"] for o in visits}
    for outcome in others:
        if outcome["token"] in stored:
            problems.append(f"visit {outcome['token']} answered {outcome['result']} was stored")
    for mark in set(stored) - told - {o["token"] for o in others}:
        problems.append(f"visit {mark} is stored but no one sent it")
    for outcome in replays:
        mark = outcome["token"]
        if outcome["result"] != "same visit":
            problems.append(f"replayed visit {mark} was answered {outcome['result']}")
        visit = stored.get(mark)
        if visit is None or MonitoringVisit.objects.filter(key=outcome["key"]).count() != 1:
            problems.append(f"replayed visit {mark}: not exactly one visit with its key")
            continue
        since = datetime.datetime.fromisoformat(outcome["sent_at"])
        written = [
            events(MonitoringVisit).filter(pgh_obj_id=visit.pk),
            events(AssetCheck).filter(visit_id=visit.pk),
            events(VisitPhoto).filter(visit_id=visit.pk),
            events(FollowUp).filter(visit_id=visit.pk),
            events(PlannedVisit).filter(pgh_obj_id=visit.planned_id),
        ]
        later = sum(found.filter(pgh_created_at__gte=since).count() for found in written)
        if later:
            problems.append(f"replayed visit {mark} wrote {later} audit events after it was sent")
    return problems


def check(plan_path: str, outcomes_path: str) -> int:
    from recruitment.models import Application, ApplicationDocument, ReviewNote

    with open(plan_path) as source:
        plan = json.load(source)
    with open(outcomes_path) as source:
        outcomes = [json.loads(line) for line in source if line.strip()]
    saved = [o for o in outcomes if o["kind"] == "review" and o["result"] == "saved"]
    refused = [o for o in outcomes if o["kind"] == "review" and o["result"] == "conflict"]
    other = [
        o for o in outcomes if o["kind"] == "review" and o["result"] not in ("saved", "conflict")
    ]
    visits = [o for o in outcomes if o["kind"] == "visit" and o["result"] == "saved"]
    visits_not = [o for o in outcomes if o["kind"] == "visit" and o["result"] != "saved"]
    replays = [o for o in outcomes if o["kind"] == "visit_replay"]
    problems = []

    # 1. Every confirmed review has its note, in the table and in the audit trail.
    notes = set(ReviewNote.objects.filter(text__startswith="bench-").values_list("text", flat=True))
    in_trail = _audit_rows_with([o["token"] for o in saved])
    for outcome in saved:
        if outcome["token"] not in notes:
            problems.append(f"confirmed review {outcome['token']} has no note")
        if not in_trail[outcome["token"]]:
            problems.append(f"confirmed review {outcome['token']} is not in the audit trail")
    # 2. Confirmed saves of one application have distinct consecutive versions, and the
    #    application's version moved by exactly their number.
    by_application = defaultdict(list)
    for outcome in saved:
        by_application[outcome["application"]].append(outcome)
    started = {int(k): v for k, v in plan["started_versions"].items()}
    for pk, rows in by_application.items():
        versions = sorted(o["version"] for o in rows)
        if len(set(versions)) != len(versions):
            problems.append(f"application {pk}: two confirmed saves from version {versions}")
        current = Application.objects.get(pk=pk).version
        if current - started[pk] != len(rows):
            problems.append(
                f"application {pk}: {len(rows)} confirmed saves but the version moved "
                f"{current - started[pk]}"
            )
        # 3. The last confirmed save's documents are the ones verified now.
        last = max(rows, key=lambda o: o["version"])
        # Named as the review form names them (a person's own document with the person's id).
        verified = {
            document.key
            for document in ApplicationDocument.objects.filter(
                application_id=pk, verified_at__isnull=False
            )
        }
        if verified != set(last["verified"]):
            problems.append(
                f"application {pk}: verified {sorted(verified)}, last save sent {last['verified']}"
            )
    # 4. Refused saves left nothing.
    for outcome in refused:
        if outcome["token"] in notes:
            problems.append(f"refused review {outcome['token']} left its note")
    # 5. The officer's visits: each confirmed one stored once, the replays wrote nothing.
    problems += check_visits(plan, visits, visits_not, replays)

    print(
        f"reviews confirmed {len(saved)}, refused as concurrent edits {len(refused)}, "
        f"other answers {len(other)}; applications saved {len(by_application)}"
    )
    print(
        f"visits saved {len(visits)} (households {len({o['household'] for o in visits})}), "
        f"not saved {len(visits_not)}; replayed {len(replays)}, answered with the visit already "
        f"made {sum(o['result'] == 'same visit' for o in replays)}"
    )
    if problems:
        print(f"LOST UPDATES: {len(problems)}")
        for problem in problems[:50]:
            print("  " + problem)
        return 1
    print(
        "lost updates: 0 (every confirmed save is in the database and its audit trail once; "
        "the replays wrote nothing)"
    )
    return 0


if __name__ == "__main__":
    setup()
    command, *args = sys.argv[1:]
    if command == "prepare":
        prepare(*args)
    elif command == "check":
        sys.exit(check(*args))
    else:
        sys.exit(f"unknown command {command}")
