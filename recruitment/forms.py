from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from localflavor.pl.forms import PLPostalCodeField

from lebork_einclusion import clock, roles
from lebork_einclusion.concurrency import VersionedForm, carry_original
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput, confirmation_field
from lebork_einclusion.pesel import PeselField
from lebork_einclusion.uploads import validate_upload

from . import domain
from .models import Application, Call, CommitteeMeeting, HouseholdMember, Notification, ReviewNote
from .validation import application_errors, member_errors, warnings_to_confirm


class CallForm(VersionedForm):
    required_documents = forms.MultipleChoiceField(
        label=_("Documents required of every applicant"),
        # A person's own documents (criteria 3-5) are required per person, never of everyone.
        choices=[
            (doc, label)
            for doc, label in domain.DOCUMENT_TYPES.items()
            if doc not in domain.PERSONAL_DOCUMENTS
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The Regulation's set (§5.3) is ticked by default; criterion documents are required per criterion."
        ),
    )

    class Meta:
        model = Call
        fields = [
            "code",
            "title",
            "opens_on",
            "deadline",
            "places",
            "reserve_places",
            "average_salary",
            "ceiling_percent_family",
            "ceiling_percent_single",
            "reference_date",
            "required_documents",
            "town",
            "e_learning_obligatory",
        ]
        widgets = {"opens_on": DateInput(), "deadline": DateInput(), "reference_date": DateInput()}

    def clean(self):
        cleaned = super().clean()
        opens, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens and deadline and deadline < opens:
            self.add_error("deadline", _("The deadline cannot be before the opening date."))
        return cleaned


class ApplicationForm(VersionedForm):
    postal_code = PLPostalCodeField(label=_("postal code"))
    confirm_late = forms.BooleanField(
        label=_("I confirm: register it as submitted after the deadline"), required=False
    )
    confirm_outside_town = forms.BooleanField(
        label=_("I confirm: the household lives outside the town"), required=False
    )

    class Meta:
        model = Application
        fields = [
            "channel",
            "received_on",
            "postmarked_on",
            "street",
            "building",
            "flat",
            "postal_code",
            "city",
            "phone",
            "has_computer",
            "has_internet",
            "monthly_net_income",
            "social_assistance",
            "family_benefits",
            "alimony_fund",
            "foster_family",
            "family_childrens_home",
        ]
        widgets = {
            "received_on": DateInput(),
            "postmarked_on": DateInput(),
            "channel": forms.RadioSelect,
        }

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.confirmations: dict[str, str] = {}
        # Two ways only, in person first (most applications): no empty choice.
        self.fields["channel"].choices = list(domain.CHANNELS.items())

    def clean(self):
        cleaned = super().clean()
        for name, messages in application_errors(cleaned, self.call, clock.today()).items():
            for message in messages:
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        if not self.errors:
            self.confirmations = warnings_to_confirm(cleaned, self.call)
            if "late" in self.confirmations and not cleaned.get("confirm_late"):
                self.add_error("confirm_late", self.confirmations["late"])
            if "outside_town" in self.confirmations and not cleaned.get("confirm_outside_town"):
                self.add_error("confirm_outside_town", self.confirmations["outside_town"])
        return cleaned

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "pesel",
    "role",
    "disability",
    "school_scholarship",
    "foster_child",
    "family_home_child",
)


# The person's own documents (criteria 3-5), one tick per member: a certificate proves its person.
PERSONAL_DOCUMENT_FIELDS = {
    domain.DISABILITY_CERTIFICATE: "has_disability_certificate",
    domain.SCHOLARSHIP_CONFIRMATION: "has_scholarship_confirmation",
}


class MemberForm(forms.ModelForm):
    pesel = PeselField(label=_("PESEL"))
    has_disability_certificate = forms.BooleanField(
        label=_("Own disability certificate handed in"), required=False
    )
    has_scholarship_confirmation = forms.BooleanField(
        label=_("Own school scholarship confirmation handed in"), required=False
    )

    class Meta:
        model = HouseholdMember
        # A copy: Django's inline formset appends its foreign key to this list.
        fields = list(MEMBER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            present = {d.doc_type for d in self.instance.documents.all()}
            for doc_type, name in PERSONAL_DOCUMENT_FIELDS.items():
                self.fields[name].initial = doc_type in present

    def personal_documents(self) -> list[str]:
        return [
            doc_type
            for doc_type, name in PERSONAL_DOCUMENT_FIELDS.items()
            if self.cleaned_data.get(name)
        ]


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, call: Call, household: dict | None = None, **kwargs):
        self.call = call
        self.household = household or {}
        super().__init__(*args, **kwargs)

    def kept_forms(self):
        """Forms of members to keep: filled in (or existing) and not marked for removal."""
        return [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk) and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        members = [f.cleaned_data for f in self.kept_forms() if f.cleaned_data]
        overall, per_member = member_errors(members, self.household, self.call)
        for form, problems in zip(
            [f for f in self.kept_forms() if f.cleaned_data], per_member, strict=True
        ):
            for name, messages in problems.items():
                for message in messages:
                    form.add_error(name, message)
        if overall:
            raise forms.ValidationError(overall)

    def member_dicts(self) -> list[dict]:
        result = []
        for form in self.kept_forms():
            if not form.cleaned_data:
                continue
            data = {name: form.cleaned_data[name] for name in MEMBER_FIELDS}
            data["documents"] = form.personal_documents()
            if form.instance.pk:
                data["id"] = form.instance.pk
            result.append(data)
        return result


