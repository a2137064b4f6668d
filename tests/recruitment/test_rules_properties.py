"""Properties of the rules over generated applications (hypothesis)."""

import datetime
import itertools
import random
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lebork_einclusion.pesel import make_pesel
from recruitment.domain import (
    ALWAYS_REQUIRED,
    APPLICANT,
    CRITERION_DOCUMENT,
    DISABILITIES,
    DISABILITY_CRITERIA,
    IN_PERSON,
    INCOME_ABOVE_CEILING,
    MAIN,
    PERSONAL_DOCUMENTS,
    POST,
    RESERVE,
    SEVERE,
    ApplicationData,
    MemberData,
)
from recruitment.ranking import evaluate
from recruitment.scoring import above_disability_ceiling, score

from .rules_helpers import RULES

# The household's documents; a person's own (criteria 3-5) are drawn on each member.
DOCUMENTS = sorted(
    (set(ALWAYS_REQUIRED) | set(CRITERION_DOCUMENT.values())) - set(PERSONAL_DOCUMENTS)
)


@st.composite
def members(draw, serial_base):
    count = draw(st.integers(1, 6))
    result = []
    for index in range(count):
        born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2012, 9, 1)))
        result.append(
            MemberData(
                pesel=make_pesel(born, serial_base + index, draw(st.booleans())),
                role=APPLICANT if index == 0 else "other",
                disability=draw(st.sampled_from(sorted(DISABILITIES))),
                school_scholarship=draw(st.booleans()),
                foster_child=draw(st.booleans()),
                family_home_child=draw(st.booleans()),
                documents=frozenset(draw(st.sets(st.sampled_from(PERSONAL_DOCUMENTS)))),
            )
        )
    return tuple(result)


@st.composite
def applications(draw, number=1):
    channel = draw(st.sampled_from([IN_PERSON, POST]))
    day = draw(st.dates(datetime.date(2012, 8, 6), datetime.date(2012, 9, 10)))
    return ApplicationData(
        number=f"2012/{number:03d}",
        channel=channel,
        received_on=day + datetime.timedelta(days=3 if channel == POST else 0),
        postmarked_on=day if channel == POST else None,
        street=draw(st.sampled_from(["ul. Krzywoustego", "ul. Kossaka", "ul. Czołgistów"])),
        building=str(draw(st.integers(1, 3))),
        flat=str(draw(st.integers(1, 3))),
        city=draw(st.sampled_from(["Lębork", "Lębork", "Lębork", "Łeba"])),
        has_computer=draw(st.booleans()) and draw(st.booleans()),
        has_internet=draw(st.booleans()) and draw(st.booleans()),
        monthly_net_income=Decimal(draw(st.integers(0, 900_000))) / 100,
        social_assistance=draw(st.booleans()),
        family_benefits=draw(st.booleans()),
        alimony_fund=draw(st.booleans()),
        foster_family=draw(st.booleans()),
        family_childrens_home=draw(st.booleans()),
        members=draw(members(serial_base=number * 7 % 990)),
        documents=frozenset(draw(st.sets(st.sampled_from(DOCUMENTS)))),
    )


@st.composite
def calls(draw):
    count = draw(st.integers(0, 25))
    apps = [draw(applications(number=i + 1)) for i in range(count)]
    places = draw(st.integers(0, 10))
    return apps, replace(RULES, places=places)


@given(applications())
def test_points_are_never_negative(app):
    assert score(app, RULES).points >= 0


@given(applications(), st.dates(datetime.date(1930, 1, 1), datetime.date(2012, 9, 1)))
def test_a_member_who_brings_a_credited_criterion_never_lowers_the_points(app, born):
    newcomer = MemberData(
        pesel=make_pesel(born, 999, True),
        disability=SEVERE,
        documents=frozenset({CRITERION_DOCUMENT["4"]}),
    )
    bigger = replace(app, members=(*app.members, newcomer))
    gain = 0 if above_disability_ceiling(bigger, RULES) else 20
    assert score(bigger, RULES).points >= score(app, RULES).points + gain


def _other_credits(result):
    return [c for c in result.credits if c.criterion not in DISABILITY_CRITERIA]


@given(applications(), st.integers(0, 2_000_000))
def test_the_income_ceiling_limits_only_the_disability_criteria(app, cents):
    """§4.2.5 as DOMAIN.md reads it: the income changes nothing but criteria 4 and 5, which are
    never credited above the ceiling."""
    other = replace(app, monthly_net_income=Decimal(cents) / 100)
    assert _other_credits(score(app, RULES)) == _other_credits(score(other, RULES))
    for candidate in (app, other):
        credited = {c.criterion for c in score(candidate, RULES).credits}
        if above_disability_ceiling(candidate, RULES):
            assert credited.isdisjoint(DISABILITY_CRITERIA)


