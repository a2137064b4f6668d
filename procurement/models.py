"""Procurement: procedures (open tenders and requests for quotation), offers, the award,
suppliers and contracts with their amendments.

Every write that changes a procedure's status goes through `services/procedures.py`, which also
records the step in `ProcedureEvent` (the procedure's timeline, read by the monitoring app's
chronicle).
"""

import datetime
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from localflavor.pl.forms import PLNIPField, PLREGONField

from lebork_einclusion.fields import NOTE_LENGTH, STATEMENT_LENGTH, BoundedTextField
from lebork_einclusion.models import VersionedModel
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.uploads import PrivatePath

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}

# BZP (Biuletyn Zamówień Publicznych) notice numbers in 2012 looked like 408664-2012.
BZP_NUMBER = RegexValidator(
    r"^\d{1,6}-\d{4}$",
    _("Enter the notice number as printed in the BZP, e.g. 408664-2012."),
    code="bzp_format",
)


def validate_nip(value):
    """NIP (tax number) with its checksum, by django-localflavor's rule."""
    PLNIPField().clean(value)


def validate_regon(value):
    """REGON (9 or 14 digits) with its checksum, by django-localflavor's rule."""
    PLREGONField().clean(value)


@pghistory.track()
class Supplier(VersionedModel):
    """A contractor (wykonawca): a bidder in procedures and the other party of contracts."""

    name = models.CharField(_("name"), max_length=300)
    nip = models.CharField(
        _("NIP"),
        max_length=10,
        unique=True,
        validators=[validate_nip],
        help_text=_("Tax number: 10 digits, dashes allowed."),
    )
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    contact_person = models.CharField(
        _("contact person"), max_length=200, blank=True, validators=[validate_person_name]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("procurement:supplier_detail", args=[self.pk])

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    @property
    def nip_display(self) -> str:
        n = self.nip
        return f"{n[:3]}-{n[3:6]}-{n[6:8]}-{n[8:]}" if len(n) == 10 else n


class ProcedureQuerySet(models.QuerySet):
    def with_step_due(self, moment):
        """Procedures waiting for their next step at the moment: offers to open (the deadline
        for offers has passed), an award to decide, a contract to sign."""
        return self.filter(
            models.Q(status=Procedure.Status.ANNOUNCED, offers_deadline__lte=moment)
            | models.Q(status__in=[Procedure.Status.OFFERS_OPENED, Procedure.Status.AWARDED])
        )


# The audit-trail model is named explicitly: the default name would be ProcedureEvent, which is
# the procedure's timeline below.
@pghistory.track(model_name="ProcedureAuditEvent")
class Procedure(VersionedModel):
    """A procurement procedure under the Public Procurement Law (Pzp) or a request for quotation
    below its threshold (art. 4 pkt 8 Pzp, the town's own rules)."""

    class Kind(models.TextChoices):
        SUPPLIES = "supplies", _("supplies")
        SERVICES = "services", _("services")

    class ProcedureType(models.TextChoices):
        OPEN_TENDER = "open_tender", _("open tender")
        REQUEST_FOR_QUOTATION = "request_for_quotation", _("request for quotation")

    class Status(models.TextChoices):
        IN_PREPARATION = "in_preparation", _("in preparation")
        ANNOUNCED = "announced", _("announced")
        OFFERS_OPENED = "offers_opened", _("offers opened")
        AWARDED = "awarded", _("awarded")
        CONTRACT_SIGNED = "contract_signed", _("contract signed")
        ANNULLED = "annulled", _("annulled")

    reference = models.CharField(
        _("case reference"),
        max_length=40,
        blank=True,
        help_text=_("The office's case number (znak sprawy), e.g. RZP.271.1.2012."),
    )
    subject = models.CharField(_("subject"), max_length=500)
    description = BoundedTextField(
        _("description of the subject"), blank=True, max_length=STATEMENT_LENGTH
    )
    kind = models.CharField(_("kind of procurement"), max_length=20, choices=Kind.choices)
    procedure_type = models.CharField(
        _("procedure type"), max_length=30, choices=ProcedureType.choices
    )
    estimated_value_net = models.DecimalField(_("estimated value, net (PLN)"), **MONEY)
    estimated_value_gross = models.DecimalField(_("estimated value, gross (PLN)"), **MONEY)
    price_weight = models.PositiveSmallIntegerField(
        _("weight of the price criterion (%)"),
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    other_criteria = models.CharField(
        _("other criteria and their weights"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. “delivery time – 10%”. Leave empty when the price is the only criterion."
        ),
    )
    terms_of_reference = models.FileField(
        _("terms of reference (SIWZ)"),
        upload_to=PrivatePath("procurement/siwz"),
        blank=True,
    )
    announcement_number = models.CharField(
        _("announcement number"),
        max_length=20,
        blank=True,
        validators=[BZP_NUMBER],
        help_text=_("The BZP notice number, e.g. 408664-2012."),
    )
    announcement_date = models.DateField(_("announcement date"), null=True, blank=True)
    offers_deadline = models.DateTimeField(_("deadline for offers"), null=True, blank=True)
    offers_opened_on = models.DateField(_("offers opened on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PREPARATION
    )
    winning_offer = models.ForeignKey(
        "Offer",
        verbose_name=_("winning offer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award_date = models.DateField(_("award decision date"), null=True, blank=True)
    award_justification = BoundedTextField(
        _("justification of the choice"), blank=True, max_length=STATEMENT_LENGTH
    )
    annulled_on = models.DateField(_("annulled on"), null=True, blank=True)
    annulment_reason = BoundedTextField(
        _("reason for the annulment"), blank=True, max_length=STATEMENT_LENGTH
    )
    reannouncement_of = models.ForeignKey(
        "self",
        verbose_name=_("re-announcement of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reannouncements",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement procedure")
        verbose_name_plural = _("procurement procedures")
        ordering = ["-announcement_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement_number"],
                condition=~Q(announcement_number=""),
                name="procedure_unique_announcement_number",
                violation_error_message=_("A procedure with this announcement number exists."),
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="procedure_unique_reference",
                violation_error_message=_("A procedure with this case reference exists."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_value_gross__gte=models.F("estimated_value_net")),
                name="procedure_gross_not_below_net",
                violation_error_message=_("The gross value cannot be lower than the net value."),
            ),
        ]

    def __str__(self):
        if self.announcement_number:
            return f"{self.subject} (BZP {self.announcement_number})"
        return self.subject

    def get_absolute_url(self):
        return reverse("procurement:procedure_detail", args=[self.pk])

    def clean(self):
        if (
            self.estimated_value_net is not None
            and self.estimated_value_gross is not None
            and self.estimated_value_gross < self.estimated_value_net
        ):
            raise ValidationError(
                {"estimated_value_gross": _("The gross value cannot be lower than the net value.")}
            )

    @property
    def year(self) -> int:
        day = self.announcement_date or self.created_at
        return day.year if day else None

    @property
    def label(self) -> str:
        """How the office names it in one line: the BZP number, else the case reference."""
        if self.announcement_number:
            return f"BZP {self.announcement_number}"
        return self.reference or f"#{self.pk}"

    @property
    def is_open_tender(self) -> bool:
        return self.procedure_type == self.ProcedureType.OPEN_TENDER


@pghistory.track()
class ProcedureEvent(models.Model):
    """One step in a procedure's life: the timeline on its page and the milestones of the
    project's chronicle (announced, annulled, awarded, contract signed)."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("procedure event", "registered")
        ANNOUNCED = "announced", pgettext_lazy("procedure event", "announced")
        OFFERS_OPENED = "offers_opened", pgettext_lazy("procedure event", "offers opened")
        AWARDED = "awarded", pgettext_lazy("procedure event", "contract awarded")
        CONTRACT_SIGNED = "contract_signed", pgettext_lazy("procedure event", "contract signed")
        ANNULLED = "annulled", pgettext_lazy("procedure event", "annulled")
        REANNOUNCED = "reannounced", pgettext_lazy("procedure event", "announced again")
        CONTRACT_AMENDED = "contract_amended", pgettext_lazy("procedure event", "contract amended")

    # What the monitoring app's project chronicle shows as milestones.
    MILESTONES = (Kind.ANNOUNCED, Kind.ANNULLED, Kind.AWARDED, Kind.CONTRACT_SIGNED)

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status after the event"), max_length=20, choices=Procedure.Status.choices
    )
    date = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = BoundedTextField(_("note"), blank=True, max_length=NOTE_LENGTH)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure event")
        verbose_name_plural = _("procedure events")
        ordering = ["date", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}: {self.procedure}"


@pghistory.track()
class Offer(VersionedModel):
    """An offer received in a procedure; scored and possibly rejected (art. 89 Pzp) after opening."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="offers"
    )
    bidder = models.ForeignKey(
        Supplier, verbose_name=_("bidder"), on_delete=models.PROTECT, related_name="offers"
    )
    received_at = models.DateTimeField(_("received at"))
    price = models.DecimalField(_("price, gross (PLN)"), **MONEY)
    score = models.DecimalField(
        _("score (points)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    criteria = models.CharField(
        _("points per criterion"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “price 90.00 pts, delivery time 10.00 pts”."),
    )
    rejected = models.BooleanField(_("rejected"), default=False)
    rejection_reason = BoundedTextField(
        _("reason for the rejection"), blank=True, max_length=NOTE_LENGTH
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "bidder"],
                name="offer_one_per_bidder",
                violation_error_message=_("This bidder already has an offer in this procedure."),
            )
        ]

    def __str__(self):
        return f"{self.bidder} – {self.price} PLN"


class ContractQuerySet(models.QuerySet):
    """Other apps link their records to contracts: these make the usual look-ups short."""

    def with_parties(self):
        return self.select_related("supplier", "procedure")

    def for_subject(self, text: str):
        """Contracts whose procedure's subject contains `text` (case-insensitive)."""
        return self.filter(procedure__subject__icontains=text)

    def for_supplier(self, text: str):
        return self.filter(supplier__name__icontains=text)

    def in_force_on(self, day):
        return self.filter(term_start__lte=day, term_end__gte=day)

    def ending(self, day, days: int = 90):
        """Contracts whose term ends between the day and `days` days after it."""
        return self.filter(term_end__range=(day, day + datetime.timedelta(days=days)))


@pghistory.track()
class Contract(VersionedModel):
    """A signed contract. Its core terms never change after signing, except through an amendment
    (aneks, art. 144 Pzp): `services.do_amend_contract` is the only writer of those fields."""

    # Fields only an amendment may change once the contract is signed.
    CORE_FIELDS = (
        "number",
        "signed_on",
        "value_net",
        "value_gross",
        "scope",
        "term_start",
        "term_end",
    )

    number = models.CharField(_("contract number"), max_length=60, unique=True)
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="contracts"
    )
    signed_on = models.DateField(_("signed on"))
    value_net = models.DecimalField(_("value, net (PLN)"), **MONEY)
    value_gross = models.DecimalField(_("value, gross (PLN)"), **MONEY)
    scope = BoundedTextField(_("scope"), max_length=STATEMENT_LENGTH)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    manager = models.CharField(
        _("managed by"),
        max_length=200,
        blank=True,
        help_text=_("Who in the office looks after this contract."),
    )
    notes = BoundedTextField(_("notes"), blank=True, max_length=NOTE_LENGTH)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="contract_term_in_order",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(value_gross__gte=models.F("value_net")),
                name="contract_gross_not_below_net",
                violation_error_message=_("The gross value cannot be lower than the net value."),
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.supplier.name}"

    def get_absolute_url(self):
        return reverse("procurement:contract_detail", args=[self.pk])


@pghistory.track()
class ContractAmendment(models.Model):
    """An amendment (aneks): what it changed, with the values before and after."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.CharField(_("amendment number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    description = BoundedTextField(_("what it changes and why"), max_length=STATEMENT_LENGTH)
    previous_value_net = models.DecimalField(_("previous value, net (PLN)"), **MONEY)
    previous_value_gross = models.DecimalField(_("previous value, gross (PLN)"), **MONEY)
    previous_term_end = models.DateField(_("previous end of term"))
    previous_scope = BoundedTextField(_("previous scope"), max_length=STATEMENT_LENGTH)
    new_value_net = models.DecimalField(_("new value, net (PLN)"), null=True, blank=True, **MONEY)
    new_value_gross = models.DecimalField(
        _("new value, gross (PLN)"), null=True, blank=True, **MONEY
    )
    new_term_end = models.DateField(_("new end of term"), null=True, blank=True)
    new_scope = BoundedTextField(_("new scope"), blank=True, max_length=STATEMENT_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                name="amendment_unique_number",
                violation_error_message=_(
                    "This contract already has an amendment with this number."
                ),
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.signed_on:%d.%m.%Y})"


@pghistory.track()
class ContractAttachment(models.Model):
    """A scan attached to a contract (the signed contract, an annex, an amendment)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="attachments"
    )
    amendment = models.ForeignKey(
        ContractAmendment,
        verbose_name=_("amendment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=PrivatePath("procurement/contracts"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contract attachment")
        verbose_name_plural = _("contract attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title
