"""Forms of the follow-up actions: a new one, changing or closing one."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.forms import DateInput

from ..models import (
    FollowUp,
)
from ..services.follow_ups import follow_up_errors, set_on
from .common import TEXTAREA, User, UserChoiceField, staff_users


class FollowUpForm(VersionedForm):
    responsible = UserChoiceField(label=capfirst(_("responsible")), queryset=User.objects.none())

    class Meta:
        model = FollowUp
        fields = ["what", "responsible", "due_on", "status", "outcome", "closed_on"]
        widgets = {
            "due_on": DateInput(),
            "closed_on": DateInput(),
            "outcome": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_users()

    def clean(self):
        data = super().clean()
        if data.get("status") == FollowUp.Status.OPEN:
            data["closed_on"] = None
        for field, message in follow_up_errors(
            what=data.get("what"),
            responsible=data.get("responsible"),
            due_on=data.get("due_on"),
            status=data.get("status"),
            outcome=data.get("outcome"),
            closed_on=data.get("closed_on"),
            created_on=set_on(self.instance),
        ).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class NewFollowUpForm(forms.Form):
    what = forms.CharField(label=capfirst(_("what is to be done")), max_length=500)
    responsible = UserChoiceField(label=capfirst(_("responsible")), queryset=User.objects.none())
    due_on = forms.DateField(label=capfirst(pgettext_lazy("a deadline", "by")), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_users()
