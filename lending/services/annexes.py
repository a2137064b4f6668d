"""Annexes to loan agreements: the written change of §3 (the term) that keeps a household's
agreement running beyond the Regulation's 3 years, at most to the end of the project's
durability period. A draft is printed and signed; the signature moves the agreement's end."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service

from .. import papers
from ..models import AgreementAnnex, LoanAgreement
from ..workflow import check
from ._common import not_in_future
from .agreements import open_items
from .connections import durability_end

AN = AgreementAnnex.Status


def next_annex_number(agreement: LoanAgreement) -> str:
    """The agreement's number with the annex's sequence: UU/2012/001/A1, /A2, ..."""
    return f"{agreement.number}/A{agreement.annexes.count() + 1}"


def _check_new_end(agreement: LoanAgreement, new_end: datetime.date):
    if agreement.ends_on and new_end <= agreement.ends_on:
        raise ValidationError(
            {
                "new_end": _(
                    "The new end must be later than the agreement's current end (%(date)s)."
                )
                % {"date": short_date(agreement.ends_on)}
            }
        )
    limit = durability_end()
    if new_end > limit:
        raise ValidationError(
            {
                "new_end": _(
                    "The new end cannot be after the end of the project's durability period (%(date)s)."
                )
                % {"date": short_date(limit)}
            }
        )


@service
def do_draft_annex(
    agreement: LoanAgreement,
    new_end: datetime.date,
    reason: str,
    drafted_on: datetime.date | None = None,
    *,
    actor,
) -> AgreementAnnex:
    """Prepare an annex extending an agreement in force to `new_end` (printed, then signed)."""
    agreement = locked(agreement)
    check("agreement", "annex", agreement.status, number=agreement.number, field="new_end")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the annex.")})
    drafted_on = drafted_on or clock.today()
    not_in_future("drafted_on", drafted_on, _("The date"))
    _check_new_end(agreement, new_end)
    return AgreementAnnex.objects.create(
        agreement=agreement,
        number=next_annex_number(agreement),
        drafted_on=drafted_on,
        previous_end=agreement.ends_on,
        new_end=new_end,
        reason=reason.strip(),
        recorded_by=actor,
    )


@service
def do_sign_annex(annex: AgreementAnnex, signed_on: datetime.date, *, actor) -> AgreementAnnex:
    """Both parties signed the annex: the agreement runs to the new end; the end it replaced
    is kept in the annex (`previous_end`), and returns planned for the old end are dropped."""
    annex = locked(annex)
    if annex.status != AN.DRAFT:
        raise ValidationError(
            _("Annex %(number)s is already signed (%(date)s).")
            % {"number": annex.number, "date": short_date(annex.signed_on)}
        )
    agreement = locked(annex.agreement)
    check("agreement", "annex", agreement.status, number=agreement.number)
    if signed_on < annex.drafted_on:
        raise ValidationError(
            {
                "signed_on": _("The annex cannot be signed before it was prepared (%(date)s).")
                % {"date": short_date(annex.drafted_on)}
            }
        )
    not_in_future("signed_on", signed_on, _("The signing date"))
    _check_new_end(agreement, annex.new_end)
    annex.status, annex.signed_on, annex.previous_end = AN.SIGNED, signed_on, agreement.ends_on
    annex.save(update_fields=["status", "signed_on", "previous_end"])
    agreement.ends_on = annex.new_end
    save_changed(agreement, "ends_on")
    open_items(agreement).filter(return_due_on__isnull=False).update(return_due_on=None)
    papers.archive_annex(annex, actor=actor)
    return annex
