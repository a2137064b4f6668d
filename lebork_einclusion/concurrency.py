"""Optimistic locking for records edited in forms: the second of two concurrent saves is refused,
and nothing anyone confirmed is lost.

A versioned form carries the version it was rendered with and, signed, the values it was opened
with (`original`). A stale save is refused with, field by field, the saved value, the user's
value and who saved; the refused form becomes a three-way merge against the values the user
started from: a field the user did not change takes the saved value (so another member's
verification is never removed silently), a field the user changed keeps the user's. The form
then carries the stored version and the saved values as its new start, so saving again saves
the merge knowingly.
"""

import json

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from .records import CONCURRENT_EDIT

ORIGINAL = "original"  # the hidden field with the signed start values
_SALT = "lebork_einclusion.concurrency.original"
_SKIPPED = ("version", ORIGINAL)


class ConcurrentEditError(Exception):
    """The record changed since the form was opened; nothing was saved."""


def _raw(field, value):
    """A field's value as a form posts it (JSON-able): pks for records, ISO dates."""
    value = field.prepare_value(value)
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return [str(getattr(v, "pk", v)) for v in (value or [])]
    return json.loads(json.dumps(getattr(value, "pk", value), cls=DjangoJSONEncoder))


def _compared(field, raw):
    """A raw value in a form fit for comparing ("1450.00" == "1450.0", "on" == True)."""
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return frozenset(str(v) for v in (raw or []))
    if isinstance(field, forms.ModelChoiceField):
        return "" if raw in (None, "") else str(getattr(raw, "pk", raw))
    try:
        value = field.to_python(raw)
    except ValidationError:
        return ("invalid", str(raw))
    if isinstance(value, str):
        value = value.strip()
    return "" if value is None else value


def mergeable_fields(form) -> dict:
    return {
        name: field
        for name, field in form.fields.items()
        if name not in _SKIPPED and not isinstance(field, forms.FileField)
    }


def start_values(form) -> dict:
    """The values the form shows when it opens (the values the user starts from)."""
    return {
        name: _raw(field, form.get_initial_for_field(field, name))
        for name, field in mergeable_fields(form).items()
    }


def sign_values(values: dict) -> str:
    return signing.dumps(values, salt=_SALT, compress=True)


class OriginalField(forms.CharField):
    """The signed start values: never a change of the user's, never a value for the record."""

    def has_changed(self, initial, data):
        return False


def carry_original(form) -> None:
    """Give a form the hidden, signed start values (computed when the form is shown, after every
    field has been added). They stay out of cleaned_data: the services never see them."""
    form.fields[ORIGINAL] = OriginalField(
        widget=forms.HiddenInput,
        required=False,
        max_length=20_000,
        initial=lambda: sign_values(start_values(form)),
    )
    full_clean = form.full_clean

    def full_clean_without_original():
        full_clean()
        if hasattr(form, "cleaned_data"):
            form.cleaned_data.pop(ORIGINAL, None)

    form.full_clean = full_clean_without_original


def posted_original(form) -> dict | None:
    """The start values the form came back with, or None (absent or tampered with)."""
    token = form.data.get(form.add_prefix(ORIGINAL))
    if not token:
        return None
    try:
        values = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return values if isinstance(values, dict) else None


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        carry_original(self)


def saved_values(form, current) -> dict:
    """The stored record's values of the form's fields (raw); fields that are not the record's
    keep the values the form was built with."""
    values = {
        name: _raw(field, form.get_initial_for_field(field, name))
        for name, field in mergeable_fields(form).items()
    }
    if current is not None and hasattr(form, "_meta"):
        columns = model_to_dict(current, fields=list(values))
        for name, value in columns.items():
            values[name] = _raw(form.fields[name], value)
    return values


def last_change(record) -> tuple[str, object] | None:
    """Who saved the record last and when, from the audit trail (pghistory)."""
    events = getattr(record, "events", None)
    if events is None:
        return None
    event = events.order_by("-pgh_created_at").select_related("pgh_context").first()
    if event is None:
        return None
    user_id = (event.pgh_context.metadata if event.pgh_context else {}).get("user")
    user = None
    if user_id:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=user_id).first()
    who = (user.get_full_name() or user.username) if user else gettext("the system")
    return who, event.pgh_created_at


