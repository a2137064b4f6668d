"""The award rule and the step table as plain data (no database)."""

from decimal import Decimal

from django.utils import translation

from procurement import workflow
from procurement.models import Procedure
from procurement.workflow import OfferFacts, award_refusal, locked_changes

S = Procedure.Status


def offer(key, price, score=None, rejected=False):
    return OfferFacts(key, f"Wykonawca {key}", Decimal(price), score and Decimal(score), rejected)


def test_with_price_only_and_no_scores_the_cheapest_wins():
    offers = [offer(1, "100"), offer(2, "90"), offer(3, "80", rejected=True)]
    assert award_refusal(offers[1], offers, 100) is None
    with translation.override("en"):
        assert "Wykonawca 2 offered 90.00" in award_refusal(offers[0], offers, 100)


def test_scores_decide_when_there_are_any():
    offers = [offer(1, "100", "95"), offer(2, "90", "90")]
    assert award_refusal(offers[0], offers, 60) is None
    assert award_refusal(offers[1], offers, 60) is not None


def test_equal_scores_both_may_win():
    offers = [offer(1, "100", "95"), offer(2, "90", "95")]
    assert award_refusal(offers[0], offers, 60) is None
    assert award_refusal(offers[1], offers, 60) is None


def test_without_scores_other_criteria_need_scores_first():
    offers = [offer(1, "100"), offer(2, "90")]
    assert award_refusal(offers[1], offers, 80) is not None


def test_each_status_allows_its_steps_only():
    assert workflow.possible_steps(S.IN_PREPARATION) == {"edit", "announce"}
    assert workflow.possible_steps(S.ANNOUNCED) == {"edit", "record_offer", "open_offers", "annul"}
    assert workflow.possible_steps(S.OFFERS_OPENED) == {
        "record_offer",
        "evaluate_offer",
        "award",
        "annul",
    }
    assert workflow.possible_steps(S.AWARDED) == {"sign_contract", "annul"}
    assert workflow.possible_steps(S.CONTRACT_SIGNED) == set()
    assert workflow.possible_steps(S.ANNULLED) == {"reannounce"}


def test_locked_changes_names_only_changed_core_fields():
    signed = {"number": "1", "value_gross": Decimal("10"), "notes": "a"}
    assert locked_changes(signed, {"number": "1", "value_gross": Decimal("10"), "notes": "b"}) == []
    assert locked_changes(signed, {"number": "2", "value_gross": Decimal("11")}) == [
        "number",
        "value_gross",
    ]
