"""§4.2 eligibility, §5.4-5.5 the formal check, and the ranked lists with ties (FORMATS.md)."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from recruitment.domain import (
    ALWAYS_REQUIRED,
    INCOME_STATEMENT,
    LIGHT,
    MOPS_SOCIAL_ASSISTANCE_CERTIFICATE,
    PARTICIPATION_DECLARATION,
    POST,
    RECOMMENDATION,
    SEVERE,
    SPOUSE,
)
from recruitment.ranking import evaluate

from .rules_helpers import ALL_DOCUMENTS, DEADLINE, RULES, adult, application, child


def outcome(app, rules=RULES):
    (result,) = evaluate([app], rules)
    return result


def eligible_app(number="2012/001", **fields):
    fields.setdefault("social_assistance", True)
    return application(number=number, **fields)


# --- the formal check -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "late"),
    [
        ({"received_on": DEADLINE}, False),
        ({"received_on": DEADLINE + datetime.timedelta(days=1)}, True),
        (
            {
                "channel": POST,
                "postmarked_on": DEADLINE,
                "received_on": DEADLINE + datetime.timedelta(days=3),
            },
            False,
        ),
        (
            {
                "channel": POST,
                "postmarked_on": DEADLINE + datetime.timedelta(days=1),
                "received_on": DEADLINE + datetime.timedelta(days=2),
            },
            True,
        ),
    ],
    ids=[
        "in person on the deadline",
        "in person a day late",
        "postmarked on the deadline, arrived later",
        "postmarked a day late",
    ],
)
def test_the_submission_date_decides_lateness(fields, late):
    result = outcome(eligible_app(**fields))
    assert (result.status == "rejected") == late
    assert ("late" in result.reasons) == late


def test_each_missing_always_document_is_a_reason_and_the_application_is_not_scored():
    app = eligible_app(documents=ALL_DOCUMENTS - {RECOMMENDATION, PARTICIPATION_DECLARATION})
    result = outcome(app)
    assert result.status == "rejected"
    assert result.reasons == (
        "missing_document:participation_declaration",
        "missing_document:recommendation",
    )
    assert (result.points, result.breakdown, result.rank) == (0, (), None)


def test_late_and_incomplete_gives_both_reasons_late_first():
    app = eligible_app(
        received_on=DEADLINE + datetime.timedelta(days=5),
        documents=ALL_DOCUMENTS - {INCOME_STATEMENT},
    )
    assert outcome(app).reasons == ("late", "missing_document:income_statement")


def test_the_required_set_is_a_parameter_of_the_call():
    app = eligible_app(documents=ALL_DOCUMENTS - {RECOMMENDATION})
    rules = replace(
        RULES, required_documents=tuple(d for d in ALWAYS_REQUIRED if d != RECOMMENDATION)
    )
    assert outcome(app, rules).status == "main"


# --- eligibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"social_assistance": False}, "no_criterion"),
        ({"documents": ALL_DOCUMENTS - {MOPS_SOCIAL_ASSISTANCE_CERTIFICATE}}, "no_criterion"),
        ({"city": "Łeba"}, "outside_town"),
        ({"has_computer": True}, "has_computer"),
        ({"has_internet": True}, "has_internet"),
    ],
)
def test_each_eligibility_condition(fields, reason):
    result = outcome(eligible_app(**fields))
    assert result.status == "ineligible"
    assert result.reasons == (reason,)


def test_town_names_compare_without_case_or_accents():
    assert outcome(eligible_app(city=" LEBORK ")).status == "main"


def test_a_computer_and_internet_give_two_reasons_in_order():
    result = outcome(eligible_app(has_computer=True, has_internet=True, city="Gdynia"))
    assert result.reasons == ("outside_town", "has_computer", "has_internet")


def test_ineligible_applications_keep_their_points_for_the_committee():
    result = outcome(eligible_app(has_internet=True, members=[adult(), child()]))
    assert (result.status, result.points, result.rank) == ("ineligible", 20, None)


# §4.2.5 with the GUS average salary 3,399.52 PLN: 50% = 1,699.76 per person, 65% = 2,209.688 alone.
# DOMAIN.md: the ceiling limits the disability criteria (4, 5), not the household.
CEILING_CASES = [
    # (label, members, income, other criterion, status, points, reasons, warnings)
    ("alone at 65%", [adult(disability=SEVERE)], "2209.68", False, "main", 20, (), ()),
    (
        "alone above 65%, disability all it had",
        [adult(disability=SEVERE)],
        "2209.69",
        False,
        "ineligible",
        0,
        ("income_above_disability_ceiling",),
        (),
    ),
    (
        "alone above 65% with social assistance: eligible, 4 not credited",
        [adult(disability=SEVERE)],
        "2209.69",
        True,
        "main",
        10,
        (),
        ("income_above_disability_ceiling",),
    ),
    ("two at 50%", [adult(disability=SEVERE), child()], "3399.52", False, "main", 20, (), ()),
    (
        "two above 50%",
        [adult(disability=SEVERE), child()],
        "3399.53",
        False,
        "ineligible",
        0,
        ("income_above_disability_ceiling",),
        (),
    ),
    (
        "four at 50%, a child with a light disability",
        [adult(), adult(role=SPOUSE), child(), child(disability=LIGHT)],
        "6799.04",
        True,
        "main",
        60,
        (),
        (),
    ),
    (
        "four above 50% with social assistance: 40 points, not 60",
        [adult(), adult(role=SPOUSE), child(), child(disability=LIGHT)],
        "6799.05",
        True,
        "main",
        40,
        (),
        ("income_above_disability_ceiling",),
    ),
]


@pytest.mark.parametrize(
    ("members", "income", "other", "status", "points", "reasons", "warnings"),
    [case[1:] for case in CEILING_CASES],
    ids=[case[0] for case in CEILING_CASES],
)
def test_the_disability_income_ceiling(members, income, other, status, points, reasons, warnings):
    app = application(members=members, monthly_net_income=Decimal(income), social_assistance=other)
    result = outcome(app)
    assert (result.status, result.points, result.reasons, result.warnings) == (
        status,
        points,
        reasons,
        warnings,
    )
    assert not [c for c in result.breakdown if c.criterion in ("4", "5")] or not warnings


def test_over_the_ceiling_a_claimed_disability_without_its_certificate_is_both_warned():
    app = eligible_app(
        members=[adult(disability=SEVERE, documents=frozenset())],
        monthly_net_income=Decimal("5000"),
    )
    result = outcome(app)
    assert (result.status, result.reasons) == ("main", ())
    assert result.warnings == ("income_above_disability_ceiling", "criterion_not_credited:4")


def test_over_the_ceiling_with_nothing_proven_is_no_criterion():
    """Disability claimed without its certificate and nothing else: it had no criterion at all."""
    app = application(
        members=[adult(disability=SEVERE, documents=frozenset())],
        monthly_net_income=Decimal("5000"),
    )
    assert outcome(app).reasons == ("no_criterion",)


def test_no_ceiling_without_a_disability():
    assert outcome(eligible_app(monthly_net_income=Decimal("99999"))).status == "main"


def test_the_ceiling_follows_the_calls_average_salary():
    app = application(members=[adult(disability=SEVERE)], monthly_net_income=Decimal("2300"))
    assert outcome(app).status == "ineligible"
    assert outcome(app, replace(RULES, average_salary=Decimal("3571.68"))).status == "main"


# --- one application per household -------------------------------------------------------


def test_a_pesel_in_an_earlier_application_makes_the_later_one_a_duplicate():
    shared = adult()
    first = eligible_app("2012/002", members=[shared])
    second = eligible_app("2012/010", members=[adult(), replace(shared, role=SPOUSE)])
    results = {o.number: o for o in evaluate([second, first], RULES)}
    assert results["2012/002"].status == "main"
    assert results["2012/010"].status == "ineligible"
    assert results["2012/010"].reasons == ("duplicate_household",)


def test_registration_order_is_numeric_not_alphabetical():
    shared = adult()
    results = {
        o.number: o
        for o in evaluate(
            [eligible_app("2012/10", members=[shared]), eligible_app("2012/9", members=[shared])],
            RULES,
        )
    }
    assert results["2012/9"].status == "main"
    assert results["2012/10"].reasons == ("duplicate_household",)


def test_the_same_address_is_only_a_warning_both_ways():
    a = eligible_app("2012/001", street="ul. Krzywoustego", building="5", flat="3")
    b = eligible_app("2012/002", street="KRZYWOUSTEGO", building="5", flat="3")
    c = eligible_app("2012/003", street="ul. Krzywoustego", building="5", flat="4")
    results = {o.number: o for o in evaluate([a, b, c], RULES)}
    assert results["2012/001"].warnings == ("same_address_as:2012/002",)
    assert results["2012/002"].warnings == ("same_address_as:2012/001",)
    assert results["2012/003"].warnings == ()
    assert {o.status for o in results.values()} == {"main"}


# --- the lists -----------------------------------------------------------------------------------


def people(n):
    return [adult()] + [child() for _ in range(n - 1)]


def test_more_points_first_then_earlier_submission_then_earlier_number():
    apps = [
        eligible_app("2012/001", members=people(2), received_on=datetime.date(2012, 8, 30)),  # 20
        eligible_app("2012/002", members=people(3), received_on=datetime.date(2012, 9, 1)),  # 30
        eligible_app(
            "2012/003", members=people(2), received_on=datetime.date(2012, 8, 10)
        ),  # 20, earlier
        eligible_app(
            "2012/004",
            members=people(2),
            channel=POST,
            postmarked_on=datetime.date(2012, 8, 10),
            received_on=datetime.date(2012, 8, 14),
        ),  # 20, same day as 003 by postmark
    ]
    results = evaluate(apps, RULES)
    assert [(o.number, o.rank, o.points) for o in results] == [
        ("2012/002", 1, 30),
        ("2012/003", 2, 20),
        ("2012/004", 3, 20),
        ("2012/001", 4, 20),
    ]


def test_main_and_reserve_lists_with_a_tie_at_the_line():
    rules = replace(RULES, places=2)
    apps = [
        eligible_app("2012/001", members=people(4)),  # 40
        eligible_app("2012/002", members=people(3)),  # 30
        eligible_app("2012/003", members=people(3)),  # 30 -> reserve, same points as the last main
        eligible_app("2012/004", members=people(1)),  # 10
    ]
    results = evaluate(apps, rules)
    assert [(o.number, o.status, o.rank, o.tie) for o in results] == [
        ("2012/001", "main", 1, False),
        ("2012/002", "main", 2, True),
        ("2012/003", "reserve", 3, True),
        ("2012/004", "reserve", 4, False),
    ]


def test_no_tie_flag_when_no_reserve_application_has_the_line_points():
    rules = replace(RULES, places=2)
    apps = [
        eligible_app("2012/001", members=people(3)),
        eligible_app("2012/002", members=people(3)),
        eligible_app("2012/003", members=people(2)),
    ]
    assert [o.tie for o in evaluate(apps, rules)] == [False, False, False]


def test_a_limited_reserve_list_leaves_the_rest_unlisted():
    rules = replace(RULES, places=1, reserve_places=1)
    apps = [eligible_app(f"2012/00{i}", members=people(5 - i)) for i in range(1, 4)]
    assert [(o.number, o.status, o.rank) for o in evaluate(apps, rules)] == [
        ("2012/001", "main", 1),
        ("2012/002", "reserve", 2),
        ("2012/003", "unlisted", None),
    ]


def test_export_order_is_status_then_rank_then_number():
    apps = [
        eligible_app("2012/005", received_on=DEADLINE + datetime.timedelta(days=1)),
        eligible_app("2012/004", has_computer=True),
        eligible_app("2012/003", members=people(2)),
        eligible_app("2012/002", documents=ALL_DOCUMENTS - {RECOMMENDATION}),
        eligible_app("2012/001", has_internet=True),
    ]
    results = evaluate(apps, replace(RULES, places=1))
    assert [(o.number, o.status) for o in results] == [
        ("2012/003", "main"),
        ("2012/001", "ineligible"),
        ("2012/004", "ineligible"),
        ("2012/002", "rejected"),
        ("2012/005", "rejected"),
    ]