@given(applications())
def test_the_ceiling_rejects_only_when_disability_was_all_the_household_had(app):
    (result,) = evaluate([app], RULES)
    result_score = score(app, RULES)
    rejected_for_it = INCOME_ABOVE_CEILING in result.reasons
    assert rejected_for_it == (
        above_disability_ceiling(app, RULES)
        and not result_score.credits
        and bool(result_score.withheld)
        and result.status != "rejected"
    )
    # Otherwise over the ceiling the committee is warned (criteria 4 and 5 not credited).
    if (
        above_disability_ceiling(app, RULES)
        and result_score.credits
        and result.status != "rejected"
    ):
        assert INCOME_ABOVE_CEILING in result.warnings


@given(applications(), st.data())
def test_a_personal_certificate_credits_its_person_only(app, data):
    """One certificate per disabled member: taking one person's away changes that person's
    points only."""
    index = data.draw(st.integers(0, len(app.members) - 1))
    member = app.members[index]
    stripped = replace(member, documents=frozenset())
    without = replace(app, members=(*app.members[:index], stripped, *app.members[index + 1 :]))
    before = [c for c in score(app, RULES).credits if c.pesel != member.pesel]
    after = [c for c in score(without, RULES).credits if c.pesel != member.pesel]
    assert before == after
    assert not [
        c
        for c in score(without, RULES).credits
        if c.pesel == member.pesel and c.criterion in ("3", "4", "5")
    ]


@settings(max_examples=60)
@given(calls(), st.randoms())
def test_the_order_is_total_and_deterministic(call, rnd):
    apps, rules = call
    shuffled = list(apps)
    rnd.shuffle(shuffled)
    assert evaluate(shuffled, rules) == evaluate(apps, rules)


@settings(max_examples=60)
@given(calls())
def test_the_lists_are_consistent(call):
    apps, rules = call
    results = evaluate(apps, rules)
    by_status = {status: [o for o in results if o.status == status] for status in (MAIN, RESERVE)}
    eligible = [o for o in results if o.status in (MAIN, RESERVE, "unlisted")]
    # The main list holds min(places, eligible); nothing is both main and reserve; one each.
    assert len(by_status[MAIN]) == min(rules.places, len(eligible))
    assert len({o.number for o in results}) == len(results) == len(apps)
    # Ranks run 1..n over main then reserve; points never rise down the list.
    ranked = by_status[MAIN] + by_status[RESERVE]
    assert [o.rank for o in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.points >= b.points for a, b in itertools.pairwise(ranked))
    # Only ranked applications have a rank; only eligible ones are free of reasons.
    assert all(o.rank is None for o in results if o.status not in (MAIN, RESERVE))
    assert all((o.reasons == ()) == (o.status in (MAIN, RESERVE, "unlisted")) for o in results)
    assert all(o.points == sum(c.points for c in o.breakdown) for o in results)
    # Ties: exactly the ranked ones with the line's points, when the reserve shares them.
    if by_status[MAIN] and by_status[RESERVE]:
        line = by_status[MAIN][-1].points
        shared = any(o.points == line for o in by_status[RESERVE])
        assert all(o.tie == (shared and o.points == line) for o in ranked)
    else:
        assert not any(o.tie for o in results)


def test_a_big_call_ranks_in_one_pass():
    """Not a timing test: a smoke check that 2,000 applications evaluate consistently."""
    rnd = random.Random(7)
    apps = []
    for number in range(1, 2001):
        apps.append(
            ApplicationData(
                number=f"2012/{number:04d}",
                received_on=datetime.date(2012, 8, 6) + datetime.timedelta(days=rnd.randrange(31)),
                members=(
                    MemberData(
                        pesel=make_pesel(
                            datetime.date(1970, 1, 1) + datetime.timedelta(days=number),
                            number % 1000,
                            True,
                        ),
                        role=APPLICANT,
                    ),
                ),
                social_assistance=True,
                documents=frozenset(DOCUMENTS),
                street=f"ul. {number}",
            )
        )
    results = evaluate(apps, RULES)
    assert len([o for o in results if o.status == MAIN]) == 75
    assert len([o for o in results if o.status == RESERVE]) == 2000 - 75
