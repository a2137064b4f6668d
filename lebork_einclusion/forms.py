from django import forms
from django.utils.translation import gettext_lazy as _
from localflavor.pl.forms import PLPostalCodeField

from .concurrency import VersionedForm
from .models import Project, PublicUnit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "programme",
            "priority_axis",
            "measure",
            "fund",
            "owner_name",
            "owner_address",
            "start_date",
            "end_date",
            "durability_years",
            "target_households",
            "target_public_units",
            "target_people_trained",
            "target_training_hours",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class PublicUnitForm(VersionedForm):
    postal_code = PLPostalCodeField(label=_("postal code"))

    class Meta:
        model = PublicUnit
        fields = [
            "name",
            "short_name",
            "kind",
            "street",
            "postal_code",
            "city",
            "contact_person",
            "phone",
        ]


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record ID"), required=False, max_length=40)
    user = forms.IntegerField(label=_("User"), required=False, widget=forms.Select)

    def __init__(self, *args, model_choices=(), user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("all")), *model_choices]
        self.fields["user"].widget.choices = [("", _("all")), *user_choices]


def style_widgets(form) -> None:
    """Bootstrap classes for a form rendered field by field (filter bars): crispy-forms styles
    the rest."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