MemberFormSet = forms.inlineformset_factory(
    Application,
    HouseholdMember,
    form=MemberForm,
    formset=BaseMemberFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


# The household's documents: the person's own (criteria 3-5) are ticked on each member's row.
HOUSEHOLD_DOCUMENT_TYPES = {
    doc_type: label
    for doc_type, label in domain.DOCUMENT_TYPES.items()
    if doc_type not in domain.PERSONAL_DOCUMENTS
}


class DocumentChecklistForm(forms.Form):
    """One row per household document type: handed in (tick) and an optional scan."""

    def __init__(self, *args, application: Application | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        present = (
            {d.doc_type: d for d in application.documents.filter(member__isnull=True)}
            if application and application.pk
            else {}
        )
        self.existing = present
        for doc_type, label in HOUSEHOLD_DOCUMENT_TYPES.items():
            self.fields[f"received_{doc_type}"] = forms.BooleanField(
                label=label, required=False, initial=doc_type in present
            )
            self.fields[f"scan_{doc_type}"] = forms.FileField(
                label=_("Scan of: %(document)s") % {"document": label}, required=False
            )

    def rows(self):
        for doc_type, label in HOUSEHOLD_DOCUMENT_TYPES.items():
            yield {
                "doc_type": doc_type,
                "label": label,
                "received": self[f"received_{doc_type}"],
                "scan": self[f"scan_{doc_type}"],
                "document": self.existing.get(doc_type),
            }

    def clean(self):
        cleaned = super().clean()
        for doc_type in HOUSEHOLD_DOCUMENT_TYPES:
            scan = cleaned.get(f"scan_{doc_type}")
            if scan:
                try:
                    validate_upload(scan)
                except forms.ValidationError as error:
                    self.add_error(f"scan_{doc_type}", error)
                    continue
                if not cleaned.get(f"received_{doc_type}"):
                    cleaned[f"received_{doc_type}"] = True
        return cleaned

    def received(self) -> dict:
        return {
            doc_type: self.cleaned_data.get(f"scan_{doc_type}")
            for doc_type in HOUSEHOLD_DOCUMENT_TYPES
            if self.cleaned_data.get(f"received_{doc_type}")
        }


def document_label(document) -> str:
    """The document's type, and whose it is for a person's own (criteria 3-5)."""
    if document.member_id:
        return f"{document.get_doc_type_display()}: {document.member}"
    return document.get_doc_type_display()


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note for the committee"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=max_length_of(ReviewNote, "text"),
    )

    def __init__(self, *args, application: Application, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = documents
        self.fields["version"].initial = application.version
        for document in documents:
            self.fields[f"verified_{document.key}"] = forms.BooleanField(
                label=document_label(document), required=False, initial=document.verified
            )
        carry_original(self)  # a refused save merges against what the member started from

    def rows(self):
        for document in self.documents:
            yield {"document": document, "field": self[f"verified_{document.key}"]}

    def verified(self) -> set[str]:
        return {
            name.removeprefix("verified_")
            for name, value in self.cleaned_data.items()
            if name.startswith("verified_") and value
        }


class MeetingForm(VersionedForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CommitteeMeeting
        fields = ["held_on", "place", "members", "notes", "tie_resolution"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(groups__name__in=[roles.COMMITTEE, roles.COORDINATOR], is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["members"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > clock.today():
            raise forms.ValidationError(_("A meeting cannot be recorded before it takes place."))
        return held_on


class ApproveListsForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Committee meeting"), queryset=CommitteeMeeting.objects.none()
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    # An approval cannot be undone: the server asks for the confirmation, not only the page.
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the approved lists are final and change only by a promotion or a vacancy"
        ),
        error_messages={"required": _("Confirm the approval: it cannot be undone.")},
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = call.meetings.order_by("-held_on")
        # The meetings read once: the choices shown and the newest as the default (the
        # queryset still checks the meeting sent).
        meetings = list(field.queryset)
        field.choices = [("", field.empty_label)] + [(m.pk, str(m)) for m in meetings]
        if meetings:
            field.initial = meetings[0].pk
            self.fields["decided_on"].initial = meetings[0].held_on


class NotificationForm(forms.ModelForm):
    class Meta:
        model = Notification
        fields = ["channel", "sent_on", "note"]
        widgets = {"sent_on": DateInput()}


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: registered twice (the application that stays is …), or entered for "
            "the wrong household. The application is kept, marked as withdrawn."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm = confirmation_field(
        _("I confirm: the application is withdrawn from the call; this cannot be undone"),
        _("Confirm the withdrawal: it cannot be undone."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Applications file (JSON, FORMATS.md)"))
    update = forms.BooleanField(
        label=_("Replace applications already registered under the same number"), required=False
    )
