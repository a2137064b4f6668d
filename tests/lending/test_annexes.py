"""Agreements end on their end date, or run on by a signed annex (to the durability end at most);
agreements_in_force_on(as_of) counts each as it stood that day; the agreements waiting for the
coordinator's decision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import roles
from lending import papers, queries
from lending.models import AgreementAnnex, LoanAgreement
from lending.services import agreements
from lending.services.annexes import do_draft_annex, do_sign_annex
from tests import helpers

from .conftest import DAY, snapshot
from .test_papers import pdf_text

D = datetime.date
DURABILITY_END = D(2018, 12, 31)
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def agreement(bare_participant, stock, coordinator):
    """An agreement in force on its original 3-year term (handed over on DAY, ending
    04.03.2016), no annex yet: the demo's own agreements were all extended in 2015."""
    made = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    agreements.do_sign_agreement(made, DAY, actor=coordinator)
    agreements.do_hand_over(made, DAY, actor=coordinator)
    made.refresh_from_db()
    assert (made.ends_on, made.annexes.count()) == (D(2016, 3, 4), 0)
    return made


def state():
    return {
        **snapshot(),
        **helpers.snapshot(
            (AgreementAnnex, "pk", "status", "signed_on", "previous_end", "new_end")
        ),
    }


def extend(agreement, coordinator, *, signed_on, new_end=DURABILITY_END, drafted_on=None):
    annex = do_draft_annex(
        agreement,
        new_end,
        "Zachowanie trwałości projektu do końca okresu trwałości.",
        drafted_on or signed_on,
        actor=coordinator,
    )
    return do_sign_annex(annex, signed_on, actor=coordinator)


def in_force(agreement, day) -> bool:
    return queries.agreements_in_force_on(day).filter(pk=agreement.pk).exists()


def test_a_signed_annex_moves_the_end_and_keeps_the_original(agreement, coordinator):
    original = agreement.ends_on
    signed = original - datetime.timedelta(days=30)
    annex = do_draft_annex(
        agreement, DURABILITY_END, "Trwałość projektu.", signed, actor=coordinator
    )
    agreement.refresh_from_db()
    assert (annex.status, annex.number, agreement.ends_on) == (
        "draft",
        f"{agreement.number}/A1",
        original,
    )
    do_sign_annex(annex, signed, actor=coordinator)
    annex.refresh_from_db()
    agreement.refresh_from_db()
    assert (annex.status, annex.signed_on, annex.previous_end, annex.new_end) == (
        "signed",
        signed,
        original,
        DURABILITY_END,
    )
    assert (agreement.ends_on, agreement.status) == (DURABILITY_END, "active")
    assert annex.recorded_by == coordinator


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        ("handover-1", False),
        ("handover", True),
        ("original_end", True),
        ("original_end+1", False),
    ],
)
def test_an_agreement_without_annex_is_in_force_to_its_end(agreement, offset, expected):
    days = {
        "handover-1": agreement.handed_over_on - ONE_DAY,
        "handover": agreement.handed_over_on,
        "original_end": agreement.ends_on,
        "original_end+1": agreement.ends_on + ONE_DAY,
    }
    assert in_force(agreement, days[offset]) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # The annex was signed 10 days before the original end, to 31.12.2018.
        ("signed-1", True),
        ("original_end", True),
        ("original_end+1", True),
        ("new_end", True),
        ("new_end+1", False),
    ],
)
def test_an_annex_signed_in_time_keeps_the_agreement_in_force(
    agreement, coordinator, day, expected
):
    original = agreement.ends_on
    signed = original - datetime.timedelta(days=10)
    extend(agreement, coordinator, signed_on=signed)
    days = {
        "signed-1": signed - ONE_DAY,
        "original_end": original,
        "original_end+1": original + ONE_DAY,
        "new_end": DURABILITY_END,
        "new_end+1": DURABILITY_END + ONE_DAY,
    }
    assert in_force(agreement, days[day]) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # The annex was signed 20 days after the original end: the gap was not covered.
        ("original_end", True),
        ("original_end+1", False),
        ("signed-1", False),
        ("signed", True),
        ("new_end", True),
    ],
)
def test_an_annex_signed_late_leaves_the_gap_uncovered(agreement, coordinator, day, expected):
    original = agreement.ends_on
    signed = original + datetime.timedelta(days=20)
    new_end = D(2017, 6, 30)
    extend(agreement, coordinator, signed_on=signed, new_end=new_end)
    days = {
        "original_end": original,
        "original_end+1": original + ONE_DAY,
        "signed-1": signed - ONE_DAY,
        "signed": signed,
        "new_end": new_end,
    }
    assert in_force(agreement, days[day]) is expected


