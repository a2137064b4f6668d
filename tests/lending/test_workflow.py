"""The state rules of lending, once (lending/workflow.py): every action × every status is
either possible or refused with its message, the services refuse what the table refuses, and
the pages offer exactly the actions the table allows."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from lending import workflow
from lending.models import Asset, LoanAgreement, PromissoryNote
from lending.services import agreements
from lending.services import equipment as equipment_services

from .conftest import DAY, snapshot

AG = LoanAgreement.Status
AS = Asset.Status
NS = PromissoryNote.Status
PARAMS = {"number": "UU/2013/001", "serial": "MX12110001", "date": "11.02.2013"}

# (subject, action) -> the statuses in which it is possible, spelled out here on purpose.
ALLOWED = {
    ("agreement", "sign"): {AG.DRAFT},
    ("agreement", "cancel"): {AG.DRAFT},
    ("agreement", "hand_over"): {AG.SIGNED},
    ("agreement", "end"): {AG.DRAFT, AG.SIGNED, AG.ACTIVE},
    ("agreement", "annex"): {AG.ACTIVE},
    ("agreement", "transfer"): {AG.ACTIVE},
    ("asset", "lend"): {AS.IN_STOCK},
    ("asset", "place_in_unit"): {AS.IN_STOCK},
    ("asset", "return_from_unit"): {AS.AT_UNIT},
    ("asset", "write_off"): {AS.IN_STOCK, AS.AT_UNIT, AS.IN_SERVICE},
    ("asset", "record_service"): {AS.IN_STOCK, AS.LENT, AS.AT_UNIT, AS.IN_SERVICE},
    ("asset", "record_damage"): {AS.IN_STOCK, AS.LENT, AS.AT_UNIT, AS.IN_SERVICE},
    ("note", "release"): {NS.IN_CUSTODY},
    ("note", "fill_in"): {NS.IN_CUSTODY},
    ("note", "notice"): {NS.IN_CUSTODY},
}

TRANSFERRED_ASSET = "Sprzęt MX12110001 został przekazany na własność: nie ma go już w ewidencji."

# (subject, action) -> the refusal in Polish; {status} is the status's label. A status with a
# message of its own: (subject, action, status).
REFUSED = {
    ("agreement", "sign"): "Umowa UU/2013/001 ma status „{status}”: podpisać można tylko projekt.",
    ("agreement", "cancel"): "Anulować można tylko projekt; podpisaną umowę się rozwiązuje.",
    ("agreement", "hand_over"): (
        "Umowa UU/2013/001 ma status „{status}”: nie można teraz przekazać sprzętu."
    ),
    ("agreement", "hand_over", AG.DRAFT): (
        "Umowa UU/2013/001 nie jest jeszcze podpisana: sprzęt przekazuje się po podpisaniu umowy."
    ),
    ("agreement", "end"): "Umowa UU/2013/001 została już zakończona ({status}, 11.02.2013).",
    ("agreement", "annex"): (
        "Umowa UU/2013/001 nie obowiązuje ({status}): aneks nie może przedłużyć umowy, która już "
        "nie obowiązuje."
    ),
    ("agreement", "annex", AG.DRAFT): (
        "Umowa UU/2013/001 jeszcze nie obowiązuje: jej okres liczy się od przekazania sprzętu."
    ),
    ("agreement", "annex", AG.SIGNED): (
        "Umowa UU/2013/001 jeszcze nie obowiązuje: jej okres liczy się od przekazania sprzętu."
    ),
    ("agreement", "transfer"): (
        "Umowa UU/2013/001 ma status „{status}”: na własność można przekazać tylko sprzęt z "
        "obowiązującej umowy."
    ),
    ("asset", "lend"): "Sprzętu o numerze seryjnym MX12110001 nie ma w magazynie ({status}).",
    ("asset", "place_in_unit"): (
        "Sprzętu MX12110001 nie ma w magazynie ({status}): nie można go przekazać jednostce."
    ),
    ("asset", "return_from_unit"): "Sprzęt MX12110001 nie jest w jednostce publicznej.",
    ("asset", "write_off"): "Sprzęt jest już zlikwidowany.",
    ("asset", "write_off", AS.LENT): (
        "Sprzęt MX12110001 jest objęty umową użyczenia: najpierw zapisz jego zwrot."
    ),
    ("asset", "write_off", AS.TRANSFERRED): TRANSFERRED_ASSET,
    ("asset", "record_service"): "Sprzęt jest zlikwidowany: nie podlega już serwisowi.",
    ("asset", "record_service", AS.TRANSFERRED): TRANSFERRED_ASSET,
    ("asset", "record_damage", AS.TRANSFERRED): TRANSFERRED_ASSET,
    ("asset", "record_damage"): (
        "Sprzęt jest zlikwidowany: nie można już zgłosić jego uszkodzenia ani utraty."
    ),
    ("note", "release"): "Weksel nie jest już w depozycie ({status}).",
    ("note", "fill_in"): "Weksel nie jest już w depozycie ({status}).",
    ("note", "notice"): "Weksel nie jest już w depozycie ({status}).",
}

STATUSES = {"agreement": AG, "asset": AS, "note": NS}
CASES = [
    (subject, action, status)
    for (subject, action) in ALLOWED
    for status in STATUSES[subject].values
]


def test_the_table_holds_exactly_these_actions():
    table = {(subject, action) for subject, steps in workflow.STEPS.items() for action in steps}
    assert table == set(ALLOWED)


@pytest.mark.parametrize(("subject", "action", "status"), CASES)
def test_every_action_in_every_status_is_allowed_or_refused_with_its_message(
    subject, action, status
):
    with translation.override("pl"):
        refused = workflow.refusal(subject, action, status, **PARAMS)
        label = str(STATUSES[subject](status).label)
    if status in ALLOWED[subject, action]:
        assert refused is None
        assert action in workflow.possible_actions(subject, status)
    else:
        expected = REFUSED.get((subject, action, status), REFUSED[subject, action])
        assert refused == expected.format(status=label)
        assert action not in workflow.possible_actions(subject, status)


# --- the services refuse what the table refuses ---------------------------------------------------


def test_damage_to_a_written_off_asset_is_refused(stock, coordinator):
    asset = stock[0]
    equipment_services.do_write_off(asset, DAY, "Zniszczony w pożarze.", actor=coordinator)
    before = snapshot()
    with pytest.raises(ValidationError, match="nie można już zgłosić jego uszkodzenia"):
        equipment_services.do_open_damage_claim(asset, "Pęknięta obudowa.", actor=coordinator)
    assert snapshot() == before


def test_a_signed_agreement_cannot_be_cancelled_nor_handed_over_twice(
    bare_participant, stock, coordinator
):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    agreements.do_sign_agreement(agreement, DAY, actor=coordinator)
    agreements.do_hand_over(agreement, DAY, actor=coordinator)
    before = snapshot()
    with pytest.raises(ValidationError, match="nie można teraz przekazać sprzętu"):
        agreements.do_hand_over(agreement, DAY, actor=coordinator)
    with pytest.raises(ValidationError, match="Anulować można tylko projekt"):
        agreements.do_cancel_draft(agreement, actor=coordinator)
    assert snapshot() == before


# --- the pages offer exactly the allowed actions --------------------------------------------------

ASSET_BUTTONS = {
    "record_service": "lending:asset_service",
    "record_damage": "lending:asset_damage",
    "place_in_unit": "lending:asset_place",
    "return_from_unit": "lending:asset_unit_return",
    "write_off": "lending:asset_write_off",
}


def _allowed_buttons(status) -> set[str]:
    return {
        action
        for (subject, action), allowed in ALLOWED.items()
        if subject == "asset" and action in ASSET_BUTTONS and status in allowed
    }


def _asset_buttons(client, asset) -> set[str]:
    page = client.get(reverse("lending:asset_detail", args=[asset.pk])).content.decode()
    links = set(re.findall(r'href="([^"?]+)', page))
    urls = {
        action: reverse(name) if action == "place_in_unit" else reverse(name, args=[asset.pk])
        for action, name in ASSET_BUTTONS.items()
    }
    return {action for action, url in urls.items() if url in links}


def test_the_asset_page_offers_exactly_the_allowed_actions(client, coordinator, stock, agreement):
    in_stock, written_off = stock
    equipment_services.do_write_off(written_off, DAY, "Kradzież.", actor=coordinator)
    lent = agreement.items.get(asset__kind="computer_set").asset
    at_unit = Asset.objects.filter(status=AS.AT_UNIT).first()
    client.force_login(coordinator)
    for asset, status in [
        (in_stock, AS.IN_STOCK),
        (written_off, AS.WRITTEN_OFF),
        (lent, AS.LENT),
        (at_unit, AS.AT_UNIT),
    ]:
        asset.refresh_from_db()
        assert asset.status == status
        assert _asset_buttons(client, asset) == _allowed_buttons(status), status


AGREEMENT_BUTTONS = {
    "sign": "lending:agreement_sign",
    "cancel": "lending:agreement_cancel",
    "hand_over": "lending:agreement_handover",
    "end": "lending:agreement_end",
}


def _agreement_buttons(client, agreement) -> set[str]:
    page = client.get(reverse("lending:agreement_detail", args=[agreement.pk])).content.decode()
    return {
        action
        for action, name in AGREEMENT_BUTTONS.items()
        if reverse(name, args=[agreement.pk]) in page
    }


def test_the_agreement_page_offers_the_next_step_of_its_status(
    client, coordinator, bare_participant, stock
):
    client.force_login(coordinator)
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    assert _agreement_buttons(client, agreement) == {"sign", "cancel"}
    agreements.do_sign_agreement(agreement, DAY, actor=coordinator)
    assert _agreement_buttons(client, agreement) == {"hand_over"}
    agreements.do_hand_over(agreement, DAY, actor=coordinator)
    assert _agreement_buttons(client, agreement) == {"end"}
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    assert _agreement_buttons(client, agreement) == set()
