"""The ranking in PostgreSQL (a window query over the stored assessments) gives exactly what
the pure rules (recruitment.ranking.rank, the reference) give: generated calls with ties in
points and dates, ties at the line, duplicates, shared addresses, rejected and ineligible ones,
every size of main and reserve list."""

import datetime
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruitment import domain
from recruitment.models import Application, Call, Evaluation
from recruitment.ranking import rank
from recruitment.services import evaluation

START = datetime.date(2012, 8, 6)


@st.composite
def assessments(draw):
    count = draw(st.integers(0, 14))
    sequences = draw(st.permutations(range(1, count + 1)))
    result = []
    for index in range(count):
        number = f"P/{index + 1:03d}"
        result.append(
            domain.Assessment(
                number=number,
                sequence=(sequences[index], number),
                # Few points and days: many ties, in points and in dates.
                submitted_on=START + datetime.timedelta(days=draw(st.integers(0, 2))),
                points=draw(st.sampled_from([0, 5, 10, 10, 15])),
                credits=(),
                not_credited=tuple(draw(st.lists(st.sampled_from(["A", "B"]), max_size=1))),
                formal=("late",) if draw(st.integers(0, 6)) == 0 else (),
                reasons=("income",) if draw(st.integers(0, 6)) == 0 else (),
                pesels=frozenset(draw(st.lists(st.sampled_from("abcdefghijkl"), max_size=2))),
                address=draw(st.sampled_from([None, ("a", "1", ""), ("b", "2", "3")])),
            )
        )
    return result


def make_call(places, reserve_places) -> Call:
    return Call.objects.create(
        code="PROP",
        title="Property",
        opens_on=START,
        deadline=START + datetime.timedelta(days=30),
        places=places,
        reserve_places=reserve_places,
        average_salary=Decimal("3399.52"),
    )


def store(call, items) -> dict[str, int]:
    """Applications and their stored assessments; outcomes left wrong on purpose (every row
    'rejected', no place), and the cross-application reasons and warnings left to the save's
    own refresh."""
    ids = {}
    for item in items:
        application = Application.objects.create(
            call=call,
            number=item.number,
            sequence=item.sequence[0],
            channel=domain.IN_PERSON,
            received_on=item.submitted_on,
            street="x",
            building="1",
            postal_code="84-300",
            monthly_net_income=Decimal(1000),
        )
        ids[item.number] = application.pk
        evaluation._store_assessment(call, application.pk, item)
    pesels = set().union(*(item.pesels for item in items)) if items else set()
    addresses = {item.address for item in items if item.address}
    for item in items:
        evaluation._refresh_links(call, pesels, addresses, also=ids[item.number])
    return ids


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=assessments(),
    places=st.integers(0, 6),
    reserve=st.one_of(st.none(), st.integers(0, 4)),
)
def test_the_database_ranks_as_the_pure_rules(db, items, places, reserve):
    with transaction.atomic():
        call = make_call(places, reserve)
        store(call, items)
        evaluation.rank_in_database(call)
        # The outcomes as the pages and exports read them, in their order.
        stored = [
            (o.number, o.status, o.rank, o.position, o.tie, o.reasons, o.warnings)
            for o in evaluation.current_outcomes(call)
        ]
        expected = [
            (o.number, o.status, o.rank, o.position, o.tie, o.reasons, o.warnings)
            for o in rank(items, call.rules())
        ]
        assert stored == expected
        # Only the main list's places are stored: no save renumbers the reserve, the
        # unlisted, the ineligible or the rejected.
        assert (
            not Evaluation.objects.filter(call=call, position__isnull=False)
            .exclude(status=domain.MAIN)
            .exists()
        )
        assert (
            not Evaluation.objects.filter(call=call, rank__isnull=False)
            .exclude(status=domain.MAIN)
            .exists()
        )
        # The places shown on a page (fill_places) are rank()'s, whichever rows are asked.
        shown = list(Evaluation.objects.filter(call=call).order_by("?")[:5])
        evaluation.fill_places(call, shown)
        by_number = {o.number: o for o in rank(items, call.rules())}
        for row in shown:
            expected = by_number[row.application.number]
            if expected.status in (domain.MAIN, domain.RESERVE, domain.UNLISTED):
                assert (row.rank, row.position) == (expected.rank, expected.position)
        # Ranking again changes nothing: only moved rows are written.
        assert evaluation.rank_in_database(call) == 0
        transaction.set_rollback(True)


def test_a_tie_at_the_line_is_flagged_on_both_lists(db):
    """Three applications with 10 points for two main places: all three carry the tie."""
    items = [
        domain.Assessment(f"T/{n}", (n, f"T/{n}"), START, points, (), (), (), (), frozenset(), None)
        for n, points in [(1, 15), (2, 10), (3, 10), (4, 10), (5, 5)]
    ]
    call = make_call(3, None)
    store(call, items)
    evaluation.rank_in_database(call)
    rows = dict(Evaluation.objects.filter(call=call).values_list("application__number", "tie"))
    assert rows == {"T/1": False, "T/2": True, "T/3": True, "T/4": True, "T/5": False}
