"""The claim list reads every claim's documents at once: the same number of queries for the
demo's three claims as for twelve."""

from decimal import Decimal

from django.urls import reverse

from finance import queries
from finance.models import PaymentClaim
from tests.factories import ExpenditureFactory, PaymentClaimFactory

# The session, the user, their roles, the agreement, the claims, their documents (with their
# lines), the session's update and the request's savepoints: 11 whatever the number of claims
# (reading each claim's documents apart was 13 at 3 claims and 22 at 12).
MAX_QUERIES = 11


def _list(client):
    response = client.get(reverse("finance:claim_list"))
    assert response.status_code == 200
    return response.context["claims"]


def test_the_demo_claims_are_listed_in_a_bounded_number_of_queries(
    officer_client, django_assert_max_num_queries
):
    assert PaymentClaim.objects.count() == 3
    with django_assert_max_num_queries(MAX_QUERIES):
        listed = _list(officer_client)
    assert len(listed) == 3


def test_twelve_claims_take_no_more_queries_and_keep_their_sums(
    officer_client, django_assert_max_num_queries
):
    for _ in range(9):
        claim = PaymentClaimFactory()
        ExpenditureFactory.create_batch(2, claim=claim)
    assert PaymentClaim.objects.count() == 12
    with django_assert_max_num_queries(MAX_QUERIES):
        listed = _list(officer_client)
    assert len(listed) == 12
    for claim, summary in listed:
        # The same figures as the claim's own summary, read document by document.
        assert summary == queries.claim_summary(PaymentClaim.objects.get(pk=claim.pk))
    new = [summary for claim, summary in listed if claim.number >= 100]
    assert [s["total"]["eligible"] for s in new] == [Decimal("2460.00")] * 9
