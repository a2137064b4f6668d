"""The households waiting for an agreement (the agreement list's box, the participant list's
number, the due page): read from the flag the database keeps on the participant
(Participant.has_open_agreement, triggers on both tables), one partial index's rows at any size."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from lebork_einclusion import roles
from lending.models import LoanAgreement, Participant, ParticipantEvent
from lending.services import agreements
from lending.services.participation import participants_waiting_for_agreement
from lending.views import agreements as agreement_views

from .conftest import DAY


def wrong_flags() -> list[int]:
    """The participants whose flag differs from "has an agreement drafted, signed or in
    force" read from the agreements themselves."""
    open_agreement = LoanAgreement.objects.filter(
        participant=OuterRef("pk"), status__in=LoanAgreement.OPEN_STATUSES
    )
    return [
        p.pk
        for p in Participant.objects.annotate(really=Exists(open_agreement))
        if p.has_open_agreement != p.really
    ]


def test_the_demo_flags_are_the_agreements(db):
    assert wrong_flags() == []
    # 75 households with an agreement in force; the resigned and the excluded ones ended.
    assert Participant.objects.filter(has_open_agreement=True).count() == 75
    assert not participants_waiting_for_agreement().exists()


def test_the_flag_follows_each_agreement_through_its_life(
    participant, coordinator, bare_participant, stock
):
    # Ended and returned (bare_participant): the household waits for a new agreement.
    assert bare_participant.has_open_agreement is False
    assert list(participants_waiting_for_agreement()) == [bare_participant]
    draft = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    assert Participant.objects.get(pk=participant.pk).has_open_agreement is True
    assert not participants_waiting_for_agreement().exists()
    agreements.do_cancel_draft(LoanAgreement.objects.get(pk=draft.pk), actor=coordinator)
    assert list(participants_waiting_for_agreement()) == [bare_participant]
    assert wrong_flags() == []


def test_a_stale_participant_saved_whole_keeps_the_flag_of_the_database(participant):
    stale = Participant.objects.get(pk=participant.pk)
    assert stale.has_open_agreement is True
    LoanAgreement.objects.filter(participant=participant).update(status="ended")
    stale.phone = "600 100 200"
    stale.save()  # every column, the flag read before the agreement ended among them
    assert Participant.objects.get(pk=participant.pk).has_open_agreement is False
    LoanAgreement.objects.filter(participant=participant, status="ended").update(status="active")
    assert Participant.objects.get(pk=participant.pk).has_open_agreement is True
    assert wrong_flags() == []


def test_the_flag_is_no_change_in_the_audit_trail(participant):
    before = ParticipantEvent.objects.filter(pgh_obj=participant).count()
    LoanAgreement.objects.filter(participant=participant).update(status="ended")
    assert Participant.objects.get(pk=participant.pk).has_open_agreement is False
    assert ParticipantEvent.objects.filter(pgh_obj=participant).count() == before


def test_the_agreement_list_says_how_many_await_a_decision(client, make_user, monkeypatch):
    client.force_login(make_user(roles.COORDINATOR))
    # The number walks at most paging.COUNT_LIMIT rows: "5000+" above.
    monkeypatch.setattr(agreement_views, "count_text", lambda rows: "5000+")
    page = client.get(reverse("lending:agreement_list")).content.decode()
    assert "5000+ umów czeka na decyzję koordynatora" in page
    monkeypatch.setattr(agreement_views, "count_text", lambda rows: 2)
    page = client.get(reverse("lending:agreement_list")).content.decode()
    assert "2 umowy czekają na decyzję koordynatora" in page
    monkeypatch.setattr(agreement_views, "count_text", lambda rows: 0)
    page = client.get(reverse("lending:agreement_list")).content.decode()
    assert "na decyzję koordynatora" not in page
