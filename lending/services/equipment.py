"""The equipment: the delivery, corrections, the public units' labs, the write-off, service and
damage claims."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.office_language import office_text
from lebork_einclusion.records import locked, save_changed, service

from .. import rules
from ..models import (
    Asset,
    AssetEvent,
    DamageClaim,
    LoanAgreement,
    LoanItem,
    PromissoryNote,
    ServiceRecord,
)
from ..workflow import check
from ._common import asset_event, not_in_future
from .notes import check_fill_in, fill_in

AS = Asset.Status
AG = LoanAgreement.Status


@service
def do_import_delivery(
    table: list[dict],
    contract,
    delivered_on: datetime.date,
    *,
    actor,
    insurance_contract=None,
    insurance_policy: str = "",
) -> list[Asset]:
    """Register the equipment of a delivery list (rows from tables.read_table). Every row is
    checked first; a single problem refuses the whole file and nothing is saved."""
    not_in_future("delivered_on", delivered_on, _("The delivery date"))
    serials = rules.serials_in(table)
    registered = set(
        Asset.objects.filter(serial_number__in=serials).values_list("serial_number", flat=True)
    )
    inventory = set(
        Asset.objects.exclude(inventory_number="").values_list("inventory_number", flat=True)
    )
    limits = {
        name: max_length_of(Asset, name)
        for name in ("make_model", "serial_number", "inventory_number")
    }
    rows, problems = rules.check_delivery(table, registered, inventory, limits)
    if problems:
        raise ValidationError([str(problem) for problem in problems], code="delivery_rows")
    assets = Asset.objects.bulk_create(
        Asset(
            kind=row.kind,
            make_model=row.make_model,
            serial_number=row.serial_number,
            inventory_number=row.inventory_number,
            value=row.value,
            warranty_until=row.warranty_until,
            contract=contract,
            delivered_on=delivered_on,
            insurance_contract=insurance_contract,
            insurance_policy=insurance_policy,
        )
        for row in rows
    )
    note = office_text(_("Delivery under contract %(number)s."), number=contract.number)
    AssetEvent.objects.bulk_create(
        asset_event(asset, AssetEvent.Kind.DELIVERED, delivered_on, actor, note=note)
        for asset in assets
    )
    return assets


@service
def do_update_asset(asset: Asset, data: dict, *, actor, expected_version=None) -> Asset:
    """Save corrections of an asset's details (`data`: field -> value): refused when someone
    saved it since the form was opened (`expected_version`); the corrected fields go into its
    history."""
    asset = locked(asset, expected_version=expected_version)
    changed = [name for name, value in data.items() if getattr(asset, name) != value]
    for name in changed:
        setattr(asset, name, data[name])
    save_changed(asset)
    if changed:
        labels = [str(capfirst(Asset._meta.get_field(name).verbose_name)) for name in changed]
        asset_event(
            asset,
            AssetEvent.Kind.CHANGED,
            clock.today(),
            actor,
            note=office_text(_("Corrected: %(fields)s."), fields=", ".join(labels)),
        ).save()
    return asset


@service
def do_place_in_unit(assets: Iterable[Asset], unit: PublicUnit, placed_on, *, actor) -> list[Asset]:
    """Assets from stock go to a public unit's computer lab."""
    not_in_future("placed_on", placed_on, _("The date"))
    placed = []
    for asset in assets:
        asset = locked(asset)
        check("asset", "place_in_unit", asset.status, serial=asset.serial_number)
        if placed_on < asset.delivered_on:
            raise ValidationError(
                {
                    "placed_on": _("The date cannot be before the delivery (%(date)s).")
                    % {"date": short_date(asset.delivered_on)}
                }
            )
        asset.status, asset.public_unit = AS.AT_UNIT, unit
        save_changed(asset, "status", "public_unit")
        asset_event(asset, AssetEvent.Kind.ASSIGNED, placed_on, actor, unit=unit).save()
        placed.append(asset)
    if not placed:
        raise ValidationError(_("Choose at least one asset."))
    return placed


