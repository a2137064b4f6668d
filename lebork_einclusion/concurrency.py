"""Optimistic locking for records edited in forms: the second of two concurrent saves is refused.

A form built on VersionedForm carries the version it was rendered with; save_versioned()
locks the row, compares, and refuses with a field-level explanation instead of overwriting.
The refused form keeps everything the user typed and now carries the current version, so
after reviewing the other person's values (listed in the message) the user may save again.
"""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """The record changed since the form was opened; nothing was saved."""


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


def _display(instance, name):
    field = instance._meta.get_field(name)
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    value = getattr(instance, name)
    return "—" if value in (None, "") else value


def with_saved_values(message, form, current) -> str:
    """A stale-form refusal followed by the saved values of the fields the user changed."""
    model = type(current)
    columns = {f.name for f in model._meta.fields}
    theirs = [
        f"{model._meta.get_field(name).verbose_name}: {_display(current, name)}"
        for name in form.changed_data
        if name != "version" and name in columns
    ]
    if not theirs:
        return str(message)
    return f"{message} " + _("Saved values: %(values)s") % {"values": "; ".join(theirs)}


def save_versioned(form: VersionedForm):
    """Save the form's instance if nobody saved it since the form was rendered.

    Raises ConcurrentEditError (after adding a form error) when the stored version moved on.
    """
    instance = form.instance
    model = type(instance)
    with transaction.atomic():
        if instance._state.adding:  # a new row, or a singleton saved the first time
            return form.save()
        current = model.objects.select_for_update().get(pk=instance.pk)
        expected = form.cleaned_data.get("version")
        if expected != current.version:
            message = with_saved_values(
                _(
                    "Someone else saved this record while you were editing it. Your changes have "
                    "NOT been saved and are still in the form. Compare them with the saved values "
                    "and save again to keep yours."
                ),
                form,
                current,
            )
            form.add_error(None, message)
            data = form.data.copy()
            data[form.add_prefix("version")] = str(current.version)
            form.data = data
            raise ConcurrentEditError
        instance.version = current.version + 1
        return form.save()
