"""The end of the durability period: the equipment handed over for ownership (one agreement or
every one in force), the agreement ended, the assets out of the register with their history,
the protocol; refused before the durability end."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lending import papers, queries
from lending.models import Asset, AssetEvent, LoanAgreement, OwnershipTransfer
from lending.services import agreements
from lending.services.transfers import do_transfer_all, do_transfer_ownership
from tests import helpers

from .conftest import snapshot
from .test_papers import pdf_text

D = datetime.date
DURABILITY_END = D(2018, 12, 31)
BASIS = "Zarządzenie nr 1/2019 Burmistrza Miasta Lęborka z 2.01.2019 r."


def state():
    return {**snapshot(), **helpers.snapshot((OwnershipTransfer, "pk"))}


def test_a_transfer_ends_the_agreement_and_takes_the_asset_out_of_the_register(
    agreement, coordinator
):
    asset = agreement.items.get(asset__kind="computer_set").asset
    router = agreement.items.get(asset__kind="router").asset
    transfer = do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    agreement.refresh_from_db()
    asset.refresh_from_db()
    router.refresh_from_db()
    assert (transfer.transferred_on, transfer.basis, transfer.recorded_by) == (
        DURABILITY_END,
        BASIS,
        coordinator,
    )
    assert (agreement.status, agreement.ended_on) == ("transferred", DURABILITY_END)
    assert BASIS in agreement.end_reason
    # The asset stays in the database with its whole history, no longer the town's.
    assert (asset.status, asset.participant) == ("transferred", agreement.participant)
    # The router lent with the connection under the same agreement goes with it.
    assert (router.status, router.participant) == ("transferred", agreement.participant)
    assert AssetEvent.objects.get(asset=router, kind="transferred").date == DURABILITY_END
    kinds = list(asset.history.values_list("kind", flat=True))
    assert kinds[0] == "delivered" and kinds[-1] == "transferred"
    assert AssetEvent.objects.get(asset=asset, kind="transferred").date == DURABILITY_END
    assert not queries.lent_assets(agreement.participant).exists()
    assert not agreements.open_items(agreement).exists()
    assert not queries.agreements_in_force_on(DURABILITY_END).filter(pk=agreement.pk).exists()
    # The note's obligations are over: it may go back.
    assert agreements.note_release_refusal(agreement.note) is None
    assert agreement.note in agreements.notes_to_release()


def test_one_decision_hands_over_every_agreement_in_force(agreement, coordinator):
    in_force = LoanAgreement.objects.filter(status="active").count()
    transfers = do_transfer_all(D(2019, 1, 2), BASIS, actor=coordinator)
    assert len(transfers) == in_force == 75
    assert not LoanAgreement.objects.filter(status="active").exists()
    assert LoanAgreement.objects.filter(status="transferred").count() == 75
    # Each agreement hands over its computer set and the router lent with the connection.
    transferred = Asset.objects.filter(status="transferred")
    assert transferred.filter(kind="computer_set").count() == 75
    assert transferred.filter(kind="router").count() == 75
    assert transferred.count() == 150
    assert not Asset.objects.filter(status="lent").exists()


def test_the_coordinator_records_a_transfer_and_prints_the_protocol(client, agreement, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_transfer", args=[agreement.pk]),
        {"transferred_on": "2018-12-31", "basis": BASIS, "confirm": "on"},
    )
    assert response.status_code == 302
    transfer = OwnershipTransfer.objects.get(agreement=agreement)
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    assert "zakończona: sprzęt przekazany na własność" in page
    assert reverse("lending:transfer_pdf", args=[transfer.pk]) in page
    pdf = client.get(reverse("lending:transfer_pdf", args=[transfer.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_protocol_names_the_parties_the_serials_and_the_basis(agreement, coordinator):
    transfer = do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    text = pdf_text(papers.transfer_pdf(transfer))
    signatory = agreement.signatory
    assert "PROTOKÓŁ PRZEKAZANIA NA WŁASNOŚĆ" in text
    # Represented by who holds office on the transfer's day (test_signatories_on_papers.py);
    # the town in the nominative.
    assert "Gmina Miasto Lębork" in text and "reprezentowana przez: " in text
    assert "dalej jako „Użyczający”" in text
    assert f"umowy użyczenia nr {agreement.number}" in text
    assert f"{signatory.first_name} {signatory.last_name}" in text
    for item in agreement.items.select_related("asset"):  # the computer set and the router
        assert item.asset.serial_number in text
    assert "Zarządzenie nr 1/2019" in text
    assert "31.12.2018" in text


def test_returned_equipment_goes_through_the_return_instead(agreement, coordinator):
    agreements.do_end_agreement(
        agreement, DURABILITY_END, "Zwrot po okresie trwałości.", actor=coordinator
    )
    assets = [item.asset for item in agreement.items.select_related("asset")]
    assert {asset.kind for asset in assets} == {"computer_set", "router"}
    agreements.do_record_return(
        agreement, [(asset, "worn", "") for asset in assets], D(2019, 1, 4), actor=coordinator
    )
    for asset in assets:
        asset.refresh_from_db()
        assert asset.status == "in_stock"


# --- bad input: a clear message next to the field, nothing changed -------------------------------


def test_a_transfer_before_the_durability_end_is_refused(client, agreement, coordinator):
    before = state()
    with pytest.raises(ValidationError, match="dopiero z końcem okresu trwałości projektu"):
        do_transfer_ownership(agreement, D(2018, 12, 30), BASIS, actor=coordinator)
    with pytest.raises(ValidationError, match="dopiero z końcem okresu trwałości projektu"):
        do_transfer_all(D(2016, 1, 1), BASIS, actor=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_transfer", args=[agreement.pk]),
        {"transferred_on": "2018-12-30", "basis": BASIS, "confirm": "on"},
    )
    assert response.status_code == 200
    assert "nie wcześniej" in str(response.context["form"].errors["transferred_on"])
    response = client.post(
        reverse("lending:transfer_all"),
        {"transferred_on": "2018-06-30", "basis": BASIS, "confirm": "on"},
    )
    assert "nie wcześniej" in str(response.context["form"].errors["transferred_on"])
    assert state() == before


def test_a_transfer_of_an_ended_agreement_is_refused(agreement, coordinator):
    agreements.do_end_agreement(agreement, D(2016, 1, 1), "Zwrot.", actor=coordinator)
    before = state()
    with pytest.raises(ValidationError, match="tylko sprzęt z obowiązującej umowy"):
        do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    assert state() == before


def test_a_transfer_without_a_basis_is_refused(client, agreement, coordinator):
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("lending:agreement_transfer", args=[agreement.pk]),
        {"transferred_on": "2018-12-31", "basis": "   ", "confirm": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["basis"]
    assert state() == before


def test_a_transferred_asset_cannot_be_serviced_or_written_off(agreement, coordinator):
    from lending.services import equipment

    do_transfer_ownership(agreement, DURABILITY_END, BASIS, actor=coordinator)
    asset = agreement.items.get(asset__kind="computer_set").asset
    before = state()
    with pytest.raises(ValidationError, match="przekazany na własność: nie ma go już w ewidencji"):
        equipment.do_write_off(asset, D(2019, 2, 1), "Likwidacja.", actor=coordinator)
    assert state() == before
