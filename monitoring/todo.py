"""Each role's work for the day: the to-dos on the home page and in the daily digest.

A to-do is a small declaration: the role it belongs to, its label, the records it counts and the
list that shows exactly those records (a URL name with its filter). The count is taken from the
same public read the list filters by, so that the number on the home page is the number of rows
of the list it opens (tests/monitoring/test_home.py opens every one).

Another app's items are declared here too, with `register(Todo(...))`, reading that app's
public queries (the finance app's items will join the same way).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from finance import queries as finance_queries
from lebork_einclusion import clock, roles
from lending import queries as lending_queries
from procurement.models import Contract, Procedure
from recruitment import queries as recruitment_queries
from training import queries as training_queries

from . import visits


@dataclass(frozen=True)
class Context:
    """Whose to-dos, and when: every count and URL is computed from these alone."""

    user: object
    today: datetime.date
    now: datetime.datetime

    @cached_property
    def call(self):
        """The call the recruitment pages open on (read once for all the committee's items)."""
        return recruitment_queries.current_call()


@dataclass(frozen=True)
class Todo:
    role: str
    code: str
    label: str
    url_name: str
    rows: Callable[[Context], QuerySet | None]  # None: nothing to count (e.g. no call yet)
    query: Callable[[Context], dict] = lambda ctx: {}


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    count: int
    url: str  # path and query, relative to the site


@dataclass(frozen=True)
class Block:
    role: str
    label: str
    items: list[Item]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


TODOS: list[Todo] = []


def register(todo: Todo) -> Todo:
    if any(t.code == todo.code for t in TODOS):
        raise ValueError(f"two to-dos are named {todo.code!r}")
    TODOS.append(todo)
    return todo


def url_of(todo: Todo, ctx: Context) -> str:
    query = todo.query(ctx)
    return reverse(todo.url_name) + (f"?{urlencode(query)}" if query else "")


def blocks_for(user, today: datetime.date | None = None) -> list[Block]:
    """The user's to-dos, one block per role they hold (in the order of roles.ROLES), each
    item only where the user may open its list. One count query per item."""
    ctx = Context(user=user, today=today or clock.today(), now=clock.now())
    held = roles.user_roles(user)
    blocks = []
    for role in roles.ROLES:
        if role not in held:
            continue
        items = []
        for todo in TODOS:
            if todo.role != role or not roles.may_view(user, todo.url_name):
                continue
            rows = todo.rows(ctx)
            count = 0 if rows is None else rows.count()
            items.append(Item(todo.code, todo.label, count, url_of(todo, ctx)))
        if items:
            blocks.append(Block(role, roles.ROLE_LABELS[role], items))
    return blocks


# --- the recruitment committee ---------------------------------------------------------------


def _call_query(ctx: Context, **extra) -> dict:
    return {"call": ctx.call.pk, **extra} if ctx.call else {}


def _to_verify(ctx: Context):
    return recruitment_queries.awaiting_verification(ctx.call) if ctx.call else None


def _begun_by_me(ctx: Context):
    call = ctx.call
    return recruitment_queries.verification_begun_by(call, ctx.user) if call else None


register(
    Todo(
        roles.COMMITTEE,
        "applications_to_verify",
        _("Applications with documents to verify"),
        "recruitment:application_list",
        _to_verify,
        lambda ctx: _call_query(ctx, pending="on"),
    )
)
register(
    Todo(
        roles.COMMITTEE,
        "applications_mine",
        _("Applications I have begun to verify"),
        "recruitment:application_list",
        _begun_by_me,
        lambda ctx: _call_query(ctx, mine="on"),
    )
)

# --- the coordinator ---------------------------------------------------------------------------

register(
    Todo(
        roles.COORDINATOR,
        "exclusions_to_decide",
        _("Exclusion proposals waiting for a decision"),
        "lending:exclusion_list",
        lambda ctx: lending_queries.exclusions_to_decide(),
        lambda ctx: {"status": "pending"},
    )
)
register(
    Todo(
        roles.COORDINATOR,
        "agreements_to_decide",
        _("Agreements ending within 90 days or past their end, waiting for a decision"),
        "lending:agreement_list",
        lambda ctx: lending_queries.agreements_to_decide(ctx.today),
        lambda ctx: {"status": "to_decide"},
    )
)
register(
    Todo(
        roles.COORDINATOR,
        "notes_to_return",
        _("Promissory notes to return"),
        "lending:note_list",
        lambda ctx: lending_queries.notes_to_return(),
        lambda ctx: {"to_return": "1"},
    )
)
register(
    Todo(
        roles.COORDINATOR,
        "follow_ups_overdue",
        _("Overdue follow-up actions"),
        "monitoring:follow_up_list",
        lambda ctx: visits.follow_ups().filter(due_on__lt=ctx.today),
        lambda ctx: {"show": "overdue"},
    )
)

# --- the monitoring officer --------------------------------------------------------------------

register(
    Todo(
        roles.MONITORING,
        "visits_today",
        _("My visits today"),
        "monitoring:visit_list",
        lambda ctx: visits.due_between(ctx.today, ctx.today, ctx.user),
        lambda ctx: {"tab": "today", "officer": "me"},
    )
)
register(
    Todo(
        roles.MONITORING,
        "visits_week",
        _("My visits this week"),
        "monitoring:visit_list",
        lambda ctx: visits.due_between(ctx.today, visits.end_of_week(ctx.today), ctx.user),
        lambda ctx: {"tab": "week", "officer": "me"},
    )
)
register(
    Todo(
        roles.MONITORING,
        "visits_overdue",
        _("My overdue visits"),
        "monitoring:visit_list",
        lambda ctx: visits.overdue(ctx.today, ctx.user),
        lambda ctx: {"tab": "overdue", "officer": "me"},
    )
)
register(
    Todo(
        roles.MONITORING,
        "follow_ups_mine",
        _("My open follow-up actions"),
        "monitoring:follow_up_list",
        lambda ctx: visits.follow_ups(responsible=ctx.user),
        lambda ctx: {"show": "mine"},
    )
)

# --- the coordinator's assistant (training) ---------------------------------------------------

register(
    Todo(
        roles.ASSISTANT,
        "sessions_today",
        _("Training sessions today"),
        "training:session_list",
        lambda ctx: training_queries.sessions_on(ctx.today),
        lambda ctx: {"show": "today"},
    )
)
register(
    Todo(
        roles.ASSISTANT,
        "attendance_missing",
        _("Sessions held with no attendance entered"),
        "training:session_list",
        lambda ctx: training_queries.sessions_without_attendance(ctx.today),
        lambda ctx: {"show": "unmarked"},
    )
)

# --- the finance officer -----------------------------------------------------------------------

register(
    Todo(
        roles.FINANCE,
        "procedures_step_due",
        _("Procedures with a step due"),
        "procurement:procedure_list",
        lambda ctx: Procedure.objects.with_step_due(ctx.now),
        lambda ctx: {"step": "due"},
    )
)
register(
    Todo(
        roles.FINANCE,
        "contracts_ending",
        _("Contracts ending within 90 days"),
        "procurement:contract_list",
        lambda ctx: Contract.objects.ending(ctx.today, 90),
        lambda ctx: {"ending": "90"},
    )
)
# The money side is also the coordinator's: the same two items on both home pages.
for role, prefix in ((roles.FINANCE, ""), (roles.COORDINATOR, "coordinator_")):
    register(
        Todo(
            role,
            f"{prefix}expenditures_unclaimed",
            _("Expenditures paid and not yet in a payment claim"),
            "finance:expenditure_list",
            lambda ctx: finance_queries.unclaimed_expenditures(ctx.today),
            lambda ctx: {"unclaimed": "1"},
        )
    )
    register(
        Todo(
            role,
            f"{prefix}claims_to_correct",
            _("Payment claims awaiting corrections"),
            "finance:claim_list",
            lambda ctx: finance_queries.claims_to_correct(),
            lambda ctx: {"status": "corrections"},
        )
    )