def test_two_annexes_each_count_from_its_signature(agreement, coordinator):
    original = agreement.ends_on
    first = original - datetime.timedelta(days=5)
    extend(agreement, coordinator, signed_on=first, new_end=D(2016, 12, 31))
    second = D(2016, 12, 1)
    extend(agreement, coordinator, signed_on=second)
    assert in_force(agreement, D(2016, 12, 31))
    assert in_force(agreement, D(2017, 1, 1))
    assert in_force(agreement, DURABILITY_END)
    assert not in_force(agreement, DURABILITY_END + ONE_DAY)
    assert agreement.annexes.order_by("pk").last().previous_end == D(2016, 12, 31)


def test_an_ended_agreement_is_not_in_force_from_its_end_day(agreement, coordinator):
    extend(agreement, coordinator, signed_on=agreement.ends_on - ONE_DAY)
    ended = D(2017, 3, 15)
    agreements.do_end_agreement(agreement, ended, "Zwrot sprzętu.", actor=coordinator)
    assert in_force(agreement, ended - ONE_DAY)
    assert not in_force(agreement, ended)


def test_agreements_in_force_on_is_one_query(agreement, coordinator, django_assert_num_queries):
    extend(agreement, coordinator, signed_on=agreement.ends_on - ONE_DAY)
    with django_assert_num_queries(1):
        # This one and 74 of the demo's (extended to 31.12.2018; the fixture ended the 75th).
        assert queries.agreements_in_force_on(D(2017, 1, 1)).count() == 75


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (D(2013, 6, 30), 75),
        # Every 3-year term ended in 2015-2016; each was extended by an annex signed in time.
        (D(2016, 6, 30), 75),
        (D(2018, 12, 31), 75),
        # The durability period is over: no agreement is in force, whatever its status says.
        (D(2019, 1, 1), 0),
        (D(2019, 6, 30), 0),
    ],
)
def test_the_demo_agreements_in_force_as_they_stood(db, day, count):
    assert queries.agreements_in_force_on(day).count() == count


def test_each_demo_agreement_was_extended_before_its_term_ended(db):
    signed = AgreementAnnex.objects.filter(status="signed").select_related("agreement")
    assert signed.count() == 75
    for annex in signed:
        assert annex.signed_on < annex.previous_end
        assert annex.new_end == DURABILITY_END == annex.agreement.ends_on


# --- the coordinator's decision -------------------------------------------------------------------


def test_agreements_to_decide_lists_those_ending_soon_and_those_past_their_end(
    agreement, other_agreement, coordinator
):
    day = agreement.ends_on - datetime.timedelta(days=90)
    listed = queries.agreements_to_decide(day)
    assert agreement in listed
    ending = {a.pk: a.past_end for a in listed}
    assert ending[agreement.pk] is False
    assert not queries.agreements_to_decide(day - ONE_DAY).filter(pk=agreement.pk).exists()
    # Past its end and not ended: listed as past its end.
    late = queries.agreements_to_decide(agreement.ends_on + ONE_DAY)
    assert {a.pk: a.past_end for a in late}[agreement.pk] is True
    # A draft annex is the decision being carried out; a signed one moves the end away.
    do_draft_annex(agreement, DURABILITY_END, "Trwałość.", day, actor=coordinator)
    assert not queries.agreements_to_decide(day).filter(pk=agreement.pk).exists()
    # The demo's agreements were extended by their annexes to 31.12.2018.
    assert not queries.agreements_to_decide(day).filter(pk=other_agreement.pk).exists()
    assert queries.agreements_to_decide(D(2018, 10, 2)).filter(pk=other_agreement.pk).exists()
    agreements.do_end_agreement(agreement, day, "Zwrot.", actor=coordinator)
    assert not queries.agreements_to_decide(D(2017, 1, 1)).filter(pk=agreement.pk).exists()


