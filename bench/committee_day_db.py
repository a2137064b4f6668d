"""The database side of the committee-day load test (bench/committee_day.sh runs it).

  python bench/committee_day_db.py prepare PLAN.json   accounts for the simulated staff and the
                                                       plan the locust file follows (URLs, ids)
  python bench/committee_day_db.py check PLAN.json OUTCOMES.jsonl
                                                       lost updates, judged by the audit trail

`check` compares what every simulated user was told with what the database and its audit trail
(django-pghistory, written by triggers) hold afterwards:
- every review the server confirmed (redirect) left its note, in the table and in the audit trail,
  and moved the application's version by one: no two confirmed saves share a version;
- the documents each application has verified now are the ones its last confirmed save sent (the
  last writer's data is there; nobody's confirmed save was silently overwritten by a stale form);
- every save refused as a concurrent edit left nothing (no note with its token);
- every report or visit the monitoring officer saved has its token in the audit trail.
It prints the counts and exits 1 on any lost update.
"""

import json
import sys
from collections import defaultdict

from _django import setup

PASSWORD = "Bench-committee-2012!"  # noqa: S105 (accounts of the load test's own database)
COMMITTEE_MEMBERS = 20


def prepare(plan_path: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import NoReverseMatch, reverse

    from lebork_einclusion import roles
    from lending.models import LoanAgreement
    from monitoring.models import LabReport
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
    reports = list(LabReport.objects.order_by("month", "unit_id").values_list("unit_id", "month"))
    # The monitoring officer's visits come with the monitoring app's visit pages: a URL name
    # "monitoring:visit_new" (or the like) without arguments, or taking a participant.
    visit_url = ""
    for name, rule in sorted(roles.ACCESS.items()):
        if not name.startswith("monitoring:visit") or roles.MONITORING not in rule.change:
            continue
        if not name.endswith(("_new", "_add", "_create")):
            continue
        for kwargs in ({}, {"pk": _first_participant()}):
            try:
                visit_url = reverse(name, kwargs=kwargs)
                break
            except NoReverseMatch:
                continue
        if visit_url:
            break
    plan = {
        "password": PASSWORD,
        "committee": [
            account(f"bench-komisja-{i:02d}", roles.COMMITTEE)
            for i in range(1, COMMITTEE_MEMBERS + 1)
        ],
        "coordinator": account("bench-koordynator", roles.COORDINATOR),
        "officer": account("bench-monitoring", roles.MONITORING),
        "login": reverse("login"),
        "application_list": reverse("recruitment:application_list") + f"?call={call.pk}",
        "reviews": [reverse("recruitment:application_review", args=[pk]) for pk in applications],
        "review_ids": applications,
        "ranking": reverse("recruitment:ranking", args=[call.pk]),
        "agreement_list": reverse("lending:agreement_list"),
        "agreement_pdfs": [reverse("lending:agreement_pdf", args=[pk]) for pk in agreements],
        "handover_pdfs": [reverse("lending:handover_pdf", args=[pk]) for pk in agreements],
        "report_list": reverse("monitoring:lab_report_list"),
        "reports": [
            reverse("monitoring:lab_report", args=[unit, month.year, month.month])
            for unit, month in reports
        ],
        "visit_url": visit_url,
        "started_versions": dict(
            Application.objects.filter(call=call).values_list("pk", "version")
        ),
    }
    with open(plan_path, "w") as out:
        json.dump(plan, out, indent=1, default=str)
    print(
        f"plan: {len(plan['committee'])} committee members, {len(applications)} applications, "
        f"{len(agreements)} agreements, {len(reports)} lab reports, "
        f"visits: {visit_url or 'no visit page yet (the officer saves lab reports)'}"
    )


def _first_participant():
    from lending.models import Participant

    return Participant.objects.order_by("pk").values_list("pk", flat=True).first()


def _audit_rows_with(token_by_kind: dict[str, list[str]]) -> dict[str, bool]:
    """token -> whether any audit-trail row of any tracked model holds it."""
    from django.apps import apps
    from django.db import connection
    from pghistory.models import Event

    tokens = [token for tokens in token_by_kind.values() for token in tokens]
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
    officer = [o for o in outcomes if o["kind"] in ("report", "visit") and o["result"] == "saved"]
    problems = []

    # 1. Every confirmed review has its note, in the table and in the audit trail.
    notes = set(ReviewNote.objects.filter(text__startswith="bench-").values_list("text", flat=True))
    in_trail = _audit_rows_with(
        {"review": [o["token"] for o in saved], "officer": [o["token"] for o in officer]}
    )
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
        verified = set(
            ApplicationDocument.objects.filter(
                application_id=pk, verified_at__isnull=False
            ).values_list("doc_type", flat=True)
        )
        if verified != set(last["verified"]):
            problems.append(
                f"application {pk}: verified {sorted(verified)}, last save sent {last['verified']}"
            )
    # 4. Refused saves left nothing.
    for outcome in refused:
        if outcome["token"] in notes:
            problems.append(f"refused review {outcome['token']} left its note")
    # 5. The officer's saves are in the audit trail.
    for outcome in officer:
        if not in_trail[outcome["token"]]:
            problems.append(
                f"confirmed {outcome['kind']} {outcome['token']} is not in the audit trail"
            )

    print(
        f"reviews confirmed {len(saved)}, refused as concurrent edits {len(refused)}, "
        f"other answers {len(other)}; applications saved {len(by_application)}; "
        f"officer's saves {len(officer)} ({', '.join(sorted({o['kind'] for o in officer})) or '-'})"
    )
    if problems:
        print(f"LOST UPDATES: {len(problems)}")
        for problem in problems[:50]:
            print("  " + problem)
        return 1
    print("lost updates: 0 (every confirmed save is in the database and its audit trail)")
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
