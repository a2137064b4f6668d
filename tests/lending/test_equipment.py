"""The equipment register: the delivery import (every row checked first), the asset pages,
service, damage claims secured by the promissory note, placement in the units, write-off."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lebork_einclusion import roles
from lebork_einclusion.models import PublicUnit
from lending import queries
from lending.models import Asset, AssetEvent, DamageClaim
from lending.services import equipment as equipment_services
from lending.services.notes import do_record_notice
from procurement.demo import EQUIPMENT_CONTRACT, INTERNET_CONTRACT
from procurement.models import Contract

from .conftest import DAY, snapshot

HEADER = [
    "Rodzaj",
    "Marka i model",
    "Numer seryjny",
    "Numer inwentarzowy",
    "Wartość",
    "Gwarancja do",
]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("dostawa.xlsx", buffer.getvalue())


@pytest.fixture
def equipment(db):
    return Contract.objects.get(number=EQUIPMENT_CONTRACT)


@pytest.fixture
def office(client, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    return client


def _import(client, equipment, upload):
    return client.post(
        reverse("lending:asset_import"),
        {"file": upload, "contract": equipment.pk, "delivered_on": DAY.isoformat()},
    )


def test_the_demo_delivery_is_160_sets_for_households_and_labs(equipment):
    assets = Asset.objects.filter(contract=equipment)
    assert assets.count() == 160
    assert assets.filter(status="lent").count() == 75
    assert assets.filter(status="at_unit").count() == 85
    assert PublicUnit.objects.filter(lending_assets__isnull=False).distinct().count() == 7
    assert sum(a.value for a in assets) == Decimal("389420.00")


def test_a_delivery_list_is_imported_with_its_history(office, equipment):
    response = _import(
        office,
        equipment,
        xlsx(
            [
                ["laptop", "Lenovo T430", "lt-0001", "UM/L/1", "2 999,00", "31.12.2015"],
                ["router", "TP-Link", "RT-0001", "", 199.5, None],
            ]
        ),
    )
    assert response.status_code == 302
    laptop = Asset.objects.get(serial_number="LT-0001")
    assert (laptop.kind, laptop.value, laptop.status, laptop.contract) == (
        "laptop",
        Decimal("2999.00"),
        "in_stock",
        equipment,
    )
    assert laptop.warranty_until.isoformat() == "2015-12-31"
    assert Asset.objects.get(serial_number="RT-0001").value == Decimal("199.50")
    assert AssetEvent.objects.filter(asset=laptop, kind="delivered", date=DAY).exists()


def test_a_csv_delivery_list_is_imported(office, equipment):
    content = "rodzaj;marka i model;numer seryjny;wartość\nmonitor;Dell P2212H;MN-1;599,00\n"
    _import(office, equipment, SimpleUploadedFile("dostawa.csv", content.encode("cp1250")))
    assert Asset.objects.get(serial_number="MN-1").kind == "monitor"


def test_an_import_file_with_a_duplicate_serial_saves_nothing(office, equipment):
    before = snapshot()
    response = _import(
        office,
        equipment,
        xlsx(
            [
                ["laptop", "Lenovo T430", "LT-0001", "", "2999", ""],
                ["laptop", "Lenovo T430", "LT-0002", "", "2999", ""],
                ["laptop", "Lenovo T430", "lt-0001", "", "2999", ""],
            ]
        ),
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems == ["Wiersz 4: numer seryjny LT-0001 występuje też w wierszu 2."]
    assert "Nic nie zostało zapisane" in response.content.decode()
    assert snapshot() == before
    assert not Asset.objects.filter(serial_number__startswith="LT-").exists()


def test_an_import_of_a_serial_already_registered_saves_nothing(office, equipment):
    registered = Asset.objects.order_by("pk").first().serial_number
    before = snapshot()
    response = _import(
        office, equipment, xlsx([["zestaw komputerowy", "X", registered, "", "10", ""]])
    )
    assert response.context["problems"] == [
        f"Wiersz 2: numer seryjny {registered} jest już w rejestrze."
    ]
    assert snapshot() == before


def test_every_bad_row_is_reported_at_once(office, equipment):
    before = snapshot()
    response = _import(
        office,
        equipment,
        xlsx(
            [
                ["toaster", "X", "A-1", "", "10", ""],
                ["laptop", "", "A-2", "", "-5", "jutro"],
                ["laptop", "Y", "", "", "10", ""],
            ]
        ),
    )
    problems = response.context["problems"]
    assert "Wiersz 2: nieznany rodzaj sprzętu „toaster”." in problems
    assert "Wiersz 3: brak marki i modelu." in problems
    assert "Wiersz 3: wartość „-5” nie jest kwotą w złotych większą od zera." in problems
    assert "Wiersz 3: data gwarancji „jutro” nie jest datą (DD.MM.RRRR)." in problems
    assert "Wiersz 4: brak numeru seryjnego." in problems
    assert snapshot() == before


def test_a_file_without_the_serial_column_is_refused(office, equipment):
    before = snapshot()
    response = _import(
        office, equipment, xlsx([["laptop", "X", "10"]], header=["Rodzaj", "Model", "Wartość"])
    )
    assert response.context["problems"] == ["W pliku brakuje kolumn: „numer seryjny”."]
    assert snapshot() == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(office, equipment):
    before = snapshot()
    response = _import(
        office, equipment, SimpleUploadedFile("dostawa.xlsx", b"%PDF-1.4 not a sheet")
    )
    assert response.context["form"].errors["file"]
    assert snapshot() == before


# --- the register ------------------------------------------------------------------------------------


def test_the_asset_list_filters_and_stays_bounded(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(roles.FINANCE))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lending:asset_list"))
    # 160 computer sets and 82 routers of the provider.
    assert response.context["page"].paginator.count == 242
    unit = PublicUnit.objects.get(short_name="ZS3")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("lending:asset_list"), {"holder": f"unit-{unit.pk}"})
    assert response.context["page"].paginator.count == 14
    response = client.get(reverse("lending:asset_list"), {"status": "lent", "kind": "computer_set"})
    assert response.context["page"].paginator.count == 75
    response = client.get(reverse("lending:asset_list"), {"q": "MX12110007"})
    assert [a.serial_number for a in response.context["page"]] == ["MX12110007"]


def test_the_register_exports_to_xlsx(client, make_user):
    client.force_login(make_user(roles.FINANCE))
    response = client.get(reverse("lending:asset_export"), {"holder": "household"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Numer seryjny"
    assert len(rows) == 1 + 75 + 75
    assert {row[6] for row in rows[1:]} == {EQUIPMENT_CONTRACT, INTERNET_CONTRACT}


def test_the_asset_page_shows_its_whole_history(client, agreement, make_user):
    asset = agreement.items.get(asset__kind="computer_set").asset
    client.force_login(make_user(roles.MONITORING))
    response = client.get(reverse("lending:asset_detail", args=[asset.pk]))
    kinds = [event.kind for event in response.context["events"]]
    assert kinds[:2] == ["delivered", "assigned"]
    assert agreement.number in response.content.decode()


# --- service, damage, write-off ------------------------------------------------------------------------


def test_service_taken_away_keeps_the_holder_and_comes_back(participant, coordinator):
    asset = queries.lent_assets(participant).get(kind="computer_set")
    record = equipment_services.do_record_service(
        asset, "Wymiana zasilacza.", started_on=DAY, taken_away=True, actor=coordinator
    )
    asset.refresh_from_db()
    assert (asset.status, asset.participant) == ("in_service", participant)
    assert asset in list(queries.lent_assets(participant))
    assert record.provider == "MAXTO Sp. z o.o. S.K.A."
    equipment_services.do_complete_service(record, DAY, actor=coordinator)
    asset.refresh_from_db()
    assert asset.status == "lent"
    assert list(asset.history.values_list("kind", flat=True))[-2:] == ["in_service", "serviced"]


def test_a_damage_claim_is_linked_to_the_agreement_and_its_note(
    participant, agreement, coordinator
):
    asset = queries.lent_assets(participant).get(kind="computer_set")
    claim = equipment_services.do_open_damage_claim(
        asset,
        "Zalana klawiatura i płyta główna.",
        kind="replacement",
        occurred_on=DAY,
        amount=Decimal("2433.87"),
        actor=coordinator,
    )
    assert (claim.agreement, claim.note) == (agreement, agreement.note)
    asset.refresh_from_db()
    assert asset.condition == "damaged"
    # The declaration: notice by registered letter at least 7 days before filling it in.
    do_record_notice(agreement.note, DAY, "RR 0001 2013", actor=coordinator)
    equipment_services.do_settle_claim(
        claim,
        "enforced",
        DAY + datetime.timedelta(days=7),
        "Weksel wypełniony po zawiadomieniu.",
        actor=coordinator,
    )
    agreement.note.refresh_from_db()
    assert agreement.note.status == "filled_in"
    step = agreement.note.steps.get(kind="filled_in")
    assert step.amount == Decimal("2433.87")


def test_an_unsecured_claim_cannot_be_recovered_under_a_note(coordinator):
    lab = Asset.objects.filter(status="at_unit").first()
    claim = equipment_services.do_open_damage_claim(
        lab, "Zniszczony monitor.", occurred_on=DAY, actor=coordinator
    )
    assert claim.note is None
    before = DamageClaim.objects.get(pk=claim.pk).status
    with pytest.raises(ValidationError, match="Tego roszczenia nie zabezpiecza weksel"):
        equipment_services.do_settle_claim(claim, "enforced", DAY, "x", actor=coordinator)
    assert DamageClaim.objects.get(pk=claim.pk).status == before


def test_the_monitoring_officer_records_damage_through_the_page(client, participant, make_user):
    asset = queries.lent_assets(participant).get(kind="computer_set")
    client.force_login(make_user(roles.MONITORING))
    response = client.post(
        reverse("lending:asset_damage", args=[asset.pk]),
        {
            "kind": "repair",
            "description": "Pęknięty ekran monitora.",
            "occurred_on": DAY.isoformat(),
            "amount": "350.00",
            "condition": "damaged",
        },
    )
    assert response.status_code == 302
    claim = DamageClaim.objects.get(asset=asset)
    assert (claim.amount, claim.note) == (
        Decimal("350.00"),
        participant.agreements.get(status="active").note,
    )


def test_a_lent_asset_cannot_be_written_off(participant, coordinator):
    asset = queries.lent_assets(participant).get(kind="computer_set")
    before = snapshot()
    with pytest.raises(ValidationError, match="jest objęty umową użyczenia"):
        equipment_services.do_write_off(asset, DAY, "Zniszczony.", actor=coordinator)
    assert snapshot() == before


def test_stock_goes_to_a_unit_and_only_stock(client, stock, make_user):
    unit = PublicUnit.objects.get(short_name="SP3")
    client.force_login(make_user(roles.COORDINATOR))
    lent = Asset.objects.filter(status="lent").first()
    before = snapshot()
    response = client.post(
        reverse("lending:asset_place"),
        {"assets": [stock[0].pk, lent.pk], "unit": unit.pk, "placed_on": DAY.isoformat()},
    )
    assert response.context["form"].errors["assets"]
    assert snapshot() == before
    client.post(
        reverse("lending:asset_place"),
        {"assets": [a.pk for a in stock], "unit": unit.pk, "placed_on": DAY.isoformat()},
    )
    assert {a.status for a in Asset.objects.filter(pk__in=[a.pk for a in stock])} == {"at_unit"}


def test_the_asset_edit_refuses_a_concurrent_change(client, make_user):
    asset = Asset.objects.filter(status="at_unit").first()
    client.force_login(make_user(roles.ASSISTANT))
    data = {
        "kind": asset.kind,
        "make_model": asset.make_model,
        "serial_number": asset.serial_number,
        "inventory_number": asset.inventory_number,
        "value": str(asset.value),
        "warranty_until": "2018-12-31",
        "insurance_contract": "",
        "insurance_policy": "POL-1",
        "version": asset.version,
    }
    assert client.post(reverse("lending:asset_edit", args=[asset.pk]), data).status_code == 302
    asset.refresh_from_db()
    assert asset.insurance_policy == "POL-1"
    assert asset.history.filter(kind="changed").exists()
    data["insurance_policy"] = "POL-2"  # the same stale version again
    response = client.post(reverse("lending:asset_edit", args=[asset.pk]), data)
    assert response.status_code == 200
    asset.refresh_from_db()
    assert asset.insurance_policy == "POL-1"


def test_the_import_command_refuses_a_bad_file_and_imports_a_good_one(tmp_path, equipment):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "zla.csv"
    bad.write_text("rodzaj;model;numer seryjny;wartość\nlaptop;X;C-1;10\nlaptop;X;C-1;10\n")
    before = snapshot()
    with pytest.raises(CommandError, match="numer seryjny C-1 występuje też w wierszu 2"):
        call_command(
            "import_delivery",
            str(bad),
            "--contract",
            equipment.number,
            "--delivered-on",
            "2013-03-04",
        )
    assert snapshot() == before
    good = tmp_path / "dobra.csv"
    good.write_text("rodzaj;model;numer seryjny;wartość\nlaptop;X;C-1;10\nups;Y;C-2;20\n")
    out = io.StringIO()
    call_command(
        "import_delivery",
        str(good),
        "--contract",
        equipment.number,
        "--delivered-on",
        "2013-03-04",
        stdout=out,
    )
    assert "2 assets registered" in out.getvalue()
    assert Asset.objects.get(serial_number="C-2").kind == "ups"