@service
def do_return_from_unit(asset: Asset, returned_on, note: str = "", *, actor) -> Asset:
    asset = locked(asset)
    check("asset", "return_from_unit", asset.status, serial=asset.serial_number)
    not_in_future("returned_on", returned_on, _("The date"))
    unit = asset.public_unit
    asset.status, asset.public_unit = AS.IN_STOCK, None
    save_changed(asset, "status", "public_unit")
    asset_event(asset, AssetEvent.Kind.RETURNED, returned_on, actor, unit=unit, note=note).save()
    return asset


@service
def do_write_off(asset: Asset, written_off_on, reason: str, *, actor) -> Asset:
    """Take an asset off the register (destroyed, lost, beyond repair); never one still lent."""
    asset = locked(asset)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the write-off.")})
    check("asset", "write_off", asset.status, serial=asset.serial_number)
    # Away in service, a lent asset is still in its agreement.
    if asset.loan_items.filter(returned_on__isnull=True).exists():
        raise ValidationError(
            _("Asset %(serial)s is in a loan agreement: record its return first.")
            % {"serial": asset.serial_number}
        )
    not_in_future("written_off_on", written_off_on, _("The date"))
    unit = asset.public_unit
    asset.status, asset.public_unit, asset.participant = AS.WRITTEN_OFF, None, None
    save_changed(asset, "status", "public_unit", "participant")
    asset_event(
        asset, AssetEvent.Kind.WRITTEN_OFF, written_off_on, actor, unit=unit, note=reason.strip()
    ).save()
    return asset


@service
def do_record_service(
    asset: Asset,
    description: str,
    *,
    actor,
    kind: str = ServiceRecord.Kind.REPAIR,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    provider: str = "",
    cost: Decimal | None = None,
    taken_away: bool = False,
) -> ServiceRecord:
    """Record service of an asset (§6.5). Taken away and not completed yet, the asset is in
    service until do_complete_service(); it keeps its holder, to whom it goes back."""
    asset = locked(asset)
    if not description.strip():
        raise ValidationError({"description": _("Describe the service.")})
    check("asset", "record_service", asset.status, serial=asset.serial_number)
    started_on = started_on or clock.today()
    not_in_future("started_on", started_on, _("The start date"))
    if completed_on and completed_on < started_on:
        raise ValidationError({"completed_on": _("The service cannot end before it starts.")})
    if completed_on:
        not_in_future("completed_on", completed_on, _("The completion date"))
    if taken_away and not completed_on and asset.status == AS.IN_SERVICE:
        raise ValidationError(_("The asset is already away in service."))
    record = ServiceRecord.objects.create(
        asset=asset,
        kind=kind,
        description=description.strip(),
        started_on=started_on,
        completed_on=completed_on,
        provider=provider or asset.contract.supplier.name,
        cost=cost,
        taken_away=taken_away,
        recorded_by=actor,
    )
    events = [
        asset_event(
            asset,
            AssetEvent.Kind.IN_SERVICE,
            started_on,
            actor,
            participant=asset.participant,
            unit=asset.public_unit,
            note=f"{record.get_kind_display()}: {record.description}",
        )
    ]
    if completed_on:
        events.append(
            asset_event(
                asset,
                AssetEvent.Kind.SERVICED,
                completed_on,
                actor,
                participant=asset.participant,
                unit=asset.public_unit,
            )
        )
    elif taken_away:
        asset.status = AS.IN_SERVICE
        save_changed(asset, "status")
    AssetEvent.objects.bulk_create(events)
    return record


def _status_of_holder(asset: Asset) -> str:
    if asset.participant_id:
        return AS.LENT
    if asset.public_unit_id:
        return AS.AT_UNIT
    return AS.IN_STOCK


@service
def do_complete_service(record: ServiceRecord, completed_on, *, actor, cost=None, condition=None):
    record = locked(record)
    if record.completed_on:
        raise ValidationError(_("This service is already completed."))
    if completed_on < record.started_on:
        raise ValidationError({"completed_on": _("The service cannot end before it starts.")})
    not_in_future("completed_on", completed_on, _("The completion date"))
    record.completed_on = completed_on
    if cost is not None:
        record.cost = cost
    record.save(update_fields=["completed_on", "cost"])
    asset = locked(record.asset)
    fields = []
    if asset.status == AS.IN_SERVICE:
        asset.status = _status_of_holder(asset)
        fields.append("status")
    if condition:
        asset.condition = condition
        fields.append("condition")
    save_changed(asset, *fields)
    asset_event(
        asset,
        AssetEvent.Kind.SERVICED,
        completed_on,
        actor,
        participant=asset.participant,
        unit=asset.public_unit,
    ).save()
    return record


