"""Finance: the funding agreement with its budget, the expenditures proven against it and the
payment claims (wnioski o płatność) filed with the funding body.

Layers: finance reads procurement (suppliers, contracts). A claim links monitoring's frozen
indicators by a lazy foreign key ("monitoring.IndicatorSnapshot"): monitoring is above finance,
so finance never imports it; the snapshot is append-only, and the claim shows its figures
through that link (README, "Layers").

Every write goes through `services/` (`agreement.py`, `expenditures.py`, `claims.py`); the
rules that need no database are plain functions in `rules.py`.
"""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.fields import NOTE_LENGTH, STATEMENT_LENGTH, BoundedTextField
from lebork_einclusion.models import VersionedModel
from lebork_einclusion.uploads import PrivatePath

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
RATE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class Task(models.TextChoices):
    """The project's tasks as §3.3 of the Regulation lists them."""

    MANAGEMENT = "management", _("Project management")
    EQUIPMENT = "equipment", _("Computers with installation and connection")
    INTERNET = "internet", _("Internet provision")
    TRAINING = "training", _("Training of final beneficiaries")
    PROMOTION = "promotion", _("Promotion")


class Category(models.TextChoices):
    """Cost categories of the budget (the application form's breakdown)."""

    STAFF = "staff", _("Staff costs")
    EQUIPMENT = "equipment", _("Equipment and software")
    SERVICES = "services", _("External services")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other costs")


