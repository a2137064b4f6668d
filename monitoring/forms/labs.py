"""Forms of the labs: a month's opening hours (a weekly pattern and single slots) and the
supervisor's monthly report."""

import datetime

from django import forms
from django.forms import formset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput
from procurement.models import Contract

from .. import schedules
from ..models import (
    LabReport,
    LabSchedule,
)
from .common import (
    TEXTAREA,
    ContractChoiceField,
    TimeInput,
    contracts_in_force,
)

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

# --- the labs' monthly opening hours -----------------------------------------------------------


CONTROL = {"class": "form-control"}


class SlotForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=DateInput(attrs=CONTROL))
    starts_at = forms.TimeField(label=capfirst(_("from")), widget=TimeInput(attrs=CONTROL))
    ends_at = forms.TimeField(label=capfirst(_("until")), widget=TimeInput(attrs=CONTROL))


class BaseSlotFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


SlotFormSet = formset_factory(
    SlotForm, formset=BaseSlotFormSet, extra=3, can_delete=True, max_num=200, absolute_max=200
)


class ScheduleForm(forms.Form):
    room = forms.CharField(
        label=capfirst(_("room")),
        max_length=100,
        required=False,
        help_text=_("E.g. “room 12, first floor”."),
    )
    notes = forms.CharField(
        label=capfirst(_("notes for learners")),
        required=False,
        max_length=max_length_of(LabSchedule, "notes"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Shown on the public page and the poster. Write nothing personal."),
    )
    contract = ContractChoiceField(
        label=capfirst(_("lab supervision contract")),
        queryset=Contract.objects.none(),
        required=False,
        help_text=_("The contract under which the supervisors keep the lab."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts_in_force(month)


class WeeklyForm(forms.Form):
    """Adds the same hours on chosen weekdays of every week of the month."""

    weekdays = forms.TypedMultipleChoiceField(
        label=capfirst(_("weekdays")),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.TimeField(label=capfirst(_("from")), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=capfirst(_("until")), required=False, widget=TimeInput())
    skip = forms.CharField(
        label=capfirst(_("except the days")),
        required=False,
        max_length=300,
        help_text=_("Days of the month without these hours (holidays), e.g. “1, 3, 30”."),
    )

    def clean_skip(self):
        text = self.cleaned_data["skip"].replace(";", ",").replace(" ", ",")
        days = []
        for part in filter(None, text.split(",")):
            if not part.isdigit() or not 1 <= int(part) <= 31:
                raise forms.ValidationError(
                    _("Give days of the month as numbers separated by commas.")
                )
            days.append(int(part))
        return days

    def clean(self):
        data = super().clean()
        weekdays, start, end = data.get("weekdays"), data.get("starts_at"), data.get("ends_at")
        if weekdays and (start is None or end is None):
            for name in ("starts_at", "ends_at"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Enter the hours for the chosen weekdays."))
        elif (start or end) and not weekdays:
            self.add_error("weekdays", _("Choose the weekdays for these hours."))
        return data

    def slots(self, month: datetime.date) -> list[schedules.Slot]:
        data = self.cleaned_data
        if not data.get("weekdays"):
            return []
        end = schedules.last_day(month)
        skip = [month.replace(day=d) for d in data.get("skip", []) if d <= end.day]
        return schedules.weekly_slots(
            month, data["weekdays"], data["starts_at"], data["ends_at"], skip=skip
        )


class ScheduleEntry:
    """The schedule page's three forms: the month's details, its slots (one row each) and the
    weekly hours that add slots. Valid when all are and `schedules.slot_problems` finds nothing;
    each problem is shown on the row (or the weekly hours) it comes from."""

    def __init__(self, month, data=None, *, schedule=None):
        self.month = month
        initial = {}
        rows = []
        if schedule is not None:
            initial = {
                "room": schedule.room,
                "notes": schedule.notes,
                "contract": schedule.contract_id,
                "version": schedule.version,
            }
            rows = [
                {"day": s.day, "starts_at": s.starts_at, "ends_at": s.ends_at}
                for s in schedule.slots.all()
            ]
        self.form = ScheduleForm(data, prefix="schedule", initial=initial, month=month)
        self.slots = SlotFormSet(data, prefix="slots", initial=rows)
        self.weekly = WeeklyForm(data, prefix="weekly")
        self.problems: list[str] = []

    def is_valid(self) -> bool:
        valid = [self.form.is_valid(), self.slots.is_valid(), self.weekly.is_valid()]
        if not all(valid):
            return False
        # Rows left empty (the spare ones) and rows ticked "remove" are not slots.
        rows = [
            form
            for form in self.slots.forms
            if form.cleaned_data.get("day") and not form.cleaned_data.get("DELETE")
        ]
        entered = [
            schedules.Slot(
                f.cleaned_data["day"], f.cleaned_data["starts_at"], f.cleaned_data["ends_at"]
            )
            for f in rows
        ]
        added = self.weekly.slots(self.month)
        self.cleaned_slots = entered + added
        problems = schedules.slot_problems(self.month, self.cleaned_slots)
        for index, message in sorted(problems.items()):
            if index < len(rows):
                rows[index].add_error("day", message)
            else:
                self.weekly.add_error(None, message)
        return not problems

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.weekly.errors
            or self.slots.non_form_errors()
            or any(f.errors for f in self.slots.forms)
        )

    def row_errors(self):
        """(row number, field id, messages) for the summary at the top of the page."""
        for number, form in enumerate(self.slots.forms, start=1):
            for name, errors in form.errors.items():
                field_id = form[name].id_for_label if name in form.fields else ""
                yield number, field_id, errors


# --- the supervisors' monthly reports ----------------------------------------------------------


class LabReportForm(VersionedForm):
    contract = ContractChoiceField(
        label=capfirst(_("lab supervision contract")),
        queryset=Contract.objects.none(),
        required=False,
    )

    class Meta:
        model = LabReport
        fields = ["contract", "hours_open", "visitors", "problems", "submitted_on"]
        widgets = {"submitted_on": DateInput(), "problems": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts_in_force(month)
