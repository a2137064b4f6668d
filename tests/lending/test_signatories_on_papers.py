"""The annex and the protocol of handover for ownership name who held office for the town on
their own date (lebork_einclusion.signatories.for_day), in the cases the agreement uses, not
who signed the agreement years before."""

import datetime

import pytest
from django.db.models import Q

from lebork_einclusion.models import Officeholder
from lending import papers
from lending.services import agreements
from lending.services.transfers import do_transfer_ownership

from .conftest import DAY
from .test_annexes import extend
from .test_papers import pdf_text

D = datetime.date
LAST = D(2018, 12, 31)
CHANGE = D(2015, 12, 31)  # the last day of the old mayor and treasurer in this test


@pytest.fixture
def agreement(bare_participant, stock, coordinator):
    made = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    agreements.do_sign_agreement(made, DAY, actor=coordinator)
    agreements.do_hand_over(made, DAY, actor=coordinator)
    made.refresh_from_db()
    return made


@pytest.fixture
def new_officeholders(db):
    """A new mayor and a new treasurer from 1.01.2016 (the demo's terms end on CHANGE)."""
    Officeholder.objects.filter(office="mayor", valid_from=D(2014, 12, 8)).update(valid_to=CHANGE)
    Officeholder.objects.filter(office="treasurer", valid_from__lt=CHANGE).update(valid_to=CHANGE)
    Officeholder.objects.filter(office="treasurer", valid_from__gt=CHANGE).update(
        valid_from=CHANGE + datetime.timedelta(days=1)
    )
    Officeholder.objects.create(
        office="mayor",
        name="Witold Nowowybrany",
        name_genitive="Witolda Nowowybranego",
        name_accusative="Witolda Nowowybranego",
        title="Burmistrz Miasta Lęborka",
        title_genitive="Burmistrza Miasta Lęborka",
        title_accusative="Burmistrza Miasta Lęborka",
        valid_from=CHANGE + datetime.timedelta(days=1),
        valid_to=D(2018, 12, 31),
    )
    return Officeholder.objects.get(office="treasurer", valid_from__gt=CHANGE)


def test_the_annex_names_the_officeholders_of_its_date(agreement, coordinator, new_officeholders):
    treasurer = new_officeholders
    annex = extend(agreement, coordinator, signed_on=D(2016, 2, 10))
    text = pdf_text(papers.annex_pdf(annex))
    assert (
        "reprezentowana przez: Burmistrza Miasta Lęborka — Witolda Nowowybranego, przy kontrasygnacie "
        f"{treasurer.title_genitive} — {treasurer.name_genitive}, dalej jako „Użyczający”"
    ) in text
    assert "Gmina Miasto Lębork" in text
    assert "Wiśniewski" not in text and "Nowacki" not in text
    assert "Burmistrz Miasta Lęborka Witold Nowowybrany" in text  # under the signature
    # The agreement itself still names who signed it in 2013.
    agreement_text = pdf_text(papers.agreement_pdf(agreement))
    assert "Andrzeja Wiśniewskiego" in agreement_text
    assert "Nowowybranego" not in agreement_text


def test_the_transfer_protocol_names_the_officeholders_of_its_day(
    agreement, coordinator, new_officeholders
):
    treasurer = new_officeholders
    transfer = do_transfer_ownership(agreement, LAST, "Zarządzenie nr 1/2019.", actor=coordinator)
    text = pdf_text(papers.transfer_pdf(transfer))
    assert (
        "reprezentowana przez: Burmistrza Miasta Lęborka — Witolda Nowowybranego, przy "
        f"kontrasygnacie {treasurer.title_genitive} — {treasurer.name_genitive}, dalej jako "
        "„Użyczający”"
    ) in text
    assert "Wiśniewskiego" not in text


def test_a_day_with_nobody_in_office_leaves_the_line_to_fill_in(agreement, coordinator):
    # Nobody recorded as mayor on the day: nobody is named rather than a wrong name.
    Officeholder.objects.filter(office__in=("mayor", "proxy"), valid_from__lt=LAST).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=LAST)
    ).update(valid_to=LAST - datetime.timedelta(days=1))
    transfer = do_transfer_ownership(agreement, LAST, "Zarządzenie nr 1/2019.", actor=coordinator)
    text = pdf_text(papers.transfer_pdf(transfer))
    assert "reprezentowana przez: ………" in text
    assert "Wiśniewskiego" not in text


def test_the_signed_annex_is_archived_and_served_as_signed(
    agreement, coordinator, new_officeholders, client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from lebork_einclusion import archive
    from lending.services.annexes import do_draft_annex, do_sign_annex

    client.force_login(coordinator)
    signed_on = D(2016, 2, 10)
    annex = do_draft_annex(agreement, LAST, "Trwałość projektu.", signed_on, actor=coordinator)
    url = reverse("lending:annex_pdf", args=[annex.pk])
    draft = pdf_text(client.get(url).content)
    assert "PROJEKT" in draft and archive.find(annex, papers.ANNEX) is None
    with django_capture_on_commit_callbacks(execute=True):
        do_sign_annex(annex, signed_on, actor=coordinator)
    stored = archive.find(annex, papers.ANNEX)
    assert stored is not None and stored.archived_by == coordinator
    # The mayor's name corrected in the records after the signature: the annex stays as signed.
    Officeholder.objects.filter(name="Witold Nowowybrany").update(
        name_accusative="Witolda Poprawionego"
    )
    response = client.get(url)
    assert response.content == archive.stored_bytes(stored)
    assert response["X-Content-SHA256"] == stored.sha256
    text = pdf_text(response.content)
    assert "Witolda Nowowybranego" in text and "PROJEKT" not in text
