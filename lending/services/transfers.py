"""The end of the durability period: the equipment lent to a household is handed over to it for
ownership (a recorded decision: date, basis, who), or comes back through the return flow
(agreements.do_end_agreement + do_record_return). A transfer ends the agreement; its assets
leave the register (status "handed over for ownership") with their history, never deleted. The
protocols of handover for ownership are archived by a background task queued at the commit
(papers.archive_transfers_later)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.office_language import office_text
from lebork_einclusion.records import locked, save_changed, service

from .. import papers
from ..models import Asset, AssetEvent, LoanAgreement, OwnershipTransfer
from ..workflow import check
from ._common import asset_event, not_in_future
from .agreements import open_items
from .connections import durability_end

AS = Asset.Status
AG = LoanAgreement.Status


def _check_day(transferred_on: datetime.date):
    limit = durability_end()
    if transferred_on < limit:
        raise ValidationError(
            {
                "transferred_on": _(
                    "Equipment can be handed over for ownership only at the end of the project's durability period (%(date)s), not before."
                )
                % {"date": short_date(limit)}
            }
        )
    not_in_future("transferred_on", transferred_on, _("The date"))


def _transfer(agreement, transferred_on, basis, actor) -> OwnershipTransfer:
    agreement = locked(agreement)
    check("agreement", "transfer", agreement.status, number=agreement.number)
    items = list(open_items(agreement).select_related("asset"))
    if not items:
        raise ValidationError(
            _("Nothing of agreement %(number)s is out: there is nothing to hand over.")
            % {"number": agreement.number}
        )
    events = []
    for item in items:
        asset = locked(item.asset)
        if asset.status != AS.LENT:
            raise ValidationError(
                _(
                    "Serial number %(serial)s is %(status)s: it can be handed over once it is back with the household."
                )
                % {"serial": asset.serial_number, "status": asset.get_status_display()}
            )
        asset.status = AS.TRANSFERRED
        save_changed(asset, "status")
        events.append(
            asset_event(
                asset,
                AssetEvent.Kind.TRANSFERRED,
                transferred_on,
                actor,
                participant=agreement.participant,
                note=office_text(
                    _("Agreement %(number)s: handed over for ownership. %(basis)s"),
                    number=agreement.number,
                    basis=basis,
                ),
            )
        )
    AssetEvent.objects.bulk_create(events)
    open_items(agreement).update(return_due_on=None)
    agreement.status, agreement.ended_on = AG.TRANSFERRED, transferred_on
    agreement.end_reason = office_text(
        _("Equipment handed over for ownership at the end of the durability period: %(basis)s"),
        basis=basis,
    )
    save_changed(agreement, "status", "ended_on", "end_reason")
    return OwnershipTransfer.objects.create(
        agreement=agreement, transferred_on=transferred_on, basis=basis, recorded_by=actor
    )


@service
def do_transfer_ownership(
    agreement: LoanAgreement, transferred_on: datetime.date, basis: str, *, actor
) -> OwnershipTransfer:
    """Hand the equipment of one agreement in force over to the household for ownership."""
    basis = basis.strip()
    if not basis:
        raise ValidationError({"basis": _("Give the basis of the decision.")})
    _check_day(transferred_on)
    transfer = _transfer(agreement, transferred_on, basis, actor)
    papers.archive_transfers_later([transfer], actor=actor)
    return transfer


@service
def do_transfer_all(transferred_on: datetime.date, basis: str, *, actor) -> list[OwnershipTransfer]:
    """One decision for every agreement still in force: each household keeps its equipment."""
    basis = basis.strip()
    if not basis:
        raise ValidationError({"basis": _("Give the basis of the decision.")})
    _check_day(transferred_on)
    agreements = list(LoanAgreement.objects.filter(status=AG.ACTIVE).order_by("number"))
    if not agreements:
        raise ValidationError(_("No agreement is in force: there is nothing to hand over."))
    transfers = [_transfer(agreement, transferred_on, basis, actor) for agreement in agreements]
    # The protocols are archived by a background task after the commit, not in this request.
    papers.archive_transfers_later(transfers, actor=actor)
    return transfers
