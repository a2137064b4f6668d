"""Forms of the indicators: freezing a snapshot, the day the live figures are counted to."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput

from ..models import (
    IndicatorSnapshot,
)
from .common import TEXTAREA

# --- indicator snapshots -----------------------------------------------------------------------


class SnapshotForm(forms.Form):
    as_of = forms.DateField(
        label=capfirst(_("figures as of")),
        widget=DateInput(),
        help_text=_("The figures are counted as the records stood at the end of this day."),
    )
    purpose = forms.ChoiceField(
        label=capfirst(_("purpose")), choices=IndicatorSnapshot.Purpose.choices
    )
    reference = forms.CharField(
        label=capfirst(_("reference")),
        max_length=200,
        required=False,
        help_text=_("E.g. “payment claim no. 2 for 01.10–31.12.2012”."),
    )
    note = forms.CharField(
        label=capfirst(_("note")),
        required=False,
        max_length=max_length_of(IndicatorSnapshot, "note"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=capfirst(_("figures as of")), required=False, widget=DateInput())
