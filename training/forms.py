from django import forms
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput, confirmation_field, style_widgets
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.pesel import PeselField
from lending.models import Participant
from procurement.models import Contract
from recruitment.models import HouseholdMember

from .models import (
    Attendance,
    AttendanceCorrection,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ModuleForm(VersionedForm):
    class Meta:
        model = TrainingModule
        fields = [
            "number",
            "name",
            "form",
            "hour_unit",
            "planned_groups",
            "planned_hours_per_group",
            "starts_on",
            "ends_on",
            "contract",
            "completion_percent",
            "obligatory",
            "certificate_text",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "certificate_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.with_parties()

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return cleaned


class GroupForm(VersionedForm):
    class Meta:
        model = TrainingGroup
        fields = ["name", "trainer", "room", "capacity"]


class SessionForm(VersionedForm):
    class Meta:
        model = TrainingSession
        fields = ["date", "starts_at", "ends_at", "hours", "topic", "trainer", "room"]
        widgets = {"date": DateInput(), "starts_at": TimeInput(), "ends_at": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance.group.module.get_hour_unit_display()
        self.fields["hours"].help_text = _("In %(unit)s.") % {"unit": unit}


class MembersForm(forms.Form):
    """Household members of participating households, not yet in a group of the module."""

    members = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=HouseholdMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class NewcomerForm(forms.Form):
    """Someone of the household not recorded as its member (an adult who moved in)."""

    participant = forms.ModelChoiceField(
        label=_("Household"),
        queryset=Participant.objects.none(),
        help_text=_("The participating household the person lives in."),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_person_name]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_person_name]
    )
    pesel = PeselField(label=_("PESEL"), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    reason = forms.CharField(
        label=_("Why this person is not a member of the household"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=max_length_of(Trainee, "reason"),
        help_text=_("E.g. “an adult son who moved back in October 2012”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        participants = (
            Participant.objects.active()
            .select_related("application", "signatory")
            .order_by("application__sequence")
        )
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.application.number} – {p.signatory.first_name} {p.signatory.last_name}"
        )


class AttendanceForm(forms.Form):
    """One status (and a reason for an excused absence) per trainee of the session.

    `preset` fills unmarked trainees in as present: the desk page, typing from a signed sheet
    where most people signed. The phone page starts with nobody marked.
    """

    def __init__(self, *args, trainees, marks, preset=False, scan=False, correction=False, **kw):
        super().__init__(*args, **kw)
        self.trainees = trainees
        self.correction = correction
        for trainee in trainees:
            mark = marks.get(trainee.pk)
            status = self.fields[f"status_{trainee.pk}"] = forms.ChoiceField(
                label=trainee.full_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            status.initial = mark.status if mark else ("present" if preset else None)
            reason = self.fields[f"reason_{trainee.pk}"] = forms.CharField(
                label=_("Reason for the absence of %(name)s") % {"name": trainee.full_name},
                max_length=300,
                required=False,
            )
            reason.initial = mark.reason if mark else ""
        if scan:
            self.fields["scan"] = forms.FileField(
                label=_("Scan of the signed sheet"),
                required=False,
                help_text=_(
                    "PDF, JPEG or PNG. Once attached, the session is locked: later changes need a "
                    "correction with its reason."
                ),
            )
        if correction:
            self.fields["correction_reason"] = forms.CharField(
                label=_("Reason for the correction"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=max_length_of(AttendanceCorrection, "reason"),
                required=False,
                help_text=_(
                    "The signed sheet is attached: every change is kept with this reason, "
                    "e.g. “a sick note delivered on 10.12.2012”."
                ),
            )

    def rows(self):
        return [
            {
                "number": number,
                "trainee": trainee,
                "status": self[f"status_{trainee.pk}"],
                "reason": self[f"reason_{trainee.pk}"],
            }
            for number, trainee in enumerate(self.trainees, start=1)
        ]

    def marks(self) -> dict[int, tuple[str, str]]:
        """The statuses given (unmarked trainees are left out)."""
        result = {}
        for trainee in self.trainees:
            status = self.cleaned_data.get(f"status_{trainee.pk}")
            if status:
                result[trainee.pk] = (status, self.cleaned_data.get(f"reason_{trainee.pk}", ""))
        return result


class LoginHandoverForm(forms.Form):
    handed_over_on = forms.DateField(label=_("Login handed over on"), widget=DateInput())


class ProgressImportForm(forms.Form):
    file = forms.FileField(
        label=_("The provider's export (XLSX or CSV)"),
        help_text=_(
            "Columns: login, progress (%) and last activity; a name column, if present, is "
            "checked against the login."
        ),
    )


class TraineeFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or household number"), required=False, max_length=100)
    module = forms.ModelChoiceField(
        label=_("Module"), queryset=TrainingModule.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=TrainingGroup.objects.none(), required=False
    )

    def __init__(self, *args, modules, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{g.name} ({g.module.name})"
        self.fields["q"].widget.input_type = "search"
        style_widgets(self)


class IssueCertificateForm(forms.Form):
    issued_on = forms.DateField(label=_("Date of issue"), widget=DateInput())
    confirm = confirmation_field(
        _("I confirm: the certificate is issued once and archived exactly as issued"),
        _("Confirm the issue: a certificate is issued only once and cannot be changed after."),
    )