def _shown(field, raw) -> str:
    """A value as the screens show it."""
    if raw in (None, "", []):
        return "—"
    if isinstance(field, forms.BooleanField):
        return gettext("yes") if field.to_python(raw) else gettext("no")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(o) for o in field.queryset.filter(pk__in=list(raw))) or "—"
    if isinstance(field, forms.ModelChoiceField):
        found = field.queryset.filter(pk=raw).first()
        return str(found) if found else str(raw)
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): v for k, v in field.choices if not isinstance(v, list | tuple)}
        if isinstance(raw, list):
            return ", ".join(str(labels.get(str(v), v)) for v in raw)
        return str(labels.get(str(raw), raw))
    try:
        value = field.to_python(raw)
    except ValidationError:
        return str(raw)
    if hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "year"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return formats.localize(value) if not isinstance(value, str) else value


def _put(data, key: str, field, raw) -> None:
    """Write a raw value into a form's data as the browser would post it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if raw and raw not in ("false", "False", "0"):
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(raw, list):
        data.setlist(key, [str(v) for v in raw])
    else:
        data[key] = "" if raw is None else str(raw)


def merge_stale(form, *, current_version, current=None, record=None, message) -> None:
    """Refuse a stale save on `form` and turn it into a three-way merge.

    base: the values the user started from (the signed `original`), mine: what the user sent,
    theirs: what is stored now. A field the user did not change takes the saved value; a field
    the user changed keeps the user's. The refusal lists, field by field, the saved value and
    the user's where they differ, with who saved last; the form then carries the stored version
    and the saved values as its new start."""
    fields = mergeable_fields(form)
    theirs = saved_values(form, current)
    base = posted_original(form)
    if base is None:  # no start values: every difference counts as the user's change
        base = theirs
    data = form.data.copy()
    rows = []
    for name, field in fields.items():
        key = form.add_prefix(name)
        mine = field.widget.value_from_datadict(form.data, form.files, key)
        started = base.get(name, theirs[name])
        user_changed = _compared(field, mine) != _compared(field, started)
        if not user_changed:
            _put(data, key, field, theirs[name])
        elif _compared(field, mine) != _compared(field, theirs[name]):
            rows.append((field.label or name, _shown(field, theirs[name]), _shown(field, mine)))
    if "version" in form.fields:
        data[form.add_prefix("version")] = str(current_version)
    if ORIGINAL in form.fields:
        data[form.add_prefix(ORIGINAL)] = sign_values(theirs)
    form.data = data
    form.add_error(None, refusal(message, rows, last_change(record or current)))


def refusal(message, rows, change) -> str:
    """The refusal's text: the message, who saved, then per field the saved and the user's
    value (the fields the user did not change already show the saved values)."""
    parts = [str(message)]
    if change:
        who, when = change
        parts.append(
            gettext("Saved by %(who)s, %(when)s.")
            % {"who": who, "when": date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")}
        )
    if rows:
        parts.append(
            format_html(
                "<ul class='mb-0'>{}</ul>",
                format_html_join(
                    "",
                    "<li>{}: {} <strong>{}</strong>; {} <strong>{}</strong></li>",
                    (
                        (label, gettext("saved"), saved, gettext("yours"), yours)
                        for label, saved, yours in rows
                    ),
                ),
            )
        )
    else:
        parts.append(gettext("The fields you did not change now show the saved values."))
    return format_html_join(" ", "{}", ((part,) for part in parts))


STALE_RECORD = CONCURRENT_EDIT


def save_versioned(form: VersionedForm):
    """Save the form's instance if nobody saved it since the form was rendered.

    Raises ConcurrentEditError (after merging the saved values into the form) when the stored
    version moved on.
    """
    instance = form.instance
    model = type(instance)
    with transaction.atomic():
        if instance._state.adding:  # a new row, or a singleton saved the first time
            return form.save()
        current = model.objects.select_for_update().get(pk=instance.pk)
        expected = form.cleaned_data.get("version")
        if expected != current.version:
            merge_stale(
                form, current_version=current.version, current=current, message=STALE_RECORD
            )
            raise ConcurrentEditError
        instance.version = current.version + 1
        return form.save()
