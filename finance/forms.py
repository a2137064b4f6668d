from django import forms
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.fields import NOTE_LENGTH, max_length_of
from lebork_einclusion.forms import DateInput, confirmation_field
from lebork_einclusion.uploads import validate_upload
from procurement.models import Contract, Supplier

from .models import (
    MONEY,
    BudgetAmendment,
    BudgetLine,
    ClaimProgress,
    Expenditure,
    FundingAgreement,
    PaymentClaim,
    Task,
)

TEXTAREA = {"rows": 3}


def _money(label, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=0,
    )


class AgreementForm(VersionedForm):
    class Meta:
        model = FundingAgreement
        fields = [
            "number",
            "signed_on",
            "eligible_from",
            "eligible_until",
            "eu_rate",
            "state_rate",
            "vat_eligible",
        ]
        widgets = {
            "signed_on": DateInput(),
            "eligible_from": DateInput(),
            "eligible_until": DateInput(),
        }


class AmendmentForm(forms.Form):
    """One budget line's new amounts, with the amendment that changes them. The amendment's
    number is checked by the service (a change without one is refused, with the reason)."""

    line = forms.ModelChoiceField(label=_("budget line"), queryset=BudgetLine.objects.none())
    net = _money(_("new net (PLN)"))
    vat = _money(_("new VAT (PLN)"))
    eligible = _money(_("new eligible (PLN)"))
    number = forms.CharField(
        label=_("amendment number"),
        required=False,
        max_length=max_length_of(BudgetAmendment, "number"),
    )
    signed_on = forms.DateField(label=_("amendment signed on"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("reason"), max_length=NOTE_LENGTH, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = agreement.lines.order_by("task", "category")


class ExpenditureForm(VersionedForm):
    scan = forms.FileField(
        label=_("scan"), required=False, help_text=_("PDF, JPEG or PNG of the document.")
    )

    class Meta:
        model = Expenditure
        fields = [
            "number",
            "issuer",
            "issued_on",
            "paid_on",
            "net",
            "vat",
            "gross",
            "eligible",
            "line",
            "contract",
            "description",
            "over_limit_reason",
        ]
        widgets = {"issued_on": DateInput(), "paid_on": DateInput()}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = Supplier.objects.order_by("name")
        self.fields["line"].queryset = agreement.lines.order_by("task", "category")
        self.fields["contract"].queryset = Contract.objects.with_parties().order_by("number")

    def _get_validation_exclusions(self):
        # A document recorded twice and an eligible part above the gross amount are refused by
        # the service, next to the field, with the figures in the message (not the model's
        # constraint's general message at the top of the form).
        return super()._get_validation_exclusions() | {"number", "eligible"}

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            validate_upload(scan)
        return scan


class ExpenditureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.number} – {obj.issuer.name} – {obj.paid_on:%d.%m.%Y} – {obj.eligible} PLN"
        if obj.claim_id:
            label += " " + str(_("(in claim no. %(number)s)") % {"number": obj.claim.number})
        return label


class ClaimForm(VersionedForm):
    expenditures = ExpenditureChoices(
        label=_("expenditures in the claim"),
        queryset=Expenditure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PaymentClaim
        fields = [
            "kind",
            "period_start",
            "period_end",
            "advance_amount",
            "indicator_snapshot",
            "problems",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "problems": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expenditures"].queryset = agreement.expenditures.select_related(
            "issuer", "claim"
        ).order_by("paid_on", "pk")
        if self.instance.pk:
            self.fields["expenditures"].initial = list(self.instance.expenditures.all())
        texts = {p.task: p.text for p in self.instance.progress.all()} if self.instance.pk else {}
        for task in Task:
            self.fields[f"progress_{task.value}"] = forms.CharField(
                label=_("Progress: %(task)s") % {"task": task.label},
                required=False,
                max_length=max_length_of(ClaimProgress, "text"),
                initial=texts.get(task.value, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def service_data(self) -> dict:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith("progress_")
        }
        data["progress"] = {task: self.cleaned_data[f"progress_{task}"] for task in Task.values}
        return data


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FileClaimForm(StepForm):
    filed_on = forms.DateField(label=_("filed on"), widget=DateInput())
    confirm = confirmation_field(
        _("I confirm: the claim is filed with the funding body; its expenditures are then locked"),
        _("Confirm the filing: a filed claim cannot be withdrawn."),
    )


class CorrectionsForm(StepForm):
    note = forms.CharField(
        label=_("corrections requested by the funding body"),
        max_length=max_length_of(PaymentClaim, "corrections_requested"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class AcceptForm(StepForm):
    accepted_on = forms.DateField(label=_("accepted on"), widget=DateInput())


class PaymentForm(StepForm):
    amount = _money(_("amount received (PLN)"))
    received_on = forms.DateField(label=_("received on"), widget=DateInput())


STEP_FORMS = {
    "file": FileClaimForm,
    "corrections": CorrectionsForm,
    "accept": AcceptForm,
    "pay": PaymentForm,
}
