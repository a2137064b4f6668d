"""Promissory notes to the letter of their declaration (§6.8; Prawo wekslowe art. 10): the holder
fills the blank note in only for the claims of §6.3-4, up to the maximum the declaration names
(the value of the lent equipment), after notifying the issuer by registered letter at least 7
days before. Every step is a PromissoryNoteStep: the note's history. The return or destruction
once the obligations end is agreements.do_release_note."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service

from ..models import DamageClaim, PromissoryNote, PromissoryNoteStep
from ..workflow import check
from ._common import not_in_future

# The declaration: "The holder will notify me by registered letter ... at least 7 days in
# advance, before filling in the note."
NOTICE_DAYS = 7

STEP = PromissoryNoteStep.Kind


def record_step(note, kind, date, actor, **fields) -> PromissoryNoteStep:
    return PromissoryNoteStep.objects.create(
        note=note, kind=kind, date=date, recorded_by=actor, **fields
    )


@service
def do_record_notice(
    note: PromissoryNote, sent_on: datetime.date, letter_number: str, *, actor
) -> PromissoryNoteStep:
    """The issuer is notified by registered letter that the note will be filled in."""
    note = locked(note)
    check("note", "notice", note.status, field="sent_on")
    letter_number = letter_number.strip()
    if not letter_number:
        raise ValidationError({"letter_number": _("Give the registered letter's number.")})
    if sent_on < note.issued_on:
        raise ValidationError(
            {
                "sent_on": _("The notice cannot be before the note was issued (%(date)s).")
                % {"date": short_date(note.issued_on)}
            }
        )
    not_in_future("sent_on", sent_on, _("The date"))
    return record_step(note, STEP.NOTICE, sent_on, actor, letter_number=letter_number)


def check_fill_in(
    note: PromissoryNote,
    filled_on: datetime.date,
    amount: Decimal | None,
    *,
    day_field: str = "filled_on",
    amount_field: str = "amount",
):
    """Refuse filling the note in on `filled_on` for `amount` unless its declaration allows it:
    in custody, a claim of §6.3-4 open, at most the maximum, notice sent 7 days before."""
    check("note", "fill_in", note.status, field=day_field)
    if amount is None or amount <= 0:
        raise ValidationError({amount_field: _("Give the amount to fill in.")})
    if amount > note.max_amount:
        raise ValidationError(
            {
                amount_field: _(
                    "The amount cannot exceed the note's maximum under its declaration (%(max)s PLN)."
                )
                % {"max": f"{note.max_amount:.2f}".replace(".", ",")}
            }
        )
    if not note.claims.filter(status=DamageClaim.Status.OPEN).exists():
        raise ValidationError(
            _(
                "The note secures only the claims of § 6 points 3 and 4: record the damage claim first."
            )
        )
    notice = note.steps.filter(kind=STEP.NOTICE).order_by("-date", "-pk").first()
    if notice is None:
        raise ValidationError(
            {
                day_field: _(
                    "The issuer has not been notified: record the registered letter first (at least %(days)d days before filling the note in)."
                )
                % {"days": NOTICE_DAYS}
            }
        )
    earliest = notice.date + datetime.timedelta(days=NOTICE_DAYS)
    if filled_on < earliest:
        raise ValidationError(
            {
                day_field: _(
                    "The notice was sent on %(sent)s: the note can be filled in at least %(days)d days later, from %(date)s."
                )
                % {
                    "sent": short_date(notice.date),
                    "days": NOTICE_DAYS,
                    "date": short_date(earliest),
                }
            }
        )
    not_in_future(day_field, filled_on, _("The date"))


def fill_in(note, filled_on, amount, description, actor):
    """Write the filling in of a locked note the caller has checked."""
    note.status, note.released_on, note.release_record, note.released_by = (
        PromissoryNote.Status.FILLED_IN,
        filled_on,
        description,
        actor,
    )
    save_changed(note, "status", "released_on", "release_record", "released_by")
    return record_step(
        note, STEP.FILLED_IN, filled_on, actor, amount=amount, description=description
    )


@service
def do_fill_in_note(
    note: PromissoryNote,
    filled_on: datetime.date,
    amount: Decimal,
    description: str = "",
    *,
    actor,
) -> PromissoryNoteStep:
    """Fill the note in to recover an open claim of §6.3-4, as its declaration allows."""
    note = locked(note)
    check_fill_in(note, filled_on, amount)
    return fill_in(note, filled_on, amount, description.strip(), actor)