def test_an_agreement_past_its_end_is_not_shown_as_in_force(client, agreement, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    assert "po terminie — wymaga decyzji" in page
    listed = client.get(
        reverse("lending:agreement_list"), {"status": "to_decide", "q": agreement.number}
    )
    assert list(listed.context["page"]) == [agreement]
    assert "po terminie — wymaga decyzji" in listed.content.decode()


def test_an_agreement_extended_to_a_later_end_says_in_force(client, agreement, coordinator):
    agreement.ends_on = D(2099, 1, 1)  # a term still running, whatever today is
    agreement.save(update_fields=["ends_on"])
    client.force_login(coordinator)
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    assert "po terminie" not in page
    assert "obowiązuje, sprzęt przekazany" in page


# --- the pages and the paper --------------------------------------------------------------------


def test_the_office_drafts_signs_and_prints_an_annex(client, agreement, coordinator):
    client.force_login(coordinator)
    drafted = agreement.ends_on - datetime.timedelta(days=40)
    response = client.post(
        reverse("lending:annex_new", args=[agreement.pk]),
        {
            "new_end": "2018-12-31",
            "reason": "Utrzymanie trwałości projektu.",
            "drafted_on": drafted.isoformat(),
        },
    )
    assert response.status_code == 302
    annex = agreement.annexes.get()
    response = client.post(
        reverse("lending:annex_sign", args=[annex.pk]),
        {"signed_on": drafted.isoformat(), "confirm": "on"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.ends_on == DURABILITY_END
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    assert annex.number in page and "31.12.2018" in page
    pdf = client.get(reverse("lending:annex_pdf", args=[annex.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_annex_paper_names_the_parties_and_the_new_wording_of_the_term(agreement, coordinator):
    original = agreement.ends_on
    annex = extend(agreement, coordinator, signed_on=original - datetime.timedelta(days=20))
    text = pdf_text(papers.annex_pdf(annex))
    signatory = agreement.signatory
    assert f"ANEKS nr {annex.number}" in text
    assert f"do umowy użyczenia nr {agreement.number}" in text
    assert "Gmina Miasto Lębork" in text
    # The town is named in the nominative here (the agreement names it in the instrumental),
    # represented by who holds office on the annex's date (test_signatories_on_papers.py).
    assert (
        "reprezentowana przez: Burmistrza Miasta Lęborka — Andrzeja Wiśniewskiego, przy "
        "kontrasygnacie Skarbnika Miasta Lęborka — Stanisława Nowackiego, dalej jako "
        "„Użyczający”" in text
    )
    assert f"{signatory.first_name} {signatory.last_name}" in text
    assert (
        "§ 3 umowy otrzymuje brzmienie: „Umowa zostaje zawarta na czas określony do dnia "
        "31.12.2018" in text
    )
    assert original.strftime("%d.%m.%Y") in text
    assert "Zachowanie trwałości projektu" in text  # the reason


# --- bad input: a clear message next to the field, nothing changed -------------------------------


def test_an_annex_for_an_ended_agreement_is_refused(client, agreement, coordinator):
    agreements.do_end_agreement(agreement, D(2014, 5, 5), "Zwrot.", actor=coordinator)
    before = state()
    with pytest.raises(
        ValidationError, match="nie może przedłużyć umowy, która już nie obowiązuje"
    ):
        do_draft_annex(agreement, DURABILITY_END, "Trwałość.", D(2014, 6, 1), actor=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:annex_new", args=[agreement.pk]),
        {"new_end": "2018-12-31", "reason": "Trwałość.", "drafted_on": "2014-06-01"},
    )
    assert "nie może przedłużyć umowy, która już nie obowiązuje" in str(
        response.context["form"].errors["new_end"]
    )
    assert state() == before


def test_an_annex_for_a_terminated_agreement_is_refused(agreement, coordinator):
    agreement.status = LoanAgreement.Status.TERMINATED
    agreement.ended_on = D(2014, 5, 5)
    agreement.save(update_fields=["status", "ended_on"])
    before = state()
    with pytest.raises(ValidationError, match="rozwiązana"):
        do_draft_annex(agreement, DURABILITY_END, "Trwałość.", D(2014, 6, 1), actor=coordinator)
    assert state() == before


@pytest.mark.parametrize(
    ("new_end", "message"),
    [
        ("before", "Nowy termin musi być późniejszy niż obecny koniec umowy"),
        ("same", "Nowy termin musi być późniejszy niż obecny koniec umowy"),
        ("after_durability", "nie może przypadać po końcu okresu trwałości projektu (31.12.2018)"),
    ],
)
def test_a_new_end_outside_the_allowed_range_is_refused_next_to_the_field(
    client, agreement, coordinator, new_end, message
):
    day = {
        "before": agreement.ends_on - ONE_DAY,
        "same": agreement.ends_on,
        "after_durability": DURABILITY_END + ONE_DAY,
    }[new_end]
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:annex_new", args=[agreement.pk]),
        {"new_end": day.isoformat(), "reason": "Trwałość.", "drafted_on": "2015-09-01"},
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["new_end"])
    assert state() == before


def test_signing_an_annex_whose_end_another_annex_overtook_is_refused(agreement, coordinator):
    day = agreement.ends_on - datetime.timedelta(days=30)
    slow = do_draft_annex(agreement, D(2016, 12, 31), "Trwałość.", day, actor=coordinator)
    extend(agreement, coordinator, signed_on=day)
    before = state()
    with pytest.raises(ValidationError, match="Nowy termin musi być późniejszy"):
        do_sign_annex(slow, day, actor=coordinator)
    assert state() == before


def test_an_annex_cannot_be_signed_twice(agreement, coordinator):
    annex = extend(agreement, coordinator, signed_on=agreement.ends_on - ONE_DAY)
    before = state()
    with pytest.raises(ValidationError, match="jest już podpisany"):
        do_sign_annex(annex, agreement.ends_on, actor=coordinator)
    assert state() == before
