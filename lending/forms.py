from django import forms
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput, confirmation_field
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.uploads import validate_upload
from procurement.models import Contract

from .models import (
    AgreementAnnex,
    Asset,
    AssetEvent,
    Connection,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    Outage,
    OwnershipTransfer,
    ParticipationEnd,
    PromissoryNote,
    PromissoryNoteStep,
    ServiceRecord,
)
from .services.participation import end_participation_errors

TEXTAREA = {"rows": 3}


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _text(label, *, max_length: int, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


def _money(label, required=False):
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=12, decimal_places=2
    )


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} – {obj.supplier.name}"


def _contracts():
    return Contract.objects.with_parties().order_by("-signed_on", "number")


# --- equipment ---------------------------------------------------------------------------------------


class DeliveryImportForm(forms.Form):
    file = forms.FileField(
        label=_("delivery list"),
        help_text=_(
            "An .xlsx or .csv file with a header row: kind, make and model, serial number, "
            "value; optionally inventory number and warranty until."
        ),
    )
    contract = ContractChoiceField(label=_("delivered under the contract"), queryset=_contracts())
    delivered_on = _date(_("delivered on"))
    insurance_contract = ContractChoiceField(
        label=_("insurance contract"), queryset=_contracts(), required=False
    )
    insurance_policy = forms.CharField(label=_("insurance policy"), max_length=80, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            validate_upload(upload, ("xlsx",))
        return upload


class AssetForm(VersionedForm):
    insurance_contract = ContractChoiceField(
        label=_("insurance contract"), queryset=_contracts(), required=False
    )

    class Meta:
        model = Asset
        fields = [
            "kind",
            "make_model",
            "serial_number",
            "inventory_number",
            "value",
            "warranty_until",
            "insurance_contract",
            "insurance_policy",
        ]
        widgets = {"warranty_until": DateInput()}


class AssetChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.serial_number} – {obj.get_kind_display()} {obj.make_model} ({obj.value} zł)"


class PlaceInUnitForm(forms.Form):
    assets = AssetChoiceField(label=_("equipment in stock"), queryset=Asset.objects.none())
    unit = forms.ModelChoiceField(label=_("public unit"), queryset=PublicUnit.objects.all())
    placed_on = _date(_("placed on"))

    def __init__(self, *args, assets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = assets if assets is not None else Asset.objects.none()


class DateAndNoteForm(forms.Form):
    day = _date(_("date"))
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class WriteOffForm(forms.Form):
    written_off_on = _date(_("written off on"))
    reason = _text(
        _("reason"),
        help_text=_("Destroyed, lost, beyond repair; the protocol."),
        max_length=max_length_of(AssetEvent, "note"),
    )
    confirm = confirmation_field(
        _("I confirm: the asset is written off the register; this cannot be undone"),
        _("Confirm the write-off: it cannot be undone."),
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ServiceRecord.Kind.choices)
    description = _text(_("description"), max_length=max_length_of(ServiceRecord, "description"))
    started_on = _date(_("started on"))
    completed_on = _date(_("completed on"), required=False, help_text=_("Empty: still going on."))
    provider = forms.CharField(
        label=_("done by"),
        required=False,
        max_length=200,
        help_text=_("Empty: the supplier of the equipment contract."),
    )
    cost = _money(_("cost (PLN)"))
    taken_away = forms.BooleanField(
        label=_("taken away for the service"),
        required=False,
        help_text=_("The asset left its holder; it is in service until the service is completed."),
    )


class CompleteServiceForm(forms.Form):
    completed_on = _date(_("completed on"))
    cost = _money(_("cost (PLN)"))
    condition = forms.ChoiceField(
        label=_("condition after the service"),
        choices=[("", _("unchanged")), *Asset.Condition.choices],
        required=False,
    )


class DamageClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("claim for"), choices=DamageClaim.Kind.choices)
    description = _text(_("what happened"), max_length=max_length_of(DamageClaim, "description"))
    occurred_on = _date(_("found on"))
    amount = _money(_("amount (PLN)"))
    condition = forms.ChoiceField(
        label=_("condition of the asset"),
        choices=[
            c
            for c in Asset.Condition.choices
            if c[0] in (Asset.Condition.DAMAGED, Asset.Condition.DESTROYED, Asset.Condition.LOST)
        ],
    )


class SettleClaimForm(forms.Form):
    status = forms.ChoiceField(
        label=_("settled as"),
        choices=[c for c in DamageClaim.Status.choices if c[0] != DamageClaim.Status.OPEN],
    )
    settled_on = _date(_("settled on"))
    amount = _money(_("final amount (PLN)"))
    note = _text(
        _("how it was settled"),
        required=False,
        max_length=max_length_of(DamageClaim, "settlement_note"),
    )


