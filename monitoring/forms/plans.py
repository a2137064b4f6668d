"""Forms of the visit plan: a visit added or moved by hand, a call's rule."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.forms import DateInput
from lending.models import Participant

from ..models import (
    PlannedVisit,
)
from .common import User, UserChoiceField, staff_users


class PlannedVisitForm(VersionedForm):
    officer = UserChoiceField(
        label=capfirst(_("visiting officer")), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = PlannedVisit
        fields = ["due_on", "officer", "note"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff_users()


class NewPlannedVisitForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=capfirst(_("household")), queryset=Participant.objects.none()
    )
    due_on = forms.DateField(label=capfirst(_("to be made by")), widget=DateInput())
    officer = UserChoiceField(
        label=capfirst(_("visiting officer")), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=capfirst(_("note")), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            Participant.objects.active()
            .select_related("application", "signatory")
            .order_by("application__sequence")
        )
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.application.number} – {p.signatory.first_name} {p.signatory.last_name}, {p.application.street} {p.application.building}"
        )
        self.fields["officer"].queryset = staff_users()


class VisitRuleForm(forms.Form):
    first_within_months = forms.IntegerField(
        label=capfirst(_("first visit within (months of the handover)")), min_value=1, max_value=24
    )
    every_months = forms.IntegerField(
        label=capfirst(_("then a visit every (months)")),
        min_value=1,
        max_value=12,
        help_text=_("At least one visit a year: 12 months at most."),
    )
    officer = UserChoiceField(
        label=capfirst(_("visiting officer")),
        queryset=User.objects.none(),
        required=False,
        help_text=_("New planned visits are given to this person."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff_users()
