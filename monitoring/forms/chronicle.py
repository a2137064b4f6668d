"""The chronicle entry's form."""

from django import forms
from django.core.validators import URLValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.forms import DateInput

from .. import chronicle
from ..models import (
    ChronicleEntry,
)
from .common import TEXTAREA

# --- the chronicle ---------------------------------------------------------------------------


class ChronicleEntryForm(VersionedForm):
    link = forms.URLField(
        label=capfirst(_("link")),
        max_length=500,
        assume_scheme="https",
        required=False,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An http:// or https:// address of the article or the news."),
    )
    covers = forms.MultipleChoiceField(
        label=capfirst(_("milestones it tells of")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Milestones the apps record that this entry tells of: the chronicle shows the entry "
            "in their place, so nothing is listed twice."
        ),
    )

    class Meta:
        model = ChronicleEntry
        fields = [
            "date",
            "end_date",
            "precision",
            "kind",
            "title",
            "source",
            "link",
            "description",
            "covers",
            "published",
            "editorial_note",
        ]
        widgets = {
            "date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs=TEXTAREA),
            "editorial_note": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The apps' milestones, read once: the service checks the entry against the same list.
        self.milestones = chronicle.milestones()
        self.fields["covers"].choices = chronicle.milestone_choices(self.instance, self.milestones)

    def clean(self):
        data = super().clean()
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        return data
