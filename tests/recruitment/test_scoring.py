"""§4.1 points, one row of DOMAIN.md's table (and each interpretation note) per case."""

import datetime
from dataclasses import replace

import pytest

from recruitment.domain import (
    CHILD_CERTIFICATE,
    COURT_DECISION,
    DISABILITY_CERTIFICATE,
    LIGHT,
    MODERATE,
    MOPS_FAMILY_BENEFITS_CERTIFICATE,
    MOPS_SOCIAL_ASSISTANCE_CERTIFICATE,
    SCHOLARSHIP_CONFIRMATION,
    SEVERE,
    SPOUSE,
)
from recruitment.scoring import score

from .rules_helpers import ALL_DOCUMENTS, RULES, adult, application, child, person


def household(n_adults=2, n_children=2, **child_fields):
    members = [adult()] + [adult(role=SPOUSE) for _ in range(n_adults - 1)]
    members += [child(**child_fields) for _ in range(n_children)]
    return members


def summary(app):
    result = score(app, RULES)
    return result.points, [(c.criterion, c.pesel is None, c.points) for c in result.credits]


# (label, application fields, members, expected points, expected [(criterion, household-wide, points)])
CASES = [
    (
        "1: social assistance, 10 x each of 4 people, applicant included",
        {"social_assistance": True},
        household(2, 2),
        40,
        [("1", True, 40)],
    ),
    (
        "1: a person living alone",
        {"social_assistance": True},
        household(1, 0),
        10,
        [("1", True, 10)],
    ),
    (
        "2: family benefits, 5 x each of 5",
        {"family_benefits": True},
        household(2, 3),
        25,
        [("2", True, 25)],
    ),
    (
        "2a: alimony fund, 5 x each of 3",
        {"alimony_fund": True},
        household(1, 2),
        15,
        [("2a", True, 15)],
    ),
    (
        "2 and 2a together, one certificate for both",
        {"family_benefits": True, "alimony_fund": True},
        household(1, 1),
        20,
        [("2", True, 10), ("2a", True, 10)],
    ),
    (
        "1, 2 and 2a together add up",
        {"social_assistance": True, "family_benefits": True, "alimony_fund": True},
        household(1, 1),
        40,
        [("1", True, 20), ("2", True, 10), ("2a", True, 10)],
    ),
    (
        "3: 5 x each pupil with a scholarship",
        {},
        [adult(), child(12, school_scholarship=True), child(15, school_scholarship=True), child(3)],
        10,
        [("3", False, 5), ("3", False, 5)],
    ),
    ("4: severe disability, adult", {}, [adult(disability=SEVERE)], 20, [("4", False, 20)]),
    (
        "4: severe disability, child",
        {},
        [adult(), child(9, disability=SEVERE)],
        20,
        [("4", False, 20)],
    ),
    ("5: moderate disability, adult: 10", {}, [adult(disability=MODERATE)], 10, [("5", False, 10)]),
    ("5: light disability, adult: 10", {}, [adult(disability=LIGHT)], 10, [("5", False, 10)]),
    (
        "5: moderate disability, child: 20",
        {},
        [adult(), child(17, disability=MODERATE)],
        20,
        [("5", False, 20)],
    ),
    (
        "5: light disability, child: 20",
        {},
        [adult(), child(6, disability=LIGHT)],
        20,
        [("5", False, 20)],
    ),
    (
        "5: a child under 16 with a certificate without a degree counts as a child",
        {},
        [adult(), child(8, disability=CHILD_CERTIFICATE)],
        20,
        [("5", False, 20)],
    ),
    (
        "4 and 5 for different people",
        {},
        [
            adult(disability=SEVERE),
            adult(role=SPOUSE, disability=LIGHT),
            child(5, disability=MODERATE),
        ],
        50,
        [("4", False, 20), ("5", False, 10), ("5", False, 20)],
    ),
    (
        "6: foster family, 20 x each foster child",
        {"foster_family": True},
        [adult(), child(7, foster_child=True), child(9, foster_child=True), child(4)],
        40,
        [("6", False, 20), ("6", False, 20)],
    ),
    (
        "7: family children's home, 20 x each child",
        {"family_childrens_home": True},
        [
            adult(),
            child(7, family_home_child=True),
            child(11, family_home_child=True),
            child(12, family_home_child=True),
        ],
        60,
        [("7", False, 20), ("7", False, 20), ("7", False, 20)],
    ),
    ("no criterion claimed: no points", {}, household(2, 2), 0, []),
]


