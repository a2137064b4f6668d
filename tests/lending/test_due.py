"""What is due: agreements ending in the next 90 days, equipment to come back, notes to return,
households waiting for an agreement; and the household's page with everything that happened."""

import datetime

from django.urls import reverse

from lebork_einclusion import roles
from lending import queries
from lending.models import LoanAgreement, Participant
from lending.services import agreements, participation

from .conftest import DAY, END_DAY


def test_agreements_ending_in_the_next_90_days(db):
    earliest = LoanAgreement.objects.filter(status="active").order_by("ends_on", "pk").first()
    today = earliest.ends_on - datetime.timedelta(days=90)
    ending = list(agreements.expiring_agreements(today))
    assert earliest in ending
    assert all(today <= a.ends_on <= today + datetime.timedelta(days=90) for a in ending)
    assert earliest not in agreements.expiring_agreements(today - datetime.timedelta(days=1))
    assert not agreements.expiring_agreements(datetime.date(2020, 1, 1)).exists()


def test_returns_and_notes_to_release_follow_the_end(agreement, coordinator):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    item = agreement.items.get(asset__kind="computer_set")
    assert item in agreements.returns_due()
    assert agreement.note not in agreements.notes_to_release()
    agreements.do_record_return(agreement, [(item.asset, "good", "")], DAY, actor=coordinator)
    assert item not in agreements.returns_due()
    # The router is still out: the note secures it.
    assert agreement.note not in agreements.notes_to_release()
    router = agreement.items.get(asset__kind="router")
    agreements.do_record_return(agreement, [(router.asset, "good", "")], DAY, actor=coordinator)
    assert agreement.note in agreements.notes_to_release()


def test_the_due_page_lists_the_waiting_household(
    client, participant, coordinator, django_assert_max_num_queries
):
    participation.do_end_participation(
        participant, "termination", END_DAY, "Kryteria.", statement_on=END_DAY, actor=coordinator
    )
    promoted = Participant.objects.get(promoted_by__participant=participant)
    client.force_login(coordinator)
    # One query per list: three more since the providers' contracts, the connections without
    # a contract and the insurance are listed (issue 14).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("lending:due"))
    page = response.content.decode()
    assert promoted.application.number in page
    assert agreement_number(participant) in page  # its set is due back


def agreement_number(participant):
    return participant.agreements.get().number


def test_the_household_page_shows_agreement_assets_connection_and_history(
    client, participant, agreement, make_user, django_assert_max_num_queries
):
    client.force_login(make_user(roles.MONITORING))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("lending:participant_detail", args=[participant.pk]))
    page = response.content.decode()
    asset = agreement.items.get(asset__kind="computer_set").asset
    assert agreement.number in page
    assert asset.serial_number in page
    assert agreement.note.number in page
    assert (
        reverse("lending:connection_detail", args=[queries.active_connection(participant).pk])
        in page
    )
    assert "przekazany" in page  # the handover in the equipment's history
    # The monitoring officer may propose an exclusion but not end the participation.
    assert reverse("lending:exclusion_propose", args=[participant.pk]) in page
    assert reverse("lending:participant_end", args=[participant.pk]) not in page
