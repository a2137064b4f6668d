"""Shared by the procurement services: the step check, the timeline entry, the date and value
checks, a note in the office's language, saving a versioned form's values."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed

from .. import workflow
from ..models import Procedure, ProcedureEvent

# The refusal of a form opened before someone else's save (the versioned forms' message).
EDITED_SINCE = gettext_lazy(
    "Someone else saved this record while you were editing it. Your changes have "
    "NOT been saved and are still in the form. Compare them with the saved values "
    "and save again to keep yours."
)


def check_step(step: str, procedure: Procedure):
    reason = workflow.refusal(step, procedure.status)
    if reason:
        raise ValidationError(reason, code="out_of_order")


def record_event(procedure, kind, date, actor, note=""):
    return ProcedureEvent.objects.create(
        procedure=procedure,
        kind=kind,
        status=procedure.status,
        date=date,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def office_note(message, **params) -> str:
    """A line the system writes into the record (timeline notes, attachment titles): in the
    office's language whatever the language of the user's screen or of a command."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {k: _money(v) if isinstance(v, Decimal) else v for k, v in params.items()}
        return str(message) % values


def _money(value) -> str:
    return number_format(value, 2, force_grouping=True)


def date_errors(errors: dict, field: str, value, *, not_before=None, before_message=""):
    """A missing date, a date in the future, or one before `not_before` (dates of events that
    have happened are recorded after the fact, never ahead)."""
    if value is None:
        errors[field] = _("Enter the date.")
    elif value > clock.today():
        errors[field] = _("The date cannot be in the future.")
    elif not_before is not None and value < not_before:
        errors[field] = before_message % {"date": short_date(not_before)}


def raise_errors(errors: dict):
    if errors:
        raise ValidationError(errors)


def _fill(instance, data: dict) -> None:
    """Set a record's fields from a form's cleaned values (the version is the lock's)."""
    fields = [f for f in type(instance)._meta.fields if f.name in data and f.name != "version"]
    # Files last, as a ModelForm does: their upload path may use the other fields.
    fields.sort(key=lambda f: isinstance(f, models.FileField))
    for field in fields:
        field.save_form_data(instance, data[field.name])


def save_form_values(instance, data: dict):
    """Create the record, or save an existing one unless someone saved it since the form that
    sent `data` was opened (its "version")."""
    if instance.pk is None:
        _fill(instance, data)
        instance.save()
        return instance
    current = locked(instance, expected_version=data.get("version"), message=EDITED_SINCE)
    _fill(current, data)
    save_changed(current)
    return current


def value_errors(net, gross, field="value_gross") -> dict:
    if net is not None and gross is not None and gross < net:
        return {field: _("The gross value cannot be lower than the net value.")}
    return {}
