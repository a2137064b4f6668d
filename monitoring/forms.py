import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import URLValidator
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput
from lebork_einclusion.people import validate_person_name
from lending.models import Participant
from procurement.models import Contract

from . import chronicle, schedules
from .models import (
    PURPOSES,
    AssetCheck,
    ChronicleEntry,
    FollowUp,
    IndicatorSnapshot,
    LabReport,
    LabSchedule,
    MonitoringVisit,
    PlannedVisit,
)
from .services.follow_ups import follow_up_errors, set_on
from .services.visits import CheckInput, FollowUpInput

User = get_user_model()
TEXTAREA = {"rows": 3}
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def contracts_in_force(month: datetime.date):
    """Contracts whose term covers some of the month (lab supervision is one of them)."""
    return Contract.objects.with_parties().filter(
        term_start__lte=schedules.last_day(month), term_end__gte=month
    )


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract):
        return f"{contract.number} – {contract.supplier.name}"


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
        self.fields["covers"].choices = chronicle.milestone_choices(self.instance)

    def clean(self):
        data = super().clean()
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        return data


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


def staff_users():
    """People who may be made responsible for a follow-up: active staff of the office."""
    from lebork_einclusion import roles

    return (
        User.objects.filter(is_active=True, groups__name__in=roles.MONITORING_STAFF)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


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