# --- agreements -----------------------------------------------------------------------------------


class AgreementForm(forms.Form):
    assets = AssetChoiceField(
        label=_("equipment to lend"),
        queryset=Asset.objects.none(),
        help_text=_("Equipment in stock; each serial can be in one agreement at a time."),
    )
    drafted_on = _date(_("prepared on"))

    def __init__(self, *args, assets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = assets if assets is not None else Asset.objects.none()


class SignForm(forms.Form):
    signed_on = _date(_("signed on"))
    issuer_document_type = forms.ChoiceField(
        label=_("issuer's identity document"), choices=PromissoryNote.Document.choices
    )
    issuer_document_number = forms.CharField(
        label=_("number of the issuer's identity document"),
        max_length=20,
        help_text=_("Series and number, e.g. ABC123456."),
    )
    spouse_name = forms.CharField(
        label=_("spouse consenting to the promissory note"),
        required=False,
        max_length=200,
        validators=[validate_person_name],
        help_text=_("Where the borrower is married: the spouse who signed the consent."),
    )
    spouse_pesel = forms.CharField(label=_("spouse's PESEL"), required=False, max_length=11)
    spouse_document_number = forms.CharField(
        label=_("number of the spouse's identity document"), required=False, max_length=20
    )
    spouse_consent = forms.BooleanField(
        label=_("the spouse signed the consent on the declaration"), required=False
    )
    custody_location = forms.CharField(
        label=_("the note is kept in"),
        required=False,
        max_length=200,
        help_text=_("Empty: the project office's safe."),
    )
    confirm = confirmation_field(
        _(
            "I confirm: the agreement and the promissory note are signed; the signed papers are archived as they are"
        ),
        _("Confirm the signature: a signed agreement cannot be unsigned."),
    )


class HandoverForm(forms.Form):
    handed_over_on = _date(
        _("handed over on"), help_text=_("The 3 years of the loan are counted from this day.")
    )


class EndAgreementForm(forms.Form):
    ended_on = _date(_("ended on"))
    reason = _text(_("reason"), max_length=max_length_of(LoanAgreement, "end_reason"))
    return_due_on = _date(
        _("equipment to be returned by"), required=False, help_text=_("Empty: within 14 days.")
    )


class AnnexForm(forms.Form):
    new_end = _date(
        _("new end of the term"),
        help_text=_("At most the end of the project's durability period."),
    )
    reason = _text(_("reason"), max_length=max_length_of(AgreementAnnex, "reason"))
    drafted_on = _date(_("prepared on"))


class AnnexSignForm(forms.Form):
    signed_on = _date(_("signed on"))
    confirm = confirmation_field(
        _("I confirm: the annex is signed and the agreement's term changes; this cannot be undone"),
        _("Confirm the signature of the annex: it cannot be undone."),
    )


class NoticeForm(forms.Form):
    sent_on = _date(_("sent on"))
    letter_number = forms.CharField(
        label=_("registered letter number"),
        max_length=max_length_of(PromissoryNoteStep, "letter_number"),
        help_text=_("The number on the post office's receipt."),
    )


class FillInForm(forms.Form):
    filled_on = _date(_("filled in on"))
    amount = _money(_("amount (PLN)"), required=True)
    description = _text(
        _("what the amount covers"),
        required=False,
        max_length=max_length_of(PromissoryNoteStep, "description"),
    )
    confirm = confirmation_field(
        _("I confirm: the promissory note is filled in with this amount; this cannot be undone"),
        _("Confirm the filling in of the note: it cannot be undone."),
    )


class TransferForm(forms.Form):
    transferred_on = _date(_("handed over for ownership on"))
    basis = _text(
        _("basis of the decision"),
        max_length=max_length_of(OwnershipTransfer, "basis"),
        help_text=_("The decision (order, resolution) and what it rests on."),
    )
    confirm = confirmation_field(
        _(
            "I confirm: the equipment passes into the borrowers' ownership and leaves the register; this cannot be undone"
        ),
        _("Confirm the transfer of ownership: it cannot be undone."),
    )


class ReturnForm(forms.Form):
    """One checkbox, condition and note per asset still out under the agreement."""

    returned_on = _date(_("returned on"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            serial = item.asset.serial_number
            self.fields[f"back_{item.pk}"] = forms.BooleanField(
                label=_("%(serial)s came back") % {"serial": serial}, required=False
            )
            self.fields[f"condition_{item.pk}"] = forms.ChoiceField(
                label=_("condition of %(serial)s") % {"serial": serial},
                choices=Asset.Condition.choices,
                initial=Asset.Condition.WORN,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("note on %(serial)s") % {"serial": serial}, required=False, max_length=300
            )

    def rows(self):
        return [
            {
                "item": item,
                "back": self[f"back_{item.pk}"],
                "condition": self[f"condition_{item.pk}"],
                "note": self[f"note_{item.pk}"],
            }
            for item in self.items
        ]

    def returns(self):
        return [
            (
                item.asset,
                self.cleaned_data[f"condition_{item.pk}"],
                self.cleaned_data[f"note_{item.pk}"],
            )
            for item in self.items
            if self.cleaned_data.get(f"back_{item.pk}")
        ]


class NoteReleaseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("the note was"),
        choices=[
            (PromissoryNote.Status.RETURNED, _("returned to the issuer")),
            (PromissoryNote.Status.DESTROYED, _("destroyed")),
        ],
        widget=forms.RadioSelect,
    )
    released_on = _date(_("on"))
    record = _text(
        _("record"),
        help_text=_("Who was present, how it was done, the protocol's reference."),
        max_length=max_length_of(PromissoryNote, "release_record"),
    )
    confirm = confirmation_field(
        _("I confirm: the promissory note is returned or destroyed; this cannot be undone"),
        _("Confirm the return or destruction of the note: it cannot be undone."),
    )


# --- participation -----------------------------------------------------------------------------


class EndParticipationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("the participation ends by"),
        choices=ParticipationEnd.Kind.choices,
        widget=forms.RadioSelect,
    )
    decided_on = _date(_("date of the end"))
    statement_on = _date(
        _("date of the written statement"),
        required=False,
        help_text=_(
            "Required for a resignation (§7.2) and when the criteria are no longer met (§7.3): "
            "the date of the participant's written statement."
        ),
    )
    reason = _text(_("reason or facts"), max_length=max_length_of(ParticipationEnd, "reason"))
    return_due_on = _date(
        _("equipment to be returned by"), required=False, help_text=_("Empty: within 14 days.")
    )
    # The end and the promotion from the reserve list cannot be undone: the server asks.
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the participation ends and the place goes to the first on the reserve "
            "list; this cannot be undone"
        ),
        error_messages={
            "required": _("Confirm the end of the participation: it cannot be undone.")
        },
    )

    def __init__(self, *args, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant

    def clean(self):
        """The service's checks with the form's own, so that every error shows in one round."""
        cleaned = super().clean()
        if self.participant is None:
            return cleaned
        errors = end_participation_errors(
            self.participant,
            **{
                name: cleaned.get(name)
                for name in ("kind", "decided_on", "reason", "statement_on", "return_due_on")
            },
        )
        for field, messages in errors.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class ExclusionProposalForm(forms.Form):
    facts = _text(
        _("facts"),
        help_text=_("Which obligation was broken (§6), when, how it was found."),
        max_length=max_length_of(ExclusionProposal, "facts"),
    )
    proposed_on = _date(_("date"))


class ExclusionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("exclude the household")), ("reject", _("reject the proposal"))],
        widget=forms.RadioSelect,
    )
    decided_on = _date(_("date of the decision"))
    reason = _text(
        _("reason for the decision"),
        max_length=max_length_of(ExclusionProposal, "decision_reason"),
    )
    return_due_on = _date(
        _("equipment to be returned by"), required=False, help_text=_("Empty: within 14 days.")
    )
    # An exclusion (or the rejection of its proposal) is decided once: the server asks.
    confirm = forms.BooleanField(
        label=_("I confirm the decision; it cannot be undone"),
        error_messages={"required": _("Confirm the decision: it cannot be undone.")},
    )


# --- connections ------------------------------------------------------------------------------


class ConnectionForm(forms.Form):
    contract = ContractChoiceField(label=_("provider's contract"), queryset=_contracts())
    installed_on = _date(_("installed on"))
    technology = forms.CharField(label=_("technology and speed"), required=False, max_length=200)


class ConnectionMoveForm(forms.Form):
    from_contract = ContractChoiceField(
        label=_("from the provider's contract"),
        queryset=_contracts(),
        help_text=_("Every connection not ended that is provided under it moves."),
    )
    to_contract = ContractChoiceField(label=_("to the new contract"), queryset=_contracts())
    since = _date(
        _("provided under the new contract from"),
        help_text=_("The first day the new contract pays for; it must cover that day."),
    )


class ConnectionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Connection.Status.choices)
    since = _date(_("since"))
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class OutageForm(forms.Form):
    started_on = _date(_("started on"))
    description = _text(_("description"), max_length=max_length_of(Outage, "description"))


class CloseOutageForm(forms.Form):
    ended_on = _date(_("ended on"))
    resolution = forms.CharField(label=_("resolution"), required=False, max_length=300)