@pytest.mark.parametrize(
    ("fields", "members", "points", "credits"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_points_follow_the_regulation(fields, members, points, credits):
    assert summary(application(members=members, **fields)) == (points, credits)


def test_a_member_turning_18_on_the_deadline_is_an_adult():
    born_18_years_before = RULES.deadline.replace(year=RULES.deadline.year - 18)
    turns_18 = person(born=born_18_years_before, disability=MODERATE)
    one_day_younger = person(
        born=born_18_years_before + datetime.timedelta(days=1), disability=MODERATE
    )
    assert summary(application(members=[adult(), turns_18]))[0] == 10
    assert summary(application(members=[adult(), one_day_younger]))[0] == 20


def test_ages_count_on_the_calls_reference_date():
    teen = person(born=datetime.date(1994, 10, 1), disability=LIGHT)  # 18 on 1 Oct 2012
    app = application(members=[adult(), teen])
    assert score(app, RULES).points == 20  # 17 on the deadline (5 Sep 2012)
    later = replace(RULES, reference_date=datetime.date(2012, 10, 2))
    assert score(app, later).points == 10


@pytest.mark.parametrize(
    ("fields", "members", "document", "criterion"),
    [
        ({"social_assistance": True}, [adult()], MOPS_SOCIAL_ASSISTANCE_CERTIFICATE, "1"),
        ({"family_benefits": True}, [adult()], MOPS_FAMILY_BENEFITS_CERTIFICATE, "2"),
        ({"alimony_fund": True}, [adult()], MOPS_FAMILY_BENEFITS_CERTIFICATE, "2a"),
        ({}, [adult(), child(school_scholarship=True)], SCHOLARSHIP_CONFIRMATION, "3"),
        ({}, [adult(disability=SEVERE)], DISABILITY_CERTIFICATE, "4"),
        ({}, [adult(disability=LIGHT)], DISABILITY_CERTIFICATE, "5"),
        ({"foster_family": True}, [adult(), child(foster_child=True)], COURT_DECISION, "6"),
        (
            {"family_childrens_home": True},
            [adult(), child(family_home_child=True)],
            COURT_DECISION,
            "7",
        ),
    ],
)
def test_a_criterion_without_its_verified_document_is_not_credited(
    fields, members, document, criterion
):
    # A person's own document is taken from the person, a household's from the application.
    members = [replace(m, documents=m.documents - {document}) for m in members]
    app = application(members=members, documents=ALL_DOCUMENTS - {document}, **fields)
    result = score(app, RULES)
    assert result.points == 0
    assert result.not_credited == (criterion,)


def test_every_point_names_its_criterion_and_person():
    disabled = adult(disability=SEVERE)
    pupil = child(14, school_scholarship=True)
    result = score(application(members=[disabled, pupil], social_assistance=True), RULES)
    assert [(c.criterion, c.pesel, c.points) for c in result.credits] == [
        ("1", None, 20),
        ("3", pupil.pesel, 5),
        ("4", disabled.pesel, 20),
    ]
    assert result.points == 45


# DOMAIN.md §5.3: one disability certificate per disabled person, one confirmation per pupil.
PERSONAL_CASES = [
    (
        "two severe, both certified",
        [adult(disability=SEVERE), adult(role=SPOUSE, disability=SEVERE)],
        [True, True],
        [("4", 0, 20), ("4", 1, 20)],
        (),
    ),
    (
        "two severe, one certificate: only its person",
        [adult(disability=SEVERE), adult(role=SPOUSE, disability=SEVERE)],
        [False, True],
        [("4", 1, 20)],
        ("4",),
    ),
    (
        "a certificate of a person who claims nothing credits nobody",
        [adult(), child(disability=LIGHT)],
        [True, False],
        [],
        ("5",),
    ),
    (
        "two pupils, one confirmation",
        [adult(), child(12, school_scholarship=True), child(14, school_scholarship=True)],
        [False, True, False],
        [("3", 1, 5)],
        ("3",),
    ),
]


@pytest.mark.parametrize(
    ("members", "own", "credits", "not_credited"),
    [case[1:] for case in PERSONAL_CASES],
    ids=[case[0] for case in PERSONAL_CASES],
)
def test_a_personal_document_credits_its_person_only(members, own, credits, not_credited):
    all_personal = {DISABILITY_CERTIFICATE, SCHOLARSHIP_CONFIRMATION}
    members = [
        replace(m, documents=frozenset(all_personal if has else ()))
        for m, has in zip(members, own, strict=True)
    ]
    # The household's set holds every document type: it never proves a person's criterion.
    result = score(application(members=members, documents=ALL_DOCUMENTS | all_personal), RULES)
    index = {m.pesel: i for i, m in enumerate(members)}
    assert [(c.criterion, index[c.pesel], c.points) for c in result.credits] == credits
    assert result.not_credited == not_credited