@pghistory.track()
class FundingAgreement(VersionedModel):
    """The agreement with the funding body (umowa o dofinansowanie, POIG 8.3)."""

    number = models.CharField(_("agreement number"), max_length=60, unique=True)
    signed_on = models.DateField(_("signed on"))
    eligible_from = models.DateField(_("costs eligible from"))
    eligible_until = models.DateField(_("costs eligible until"))
    eu_rate = models.DecimalField(
        _("EU share (% of the eligible cost)"), default=Decimal("85.00"), **RATE
    )
    state_rate = models.DecimalField(
        _("state budget share (% of the eligible cost)"), default=Decimal("15.00"), **RATE
    )
    vat_eligible = models.BooleanField(
        _("VAT is an eligible cost"),
        default=True,
        help_text=_("Tick when the town cannot recover the VAT it pays."),
    )
    amounts_made_up = models.BooleanField(
        _("the amounts are made up (demo)"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("funding agreement")
        verbose_name_plural = _("funding agreements")
        ordering = ["signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_until__gte=models.F("eligible_from")),
                name="agreement_period_in_order",
                violation_error_message=_("The eligibility period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        if (
            self.eu_rate is not None
            and self.state_rate is not None
            and self.eu_rate + self.state_rate > 100
        ):
            raise ValidationError(
                {"state_rate": _("The EU and state budget shares together exceed 100%.")}
            )

    @classmethod
    def current(cls):
        return cls.objects.order_by("signed_on", "pk").first()


@pghistory.track()
class BudgetLine(VersionedModel):
    """One line of the budget: a task and a cost category. Its amounts change only through a
    recorded amendment (`services.agreement.do_amend_budget`); `save()` refuses otherwise."""

    AMOUNTS = ("net", "vat", "eligible")

    agreement = models.ForeignKey(
        FundingAgreement,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("agreement"),
    )
    task = models.CharField(_("task"), max_length=20, choices=Task.choices)
    category = models.CharField(_("cost category"), max_length=20, choices=Category.choices)
    net = models.DecimalField(_("net (PLN)"), **MONEY)
    vat = models.DecimalField(_("VAT (PLN)"), **MONEY)
    eligible = models.DecimalField(_("eligible (PLN)"), **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["agreement", "task", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "task", "category"], name="budget_line_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_task_display()} – {self.get_category_display()}"

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat

    @property
    def ineligible(self) -> Decimal:
        return self.gross - self.eligible

    def save(self, *args, amendment=None, **kwargs):
        # §: the budget is part of the funding agreement; it changes only by an amendment.
        if self.pk is not None and amendment is None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.AMOUNTS).first()
            if stored and any(stored[name] != getattr(self, name) for name in self.AMOUNTS):
                raise ValidationError(
                    _("A budget line changes only by a recorded amendment of the agreement."),
                    code="amendment_required",
                )
        super().save(*args, **kwargs)


@pghistory.track()
class BudgetAmendment(models.Model):
    """An amendment of the agreement (aneks) that changed budget lines; the previous values
    of each changed line are kept in its `changes`."""

    agreement = models.ForeignKey(
        FundingAgreement,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("agreement"),
    )
    number = models.CharField(_("amendment number"), max_length=60)
    signed_on = models.DateField(_("amendment signed on"))
    reason = BoundedTextField(_("reason"), max_length=NOTE_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget amendment")
        verbose_name_plural = _("budget amendments")
        ordering = ["signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_number_once")
        ]

    def __str__(self):
        return self.number


@pghistory.track()
class BudgetLineChange(models.Model):
    amendment = models.ForeignKey(BudgetAmendment, on_delete=models.PROTECT, related_name="changes")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="changes")
    previous_net = models.DecimalField(_("previous net (PLN)"), **MONEY)
    previous_vat = models.DecimalField(_("previous VAT (PLN)"), **MONEY)
    previous_eligible = models.DecimalField(_("previous eligible (PLN)"), **MONEY)
    new_net = models.DecimalField(_("new net (PLN)"), **MONEY)
    new_vat = models.DecimalField(_("new VAT (PLN)"), **MONEY)
    new_eligible = models.DecimalField(_("new eligible (PLN)"), **MONEY)

    class Meta:
        verbose_name = _("budget line change")
        verbose_name_plural = _("budget line changes")
        ordering = ["amendment", "pk"]

    def __str__(self):
        return f"{self.amendment.number}: {self.line}"


@pghistory.track()
class PaymentClaim(VersionedModel):
    """A payment claim (wniosek o płatność): an advance, an interim or the final one."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("advance")
        INTERIM = "interim", _("interim")
        FINAL = "final", _("final")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FILED = "filed", _("filed")
        CORRECTIONS = "corrections", _("corrections requested")
        ACCEPTED = "accepted", _("accepted")
        PAID = "paid", _("paid")

    agreement = models.ForeignKey(
        FundingAgreement,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("agreement"),
    )
    number = models.PositiveSmallIntegerField(_("claim number"))
    kind = models.CharField(_("kind of claim"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    advance_amount = models.DecimalField(
        _("advance requested (PLN)"),
        null=True,
        blank=True,
        help_text=_("Only for an advance claim."),
        **MONEY,
    )
    indicator_snapshot = models.ForeignKey(
        # Lazy reference: monitoring is above finance and is never imported here.
        "monitoring.IndicatorSnapshot",
        verbose_name=_("indicators (frozen snapshot)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    problems = BoundedTextField(
        _("problems and corrective actions"), blank=True, max_length=STATEMENT_LENGTH
    )
    corrections_requested = BoundedTextField(
        _("corrections requested by the funding body"),
        blank=True,
        max_length=STATEMENT_LENGTH,
        editable=False,
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    amount_received = models.DecimalField(
        _("amount received (PLN)"), null=True, blank=True, editable=False, **MONEY
    )
    received_on = models.DateField(_("received on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("payment claim")
        verbose_name_plural = _("payment claims")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="claim_number_once"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(kind="final"),
                name="one_final_claim",
                violation_error_message=_("The agreement already has a final claim."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="claim_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return _("Payment claim no. %(number)s (%(kind)s)") % {
            "number": self.number,
            "kind": self.get_kind_display(),
        }

    def get_absolute_url(self):
        return reverse("finance:claim_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CORRECTIONS)


@pghistory.track()
class ClaimProgress(models.Model):
    """What a claim reports of one task's progress (text)."""

    claim = models.ForeignKey(PaymentClaim, on_delete=models.CASCADE, related_name="progress")
    task = models.CharField(_("task"), max_length=20, choices=Task.choices)
    text = BoundedTextField(_("progress"), blank=True, max_length=NOTE_LENGTH)

    class Meta:
        verbose_name = _("progress of a task")
        verbose_name_plural = _("progress of the tasks")
        ordering = ["claim", "task"]
        constraints = [models.UniqueConstraint(fields=["claim", "task"], name="progress_once")]

    def __str__(self):
        return self.get_task_display()


@pghistory.track()
class ClaimFiling(models.Model):
    """A claim as it was filed: the PDF's bytes as sent, with their SHA-256 (the archive of the
    papers as filed; served as stored, never rendered again)."""

    claim = models.ForeignKey(PaymentClaim, on_delete=models.PROTECT, related_name="filings")
    filed_on = models.DateField(_("filed on"))
    pdf = models.FileField(_("PDF as filed"), upload_to=PrivatePath("finance/claims"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("filed claim")
        verbose_name_plural = _("filed claims")
        ordering = ["claim", "filed_at", "pk"]

    def __str__(self):
        return f"{self.claim} ({self.filed_on:%d.%m.%Y})"


@pghistory.track()
class Expenditure(VersionedModel):
    """An invoice or other accounting document paid by the town and proven against the budget."""

    agreement = models.ForeignKey(
        FundingAgreement,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("agreement"),
    )
    number = models.CharField(_("document number"), max_length=60)
    issuer = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    paid_on = models.DateField(_("paid on"))
    net = models.DecimalField(_("net (PLN)"), **MONEY)
    vat = models.DecimalField(_("VAT (PLN)"), **MONEY)
    gross = models.DecimalField(_("gross (PLN)"), **MONEY)
    eligible = models.DecimalField(_("eligible part (PLN)"), **MONEY)
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line (task and category)"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    contract = models.ForeignKey(
        "procurement.Contract",
        verbose_name=_("contract it pays"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=500)
    scan = models.FileField(_("scan"), upload_to=PrivatePath("finance/expenditures"), blank=True)
    over_limit_reason = models.CharField(
        _("reason for exceeding the contract or the budget line"),
        max_length=500,
        blank=True,
        help_text=_("Needed only when the amount goes beyond the contract's value or the line."),
    )
    claim = models.ForeignKey(
        PaymentClaim,
        verbose_name=_("payment claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"],
                name="document_once_per_issuer",
                violation_error_message=_("This issuer's document with this number is recorded."),
            ),
            models.CheckConstraint(
                condition=Q(eligible__lte=models.F("gross")),
                name="eligible_within_gross",
                violation_error_message=_("The eligible part cannot exceed the gross amount."),
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.issuer.name}"

    def get_absolute_url(self):
        return reverse("finance:expenditure_edit", args=[self.pk])

    @property
    def task(self) -> str:
        return self.line.task