def _open_item(asset: Asset) -> LoanItem | None:
    return (
        LoanItem.objects.filter(asset=asset, returned_on__isnull=True, handed_over_on__isnull=False)
        .select_related("agreement")
        .first()
    )


@service
def do_open_damage_claim(
    asset: Asset,
    description: str,
    *,
    actor,
    occurred_on: datetime.date | None = None,
    kind: str = DamageClaim.Kind.REPAIR,
    amount: Decimal | None = None,
    condition: str = Asset.Condition.DAMAGED,
) -> DamageClaim:
    """Damage, destruction, loss or disposal of an asset (§6.3-4): the claim for the repair or
    for a new set, linked to the agreement the asset is lent under and its promissory note."""
    asset = locked(asset)
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    check("asset", "record_damage", asset.status, serial=asset.serial_number)
    occurred_on = occurred_on or clock.today()
    not_in_future("occurred_on", occurred_on, _("The date"))
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    item = _open_item(asset)
    agreement = item.agreement if item else None
    note = PromissoryNote.objects.filter(agreement=agreement).first() if agreement else None
    claim = DamageClaim.objects.create(
        asset=asset,
        agreement=agreement,
        note=note,
        kind=kind,
        description=description.strip(),
        occurred_on=occurred_on,
        amount=amount,
        opened_by=actor,
    )
    asset.condition = condition
    save_changed(asset, "condition")
    asset_event(
        asset,
        AssetEvent.Kind.DAMAGED,
        occurred_on,
        actor,
        participant=asset.participant,
        unit=asset.public_unit,
        note=description.strip(),
    ).save()
    return claim


@service
def do_settle_claim(
    claim: DamageClaim, status: str, settled_on, note: str, *, actor, amount=None
) -> DamageClaim:
    claim = locked(claim)
    if claim.status != DamageClaim.Status.OPEN:
        raise ValidationError(_("This claim is already settled."))
    if status not in DamageClaim.Status.values or status == DamageClaim.Status.OPEN:
        raise ValidationError({"status": _("Choose how the claim was settled.")})
    if settled_on < claim.occurred_on:
        raise ValidationError({"settled_on": _("The claim cannot be settled before it arose.")})
    not_in_future("settled_on", settled_on, _("The date"))
    note_row = None
    if status == DamageClaim.Status.ENFORCED:
        if claim.note is None:
            raise ValidationError(
                {
                    "status": _(
                        "No promissory note secures this claim: it cannot be recovered under one."
                    )
                }
            )
        # Filled in only as the declaration allows: up to its maximum, after notice (§6.8).
        note_row = locked(claim.note)
        check_fill_in(
            note_row,
            settled_on,
            amount if amount is not None else claim.amount,
            day_field="settled_on",
            amount_field="amount",
        )
    if amount is not None:
        claim.amount = amount
    claim.status, claim.settled_on, claim.settlement_note = status, settled_on, note.strip()
    save_changed(claim)
    if note_row is not None:
        fill_in(note_row, settled_on, claim.amount, note.strip(), actor)
    return claim


@service
def do_renew_insurance(from_contract, to_contract, *, actor) -> int:
    """The town insured the equipment again: every asset not written off that is insured under
    `from_contract` is insured under `to_contract`. Returns how many moved."""
    if from_contract.pk == to_contract.pk:
        raise ValidationError({"to_contract": _("Choose a contract other than the current one.")})
    if to_contract.term_end < from_contract.term_end:
        raise ValidationError(
            {"to_contract": _("The new insurance cannot end before the current one.")}
        )
    moving = list(
        Asset.objects.select_for_update()
        .filter(insurance_contract=from_contract)
        .exclude(status=AS.WRITTEN_OFF)
        .order_by("pk")
    )
    for asset in moving:
        asset.insurance_contract = to_contract
        save_changed(asset, "insurance_contract")
    return len(moving)
