from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from localflavor.pl.forms import PLNIPField, PLPostalCodeField, PLREGONField

from lebork_einclusion.concurrency import VersionedForm
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.forms import DateInput, confirmation_field
from lebork_einclusion.uploads import validate_upload

from .models import Contract, ContractAmendment, Offer, Procedure, ProcedureEvent, Supplier

TEXTAREA = {"rows": 3}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SupplierForm(VersionedForm):
    nip = PLNIPField(label=_("NIP"), help_text=_("Tax number: 10 digits, dashes allowed."))
    regon = PLREGONField(label=_("REGON"), required=False, help_text=_("9 or 14 digits."))
    postal_code = PLPostalCodeField(label=_("postal code"))

    class Meta:
        model = Supplier
        fields = [
            "name",
            "nip",
            "regon",
            "street",
            "postal_code",
            "city",
            "contact_person",
            "phone",
            "email",
        ]


class ProcedureForm(VersionedForm):
    class Meta:
        model = Procedure
        fields = [
            "reference",
            "subject",
            "description",
            "kind",
            "procedure_type",
            "estimated_value_net",
            "estimated_value_gross",
            "price_weight",
            "other_criteria",
            "terms_of_reference",
        ]
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}
        help_texts = {"terms_of_reference": _("A PDF file.")}

    def clean_terms_of_reference(self):
        upload = self.cleaned_data.get("terms_of_reference")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload, ("pdf",))
        return upload


class AnnounceForm(forms.Form):
    announcement_number = forms.CharField(
        label=_("announcement number"),
        max_length=20,
        required=False,
        help_text=_(
            "The BZP notice number, e.g. 408664-2012. A request for quotation published on "
            "the town's website has none."
        ),
    )
    announcement_date = forms.DateField(label=_("announcement date"), widget=DateInput())
    offers_deadline = forms.DateTimeField(label=_("deadline for offers"), widget=DateTimeInput())
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=max_length_of(ProcedureEvent, "note"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class ReannounceForm(AnnounceForm):
    reference = forms.CharField(
        label=_("case reference of the new procedure"), max_length=40, required=False
    )

    field_order = ["reference", "announcement_number", "announcement_date", "offers_deadline"]


class OpenOffersForm(forms.Form):
    opened_on = forms.DateField(label=_("offers opened on"), widget=DateInput())
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=max_length_of(ProcedureEvent, "note"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "bidder",
            "received_at",
            "price",
            "score",
            "criteria",
            "rejected",
            "rejection_reason",
        ]
        widgets = {
            "received_at": DateTimeInput(),
            "rejection_reason": forms.Textarea(attrs=TEXTAREA),
        }


class OfferEvaluationForm(VersionedForm):
    class Meta:
        model = Offer
        fields = ["score", "criteria", "rejected", "rejection_reason"]
        widgets = {"rejection_reason": forms.Textarea(attrs=TEXTAREA)}


def _offer_label(offer: Offer) -> str:
    label = f"{offer.bidder.name} – {number_format(offer.price, 2, force_grouping=True)} zł"
    if offer.score is not None:
        label += f" – {number_format(offer.score, 2)} pkt"
    return label


class AwardForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("winning offer"), queryset=Offer.objects.none())
    award_date = forms.DateField(label=_("award decision date"), widget=DateInput())
    justification = forms.CharField(
        label=_("justification of the choice"),
        required=False,
        max_length=max_length_of(Procedure, "award_justification"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    confirm = confirmation_field(
        _("I confirm: the contract is awarded to this offer; the award cannot be undone"),
        _("Confirm the award: it cannot be undone."),
    )

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["offer"]
        field.queryset = procedure.offers.filter(rejected=False).select_related("bidder")
        field.label_from_instance = _offer_label


class AnnulForm(forms.Form):
    annulled_on = forms.DateField(label=_("annulled on"), widget=DateInput())
    # Not required here: the service explains why a reason is needed (art. 93 ust. 3 Pzp).
    reason = forms.CharField(
        label=_("reason for the annulment"),
        required=False,
        max_length=max_length_of(Procedure, "annulment_reason"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("With its legal basis, e.g. art. 93 ust. 1 pkt 4 Pzp."),
    )
    confirm = confirmation_field(
        _("I confirm: the procedure is annulled and cannot be resumed"),
        _("Confirm the annulment: an annulled procedure cannot be resumed."),
    )


class ContractSignForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "number",
            "signed_on",
            "value_net",
            "value_gross",
            "scope",
            "term_start",
            "term_end",
            "manager",
            "notes",
        ]
        widgets = {
            "signed_on": DateInput(),
            "term_start": DateInput(),
            "term_end": DateInput(),
            "scope": forms.Textarea(attrs=TEXTAREA),
            "notes": forms.Textarea(attrs=TEXTAREA),
        }

    confirm = confirmation_field(
        _("I confirm: the contract is signed; its terms change only by an amendment"),
        _("Confirm the signed contract: its terms change only by an amendment after."),
    )


class ContractEditForm(VersionedForm):
    """The terms of a signed contract are shown read-only: they change only by an amendment
    (the service refuses any change to them, whatever the browser sends)."""

    class Meta(ContractSignForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Contract.CORE_FIELDS:
            field = self.fields[name]
            field.widget.attrs["readonly"] = True
            field.help_text = _("Changed only by an amendment.")


class AmendmentForm(forms.ModelForm):
    file = forms.FileField(
        label=_("scan of the amendment"), required=False, help_text=_("PDF, JPEG or PNG.")
    )

    class Meta:
        model = ContractAmendment
        fields = [
            "number",
            "signed_on",
            "description",
            "new_value_net",
            "new_value_gross",
            "new_term_end",
            "new_scope",
        ]
        widgets = {
            "signed_on": DateInput(),
            "new_term_end": DateInput(),
            "description": forms.Textarea(attrs=TEXTAREA),
            "new_scope": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts = {
            "new_value_net": _("Leave empty when the value does not change."),
            "new_value_gross": _("Leave empty when the value does not change."),
            "new_term_end": _("Leave empty when the term does not change."),
            "new_scope": _("Leave empty when the scope does not change."),
        }


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"), help_text=_("PDF, JPEG or PNG."))
