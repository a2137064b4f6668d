"""The visit form (phone first): the visit, each lent asset's check, follow-up actions."""

import datetime

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput
from lebork_einclusion.people import validate_person_name

from ..models import (
    PURPOSES,
    AssetCheck,
    MonitoringVisit,
)
from ..services.visits import CheckInput, FollowUpInput
from .common import (
    TEXTAREA,
    TimeInput,
    User,
    UserChoiceField,
    staff_users,
)

# --- home visits ---------------------------------------------------------------------------------

YES_NO = [("yes", _("yes")), ("no", _("no"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class YesNoField(forms.TypedChoiceField):
    """A yes/no question answered with two radio buttons (None while not answered)."""

    def __init__(self, *, label, yes=None, no=None, **kwargs):
        choices = [("yes", yes or _("yes")), ("no", no or _("no"))]
        super().__init__(
            label=label,
            choices=choices,
            coerce=_yes_no,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked by monitoring.photos in the view."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class VisitForm(forms.Form):
    """The visit's own fields; the assets (by serial) and the follow-ups are formsets beside it
    (VisitEntry). Field names are the service's, so its refusals land next to them."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    planned = forms.IntegerField(widget=forms.HiddenInput, required=False)
    visited_on = forms.DateField(label=capfirst(_("date")), widget=DateInput())
    visited_time = forms.TimeField(label=capfirst(_("time")), widget=TimeInput())
    outcome = forms.ChoiceField(
        label=capfirst(_("outcome")),
        choices=MonitoringVisit.Outcome.choices,
        initial=MonitoringVisit.Outcome.MADE,
        widget=forms.RadioSelect,
    )
    present = forms.CharField(
        label=capfirst(_("who was present")),
        max_length=300,
        required=False,
        help_text=_("E.g. “the beneficiary and her son”."),
    )
    connection_working = YesNoField(label=capfirst(_("the connection works")))
    measured_speed = forms.DecimalField(
        label=capfirst(_("measured speed (Mb/s)")),
        required=False,
        min_value=0,
        max_value=10_000,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        help_text=_("Optional: a speed test's download figure."),
    )
    used_by = forms.CharField(
        label=capfirst(_("who uses it")),
        max_length=300,
        required=False,
        help_text=_("E.g. “two children for school, the mother for job offers”."),
    )
    purposes = forms.MultipleChoiceField(
        label=capfirst(_("used for")),
        choices=PURPOSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    use_note = forms.CharField(
        label=capfirst(_("how it is used")),
        required=False,
        max_length=max_length_of(MonitoringVisit, "use_note"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    not_sold = YesNoField(
        label=_("The equipment is in the household: not sold, pawned or encumbered (§6.4)"),
        yes=_("kept"),
        no=_("broken"),
    )
    not_lent = YesNoField(
        label=_("It is not lent or given to anyone outside the household (§6.4)"),
        yes=_("kept"),
        no=_("broken"),
    )
    lawful_use = YesNoField(label=_("It is used lawfully (§6.2)"), yes=_("kept"), no=_("broken"))
    compliance_note = forms.CharField(
        label=capfirst(_("note on the obligations")),
        required=False,
        max_length=max_length_of(MonitoringVisit, "compliance_note"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("For a broken obligation: what was found. The coordinator decides on it."),
    )
    findings = forms.CharField(
        label=capfirst(_("findings")),
        required=False,
        max_length=max_length_of(MonitoringVisit, "findings"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_visit_on = forms.DateField(
        label=capfirst(_("next visit")), required=False, widget=DateInput()
    )
    photos = MultiplePhotoField(
        label=capfirst(_("photos")),
        required=False,
        help_text=_(
            "From the phone's camera. Stored smaller and without the location or any other "
            "data of the camera."
        ),
    )
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    signed_by = forms.CharField(
        label=capfirst(_("signed by")),
        max_length=200,
        required=False,
        validators=[validate_person_name],
        help_text=_(
            "The name of the person who signs (the beneficiary or a member of the household)."
        ),
    )

    def visited_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("visited_on"), self.cleaned_data.get("visited_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))


class CheckForm(forms.Form):
    serial = forms.CharField(max_length=80, widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label=capfirst(_("state")),
        choices=AssetCheck.State.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    action = forms.ChoiceField(
        label=capfirst(_("what follows")),
        choices=AssetCheck.Action.choices,
        initial=AssetCheck.Action.NONE,
        required=False,
    )
    note = forms.CharField(label=capfirst(_("note")), max_length=500, required=False)


CheckFormSet = formset_factory(CheckForm, extra=0, max_num=50, absolute_max=50)


class FollowUpRowForm(forms.Form):
    what = forms.CharField(label=capfirst(_("what is to be done")), max_length=500, required=False)
    responsible = UserChoiceField(
        label=capfirst(_("responsible")), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=capfirst(pgettext_lazy("a deadline", "by")), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_users()

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("what") or "").strip() and not data.get("due_on")


FollowUpFormSet = formset_factory(FollowUpRowForm, extra=2, max_num=10, absolute_max=10)


class VisitEntry:
    """The visit page's forms: the visit, its assets by serial (pre-filled from lending) and
    its follow-ups. `errors_for(name)` gives the service's refusals of the parts that are not
    fields of the visit form (the assets, the follow-ups, the photos)."""

    def __init__(self, data=None, files=None, *, assets, initial=None, users=None):
        self.assets = {asset.serial_number: asset for asset in assets}
        self.form = VisitForm(data, files, initial=initial or {}, prefix=None)
        self.checks = CheckFormSet(
            data, prefix="checks", initial=[{"serial": serial} for serial in self.assets]
        )
        self.follow_ups = FollowUpFormSet(data, prefix="follow")
        self.extra_errors: dict[str, list[str]] = {}
        for form in self.checks.forms:
            serial = form.initial.get("serial") or (
                form.data.get(form.add_prefix("serial")) if data else ""
            )
            form.asset = self.assets.get(serial)
            form.serial_number = serial

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.checks.is_valid(), self.follow_ups.is_valid()])

    def add_error(self, field: str | None, messages):
        messages = [messages] if isinstance(messages, str) else list(messages)
        if field in self.form.fields or field is None:
            self.form.add_error(field, messages)
        else:
            self.extra_errors.setdefault(field, []).extend(messages)

    def errors_for(self, name: str) -> list[str]:
        return self.extra_errors.get(name, [])

    def check_inputs(self):
        return [
            CheckInput(
                serial=form.cleaned_data["serial"],
                state=form.cleaned_data.get("state") or "",
                action=form.cleaned_data.get("action") or AssetCheck.Action.NONE,
                note=form.cleaned_data.get("note") or "",
            )
            for form in self.checks.forms
            if form.cleaned_data.get("serial")
            and (form.cleaned_data.get("state") or self.form.cleaned_data.get("outcome") == "made")
        ]

    def follow_up_inputs(self):
        return [
            FollowUpInput(
                what=form.cleaned_data.get("what") or "",
                responsible=form.cleaned_data.get("responsible"),
                due_on=form.cleaned_data.get("due_on"),
            )
            for form in self.follow_ups.forms
            if not form.is_blank
        ]

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.extra_errors
            or any(f.errors for f in self.checks.forms)
            or any(f.errors for f in self.follow_ups.forms)
        )

    def error_list(self) -> list[dict]:
        """Every error as {field (the input's id), label, message}, for the summary at the top
        (and the phone's script, which shows them without reloading the page)."""
        found = []
        for error in self.form.non_field_errors():
            found.append({"field": "", "label": "", "message": str(error)})
        for field in self.form:
            for error in field.errors:
                # A group of radio buttons has no one input to point at: its wrapper instead.
                anchor = field.id_for_label or f"div_{field.auto_id}"
                found.append({"field": anchor, "label": str(field.label), "message": str(error)})
        anchors = {
            "checks": "visit-assets",
            "follow_ups": "visit-follow-ups",
            "photos": "id_photos",
        }
        labels = {
            "checks": _("Equipment"),
            "follow_ups": _("Follow-up actions"),
            "photos": capfirst(_("photos")),
            "signature": capfirst(_("beneficiary's signature")),
        }
        for name, messages in self.extra_errors.items():
            for message in messages:
                found.append(
                    {
                        "field": anchors.get(name, f"visit-{name}"),
                        "label": str(labels.get(name, name)),
                        "message": str(message),
                    }
                )
        for subset in (self.checks, self.follow_ups):
            for form in subset.forms:
                for name, errors in form.errors.items():
                    for error in errors:
                        found.append(
                            {
                                "field": form[name].id_for_label or f"div_{form[name].auto_id}",
                                "label": str(form.fields[name].label),
                                "message": str(error),
                            }
                        )
        return found
