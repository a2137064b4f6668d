from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from localflavor.pl.forms import PLPESELField, PLPostalCodeField

from .concurrency import VersionedForm
from .models import (
    AccessibilityStatement,
    LegalHold,
    Officeholder,
    PrivacyNotice,
    Project,
    PublicUnit,
)


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
            "owner_name_genitive",
            "owner_name_instrumental",
            "owner_seat",
            "start_date",
            "end_date",
            "durability_years",
            "target_households",
            "target_public_units",
            "target_people_trained",
            "target_training_hours",
            "office_room",
            "office_phone",
            "office_email",
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


class OfficeholderForm(VersionedForm):
    class Meta:
        model = Officeholder
        fields = [
            "office",
            "name",
            "name_genitive",
            "name_accusative",
            "title",
            "title_genitive",
            "title_accusative",
            "valid_from",
            "valid_to",
            "authority",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in their order, True bare, False left out."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select drawn in Python: the HTML of Django's select.html, which includes a template per
    option (a filter of a list page with a hundred choices took longer than the list's rows)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attributes(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts += [
                    format_html('\n  <option value="{}"', option["value"]),
                    _attributes(option["attrs"]),
                    format_html(">{}</option>\n", option["label"]),  # the template's last line
                ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped by format_html


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(
        label=_("Record type"), required=False, widget=QuickSelect(attrs={"class": "form-select"})
    )
    object_id = forms.CharField(
        label=_("Record ID"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    user = forms.IntegerField(
        label=_("User"), required=False, widget=QuickSelect(attrs={"class": "form-select"})
    )

    def __init__(self, *args, model_choices=(), user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("all")), *model_choices]
        self.fields["user"].widget.choices = [("", _("all")), *user_choices]


# The name of the confirmation box on every form (form_page does not pass it to the step).
CONFIRM = "confirm"


def confirmation_field(label, refused) -> forms.BooleanField:
    """The required "I confirm" checkbox of a step that cannot be undone (an approval, an
    issue, a signature...): the server refuses the step without it, with `refused` next to the
    box, so the confirmation works without JavaScript (the CSP allows no inline script)."""
    return forms.BooleanField(label=label, error_messages={"required": refused})


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names (or at the top of the form, when the
    form has no such field or the refusal names none)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def explain_empty_choice(field, why: str, url: str, action: str) -> bool:
    """A picker with nothing to pick says why and what to do, with a link to where it is done
    (issue 16: no empty list with no word why, and "this field is required" on submit). The
    explanation replaces the field's help text; True when the picker is empty."""
    if field.queryset.exists():
        return False
    field.help_text = format_html(
        '<span class="empty-choice">{}</span> <a href="{}">{}</a>', why, url, action
    )
    return True


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


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text=_("Six digits from the authenticator app, or one of your recovery codes."),
    )


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PersonalDataLogFilterForm(forms.Form):
    user = forms.IntegerField(label=_("User"), required=False, widget=forms.Select)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    object_type = forms.ChoiceField(label=_("Record type"), required=False)

    def __init__(self, *args, user_choices=(), type_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].widget.choices = [("", _("all")), *user_choices]
        self.fields["object_type"].choices = [("", _("all")), *type_choices]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data


class PrivacyNoticeForm(VersionedForm):
    class Meta:
        model = PrivacyNotice
        fields = [
            "controller",
            "controller_contact",
            "dpo_contact",
            "purposes",
            "legal_basis",
            "health_data_basis",
            "recipients",
            "retention",
            "rights",
            "complaint",
            "requirement",
            "automated_decisions",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "controller",
                "purposes",
                "legal_basis",
                "health_data_basis",
                "recipients",
                "retention",
                "rights",
                "complaint",
                "requirement",
                "automated_decisions",
            ]
        }


class AccessibilityStatementForm(VersionedForm):
    site_url = forms.URLField(label=_("address of the application"), assume_scheme="https")

    class Meta:
        model = AccessibilityStatement
        fields = [
            "entity",
            "site_name",
            "site_url",
            "published_on",
            "updated_on",
            "status",
            "non_accessible",
            "exemptions",
            "prepared_on",
            "reviewed_on",
            "method",
            "auditor",
            "keyboard_shortcuts",
            "contact_person",
            "contact_email",
            "contact_phone",
            "architecture",
            "sign_language",
            "mobile_apps",
        ]
        widgets = {
            "published_on": DateInput(),
            "updated_on": DateInput(),
            "prepared_on": DateInput(),
            "reviewed_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "non_accessible",
                    "exemptions",
                    "keyboard_shortcuts",
                    "architecture",
                    "sign_language",
                    "mobile_apps",
                ]
            },
        }


class LegalHoldForm(forms.ModelForm):
    object_type = forms.ChoiceField(label=_("Record type"))

    class Meta:
        model = LegalHold
        fields = ["object_type", "object_id", "reason"]

    def __init__(self, *args, type_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "—"), *type_choices]


class SubjectExportForm(forms.Form):
    FORMATS = [("pdf", _("PDF (to hand over or send)")), ("json", _("JSON (machine-readable)"))]

    pesel = PLPESELField(
        label=_("PESEL number"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="pdf", widget=forms.RadioSelect
    )
