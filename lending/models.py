"""Lending: the participating households and what they are lent.

A Participant is a household from the approved main list of a call that takes part in the
project (§6): its signatory (the beneficiary, or a parent or legal guardian for a minor) signs
the loan agreement. Participation ends by resignation, termination or exclusion (§7); the place
then goes to the first on the reserve list (recruitment's do_promote_from_reserve).

The equipment (Asset) is delivered under a procurement contract, then lent to a household
through a LoanAgreement (its LoanItems name each asset by serial, with the handover and the
return) or placed in a public unit's computer lab. Every change of an asset is an AssetEvent:
its page shows the whole history. Each agreement is secured by a blank PromissoryNote kept in
safe custody (§6.8). Connections are the Internet access of a household or a unit.

Every write goes through the services (lending/services/).
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import clock
from lebork_einclusion.fields import (
    DOCUMENT_LENGTH,
    NOTE_LENGTH,
    STATEMENT_LENGTH,
    BoundedTextField,
    copied_column_trigger,
)
from lebork_einclusion.models import Officeholder, PublicUnit, RecordedModel, VersionedModel
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.pesel import validate_pesel
from procurement.models import Contract
from recruitment.models import Application, HouseholdMember, RankingVersion

DOCUMENT_NUMBER = RegexValidator(
    r"^[A-Z0-9]{5,20}$",
    _("Give the document's series and number: 5 to 20 capital letters and digits, no spaces."),
)


def validate_document_number(value: str) -> None:
    DOCUMENT_NUMBER(value)


MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Participant.Status.ACTIVE)


# "The participant has an open agreement" (LoanAgreement.OPEN_STATUSES) in its triggers' SQL.
_OPEN_AGREEMENT_EXISTS = """EXISTS (
    SELECT 1 FROM lending_loanagreement a
    WHERE a.participant_id = {participant} AND a.status IN ('draft', 'signed', 'active')
)"""


# Copies kept by the database, not changes.
@pghistory.track(exclude=["sequence", "has_open_agreement"])
class Participant(VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("taking part")
        RESIGNED = "resigned", _("resigned (§7.1-2)")
        TERMINATED = "terminated", _("participation ended: criteria no longer met (§7.3)")
        EXCLUDED = "excluded", _("excluded (§7.4)")

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="participant",
    )
    signatory = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The beneficiary, or for a minor a parent or legal guardian."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("taking part since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Receives the reason of a participation end, an exclusion's facts and decision included.
    end_reason = BoundedTextField(_("reason for the end"), blank=True, max_length=DOCUMENT_LENGTH)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The application's registration order, copied by the database in the same statement (the
    # trigger below) so that the list's order is walked by one index of this table.
    sequence = models.PositiveIntegerField(_("registration order"), default=0, editable=False)
    # Whether the household has an agreement drafted, signed or in force: kept by the database
    # (this row's trigger below, LoanAgreement's "touch_participant"), so the households waiting
    # for an agreement are the rows of one small partial index, however many take part.
    has_open_agreement = models.BooleanField(
        _("has an open agreement"), default=False, db_default=False, editable=False
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["application_id"]
        indexes = [
            models.Index(fields=["sequence", "id"], name="participant_list_order"),
            models.Index(
                fields=["sequence", "id"],
                condition=Q(status="active", has_open_agreement=False),
                name="participant_waiting",
            ),
        ]
        triggers = [
            copied_column_trigger(
                "copy_sequence", "sequence", "application_id", "recruitment_application", "sequence"
            ),
            pgtrigger.Trigger(
                name="has_open_agreement",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=f"""
                    NEW.has_open_agreement := {_OPEN_AGREEMENT_EXISTS.format(participant="NEW.id")};
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self):
        return f"{self.application.number} {self.signatory}"

    @property
    def household(self):
        """The household's members (recruitment's record of the application)."""
        return self.application.members.all()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


# --- equipment ------------------------------------------------------------------------------------


class AssetQuerySet(models.QuerySet):
    def in_stock(self):
        return self.filter(status=Asset.Status.IN_STOCK)

    def with_holder(self):
        return self.select_related(
            "participant__application", "participant__signatory", "public_unit", "contract"
        )


# The audit-trail model is named explicitly: the default name would be AssetEvent, which is the
# asset's own history below.
@pghistory.track(model_name="AssetAuditEvent")
class Asset(VersionedModel):
    """One piece of equipment, known by its serial number (monitoring checks it at home visits)."""

    class Kind(models.TextChoices):
        COMPUTER_SET = "computer_set", _("computer set")
        LAPTOP = "laptop", _("laptop")
        MONITOR = "monitor", _("monitor")
        ROUTER = "router", _("router or modem")
        UPS = "ups", _("UPS")
        SOFTWARE = "software", _("software licence")

    class Status(models.TextChoices):
        IN_STOCK = "in_stock", _("in stock")
        LENT = "lent", _("lent to a household")
        AT_UNIT = "at_unit", _("in a public unit")
        IN_SERVICE = "in_service", _("in service")
        WRITTEN_OFF = "written_off", _("written off")
        # Handed over for ownership at the end of the durability period: out of the register,
        # its history kept.
        TRANSFERRED = "transferred", _("handed over for ownership")

    class Condition(models.TextChoices):
        GOOD = "good", _("good")
        WORN = "worn", _("normal wear")
        DAMAGED = "damaged", _("damaged")
        DESTROYED = "destroyed", _("destroyed")
        LOST = "lost", _("lost")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    make_model = models.CharField(_("make and model"), max_length=200)
    serial_number = models.CharField(_("serial number"), max_length=80, unique=True)
    inventory_number = models.CharField(_("inventory number"), max_length=60, blank=True)
    value = models.DecimalField(_("value, gross (PLN)"), **MONEY)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("delivered under the contract"),
        on_delete=models.PROTECT,
        related_name="lending_assets",
    )
    delivered_on = models.DateField(_("delivered on"))
    insurance_contract = models.ForeignKey(
        Contract,
        verbose_name=_("insurance contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insured_assets",
    )
    insurance_policy = models.CharField(
        _("insurance policy"),
        max_length=80,
        blank=True,
        help_text=_("The policy number, when the insurance is not a contract in the register."),
    )
    condition = models.CharField(
        _("condition"), max_length=12, choices=Condition.choices, default=Condition.GOOD
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_STOCK
    )
    # The holder: a household (lent), a public unit (its lab), or nobody (in stock). An asset
    # in service keeps its holder: it goes back to them.
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
    )
    public_unit = models.ForeignKey(
        PublicUnit,
        verbose_name=_("public unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lending_assets",
    )

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["serial_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory_number"],
                condition=~Q(inventory_number=""),
                name="asset_inventory_number_unique",
                violation_error_message=_("Another asset has this inventory number."),
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) | Q(public_unit__isnull=True),
                name="asset_one_holder",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="lent", participant__isnull=False)
                    | Q(status="at_unit", public_unit__isnull=False, participant__isnull=True)
                    | Q(
                        status__in=["in_stock", "written_off"],
                        participant__isnull=True,
                        public_unit__isnull=True,
                    )
                    | Q(status="in_service")
                    | Q(status="transferred", public_unit__isnull=True)
                ),
                name="asset_status_matches_holder",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="asset_status_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.make_model}, s/n {self.serial_number}"

    @property
    def holder(self):
        return self.participant or self.public_unit


@pghistory.track()
class AssetEvent(models.Model):
    """One line of an asset's history. Written by the services, never edited."""

    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        ASSIGNED = "assigned", _("handed over")
        RETURNED = "returned", _("returned")
        IN_SERVICE = "in_service", _("in service")
        SERVICED = "serviced", _("service completed")
        DAMAGED = "damaged", _("damage reported")
        WRITTEN_OFF = "written_off", _("written off")
        CHANGED = "changed", _("details corrected")
        TRANSFERRED = "transferred", _("handed over for ownership")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="asset_events",
    )
    public_unit = models.ForeignKey(
        PublicUnit,
        verbose_name=_("public unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
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
        verbose_name = _("asset event")
        verbose_name_plural = _("asset events")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"


# --- Internet connections ------------------------------------------------------------------------


@pghistory.track(exclude=["household_sequence"])  # a copy kept by the database, not a change
class Connection(VersionedModel):
    """Internet access of a household or a public unit, under the provider's contract, kept
    until the end of the durability period (the project's end + 5 years)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="connections",
    )
    public_unit = models.ForeignKey(
        PublicUnit,
        verbose_name=_("public unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lending_connections",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("provider's contract"),
        on_delete=models.PROTECT,
        related_name="lending_connections",
    )
    installed_on = models.DateField(_("installed on"))
    ends_on = models.DateField(
        _("to be kept until"), help_text=_("The end of the durability period.")
    )
    technology = models.CharField(_("technology and speed"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(_("status since"))
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    # The household's registration order (none for a unit), copied by the database in the same
    # statement (the trigger below): the list's order walked by one index of this table.
    household_sequence = models.PositiveIntegerField(null=True, editable=False)

    class Meta:
        verbose_name = _("Internet connection")
        verbose_name_plural = _("Internet connections")
        ordering = ["-installed_on", "pk"]
        indexes = [
            models.Index(
                F("household_sequence").asc(nulls_first=True),
                F("installed_on").desc(),
                F("id").desc(),
                name="connection_list_order",
            )
        ]
        triggers = [
            copied_column_trigger(
                "copy_household_sequence",
                "household_sequence",
                "participant_id",
                "lending_participant",
                "sequence",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=True, public_unit__isnull=False)
                | Q(participant__isnull=False, public_unit__isnull=True),
                name="connection_one_subscriber",
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=~Q(status="ended"),
                name="connection_one_open_per_household",
            ),
            models.UniqueConstraint(
                fields=["public_unit"],
                condition=~Q(status="ended"),
                name="connection_one_open_per_unit",
            ),
        ]

    def __str__(self):
        return f"{self.subscriber} ({self.get_status_display()})"

    @property
    def subscriber(self):
        return self.participant or self.public_unit


@pghistory.track()
class ConnectionPeriod(models.Model):
    """The provider's contract a connection was provided under, from `since` to `until` (open
    while it is the current one). Moving connections onto the town's next contract closes the
    old period, so an earlier day is still read against the contract that paid for it."""

    connection = models.ForeignKey(
        Connection, verbose_name=_("connection"), on_delete=models.CASCADE, related_name="periods"
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("provider's contract"),
        on_delete=models.PROTECT,
        related_name="lending_connection_periods",
    )
    since = models.DateField(_("provided under it from"))
    until = models.DateField(_("provided under it until"), null=True, blank=True)

    class Meta:
        verbose_name = _("connection's contract period")
        verbose_name_plural = _("connection's contract periods")
        ordering = ["since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="connection_period_in_order",
            ),
            models.UniqueConstraint(
                fields=["connection"],
                condition=Q(until__isnull=True),
                name="connection_one_current_period",
            ),
        ]
        indexes = [models.Index(fields=["connection", "since"], name="connection_period_since")]

    def __str__(self):
        return f"{self.connection}: {self.contract.number} ({self.since:%d.%m.%Y})"


@pghistory.track()
class Outage(models.Model):
    connection = models.ForeignKey(
        Connection, verbose_name=_("connection"), on_delete=models.PROTECT, related_name="outages"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Also written by a monitoring visit: its findings with the visit's date before them.
    description = BoundedTextField(_("description"), max_length=DOCUMENT_LENGTH)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="outage_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.connection}: {self.started_on:%d.%m.%Y}"


# --- loan agreements and promissory notes -------------------------------------------------------


@pghistory.track()
class LoanAgreement(VersionedModel):
    """Umowa użyczenia (§6; Kodeks cywilny art. 710-719): the household uses the assets free of
    charge for 3 years from the handover."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("in force (equipment handed over)")
        ENDED = "ended", _("ended")
        TERMINATED = "terminated", _("terminated")
        TRANSFERRED = "transferred", _("ended: equipment handed over for ownership")

    OPEN_STATUSES = (Status.DRAFT, Status.SIGNED, Status.ACTIVE)

    number = models.CharField(_("agreement number"), max_length=30, unique=True)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    signatory = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The beneficiary, or for a minor a parent or legal guardian."),
    )
    assets = models.ManyToManyField(
        Asset, verbose_name=_("assets"), through="LoanItem", related_name="agreements"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    drafted_on = models.DateField(_("prepared on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    place = models.CharField(_("place of signing"), max_length=100, default="Lębork")
    lender_representative = models.CharField(
        _("the town represented by"),
        max_length=200,
        default="Burmistrz Miasta Lęborka",
    )
    # Who signed for the town on the signing day (signatories.for_day), recorded at signature.
    representative = models.ForeignKey(
        Officeholder,
        verbose_name=_("signed for the town by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    countersigned_by = models.ForeignKey(
        Officeholder,
        verbose_name=_("countersigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=3)
    ends_on = models.DateField(
        _("term ends on"), null=True, blank=True, help_text=_("3 years from the handover.")
    )
    # §6 in the words printed on the agreement, copied when it is drafted: a later change of
    # the template never alters what a household signed.
    obligations = BoundedTextField(
        _("obligations of the borrower (§6)"), max_length=DOCUMENT_LENGTH
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # A termination writes the participation end's kind and reason here.
    end_reason = BoundedTextField(_("reason for the end"), blank=True, max_length=DOCUMENT_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("loan agreement")
        verbose_name_plural = _("loan agreements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status__in=["draft", "signed", "active"]),
                name="agreement_one_open_per_household",
                violation_error_message=_("The household already has an agreement in force."),
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_on"], name="agreement_status_end")]
        triggers = [
            # The participant's copy of "has an open agreement" follows each agreement's status
            # (its own BEFORE trigger recomputes it; the row is written only when it changes).
            pgtrigger.Trigger(
                name="touch_participant",
                when=pgtrigger.After,
                operation=pgtrigger.Insert
                | pgtrigger.UpdateOf("status", "participant_id")
                | pgtrigger.Delete,
                func=f"""
                    UPDATE lending_participant p
                    SET has_open_agreement = {_OPEN_AGREEMENT_EXISTS.format(participant="p.id")}
                    WHERE p.id IN (NEW.participant_id, OLD.participant_id)
                      AND p.has_open_agreement IS DISTINCT FROM
                          {_OPEN_AGREEMENT_EXISTS.format(participant="p.id")};
                    RETURN NULL;
                """,  # noqa: S608 - the models' own names, no input
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def total_value(self):
        return sum((item.asset.value for item in self.items.all()), start=0)

    @property
    def is_past_end(self) -> bool:
        """In force on paper, but its term (as extended by annexes) is over: the equipment is
        still out and the coordinator must decide (annex, return or transfer)."""
        return (
            self.status == self.Status.ACTIVE
            and self.ends_on is not None
            and self.ends_on < clock.today()
        )

    @property
    def status_label(self) -> str:
        """The status as the pages show it: an agreement past its end does not "obowiązuje"."""
        if self.is_past_end:
            return str(_("past its end — decision needed"))
        return self.get_status_display()


@pghistory.track()
class AgreementAnnex(RecordedModel):
    """Aneks: the written change of the agreement's term (§3), extending it at most to the end
    of the project's durability period. Once signed the agreement's `ends_on` is the new end;
    `previous_end` keeps the end it replaced."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")

    agreement = models.ForeignKey(
        LoanAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="annexes",
    )
    number = models.CharField(_("annex number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    drafted_on = models.DateField(_("prepared on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    previous_end = models.DateField(_("term ended on"))
    new_end = models.DateField(_("new end of the term"))
    reason = BoundedTextField(_("reason"), max_length=NOTE_LENGTH)

    class Meta:
        verbose_name = _("annex to a loan agreement")
        verbose_name_plural = _("annexes to loan agreements")
        ordering = ["agreement_id", "drafted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end__gt=models.F("previous_end")),
                name="annex_extends_the_term",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", signed_on__isnull=True)
                | Q(status="signed", signed_on__isnull=False),
                name="annex_signed_has_a_date",
            ),
        ]

    def __str__(self):
        return self.number


@pghistory.track()
class OwnershipTransfer(RecordedModel):
    """The decision to hand the lent equipment over to the household for ownership at the end
    of the durability period: it ends the agreement, and its assets leave the register."""

    agreement = models.OneToOneField(
        LoanAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="transfer",
    )
    transferred_on = models.DateField(_("handed over for ownership on"))
    basis = BoundedTextField(
        _("basis of the decision"),
        max_length=NOTE_LENGTH,
        help_text=_("The decision (order, resolution) and what it rests on."),
    )

    class Meta:
        verbose_name = _("transfer of ownership")
        verbose_name_plural = _("transfers of ownership")
        ordering = ["-transferred_on", "-pk"]

    def __str__(self):
        return f"{self.agreement}: {self.transferred_on:%d.%m.%Y}"


@pghistory.track()
class LoanItem(models.Model):
    """One asset of an agreement, by serial: handed over, due back, returned (protocols)."""

    agreement = models.ForeignKey(
        LoanAgreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="items"
    )
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="loan_items"
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    return_due_on = models.DateField(_("to be returned by"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_condition = models.CharField(
        _("condition on return"), max_length=12, choices=Asset.Condition.choices, blank=True
    )
    return_note = models.CharField(_("note on the return"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lent asset")
        verbose_name_plural = _("lent assets")
        ordering = ["agreement_id", "asset__serial_number"]
        constraints = [
            # An asset is in one open loan at a time: a serial already lent cannot be lent again
            # until it comes back.
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(returned_on__isnull=True),
                name="loan_item_asset_once",
                violation_error_message=_("This asset is already in another agreement."),
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.asset.serial_number}"


@pghistory.track()
class PromissoryNote(VersionedModel):
    """The blank promissory note (weksel in blanco, §6.8) securing the claims of §6.3-4, with its
    declaration (deklaracja wekslowa), kept in safe custody until the obligations end."""

    class Status(models.TextChoices):
        IN_CUSTODY = "in_custody", _("in safe custody")
        RETURNED = "returned", _("returned to the issuer")
        DESTROYED = "destroyed", _("destroyed")
        FILLED_IN = "filled_in", _("filled in to recover a claim")

    agreement = models.OneToOneField(
        LoanAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="note",
    )
    number = models.CharField(_("register number"), max_length=30, unique=True)
    issuer = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    place_of_issue = models.CharField(_("place of issue"), max_length=100, default="Lębork")
    max_amount = models.DecimalField(
        _("maximum amount (PLN)"),
        help_text=_("The value of the lent equipment."),
        **MONEY,
    )

    class Document(models.TextChoices):
        ID_CARD = "id_card", _("identity card")
        PASSPORT = "passport", _("passport")

    issuer_document_type = models.CharField(
        _("issuer's identity document"), max_length=10, choices=Document.choices, blank=True
    )
    issuer_document_number = models.CharField(
        _("number of the issuer's identity document"),
        max_length=20,
        blank=True,
        validators=[validate_document_number],
    )
    spouse_name = models.CharField(
        _("spouse consenting"),
        max_length=200,
        blank=True,
        validators=[validate_person_name],
        help_text=_("The issuer's spouse who consents (joint marital property); empty if none."),
    )
    spouse_pesel = models.CharField(
        _("spouse's PESEL"), max_length=11, blank=True, validators=[validate_pesel]
    )
    spouse_document_number = models.CharField(
        _("number of the spouse's identity document"),
        max_length=20,
        blank=True,
        validators=[validate_document_number],
    )
    spouse_consent = models.BooleanField(
        _("the spouse signed the consent"),
        default=False,
        help_text=_("Art. 41 of the Family and Guardianship Code: the consent block is signed."),
    )
    custody_location = models.CharField(
        _("kept in"), max_length=200, default="sejf w Biurze Projektu, pok. 208"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_CUSTODY
    )
    released_on = models.DateField(_("returned or destroyed on"), null=True, blank=True)
    release_record = BoundedTextField(
        _("record of the return or destruction"),
        max_length=STATEMENT_LENGTH,
        blank=True,
        help_text=_("Who was present, how it was done, the protocol's reference."),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("promissory note")
        verbose_name_plural = _("promissory notes")
        ordering = ["number"]

    def __str__(self):
        return self.number


@pghistory.track()
class PromissoryNoteStep(RecordedModel):
    """One step of a note's history (§6.8 and its declaration): handed in, the notice to the
    issuer before filling it in, filled in, returned or destroyed. Written by the services."""

    class Kind(models.TextChoices):
        HANDED_IN = "handed_in", _("handed in and kept in custody")
        NOTICE = "notice", _("notice to the issuer before filling in")
        FILLED_IN = "filled_in", _("filled in")
        RETURNED = "returned", _("returned to the issuer")
        DESTROYED = "destroyed", _("destroyed")

    note = models.ForeignKey(
        PromissoryNote,
        verbose_name=_("promissory note"),
        on_delete=models.PROTECT,
        related_name="steps",
    )
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    letter_number = models.CharField(_("registered letter number"), max_length=40, blank=True)
    amount = models.DecimalField(_("amount (PLN)"), null=True, blank=True, **MONEY)
    description = BoundedTextField(_("description"), blank=True, max_length=NOTE_LENGTH)

    class Meta:
        verbose_name = _("step of a promissory note")
        verbose_name_plural = _("steps of promissory notes")
        ordering = ["note_id", "date", "pk"]

    def __str__(self):
        return f"{self.note}: {self.get_kind_display()} {self.date:%d.%m.%Y}"


# --- the end of participation (§7) ----------------------------------------------------------------


@pghistory.track()
class ExclusionProposal(models.Model):
    """A proposal to exclude a household (§7.4), with the facts; the coordinator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the coordinator's decision")
        ACCEPTED = "accepted", _("accepted: the household is excluded")
        REJECTED = "rejected", _("rejected")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="exclusion_proposals",
    )
    facts = BoundedTextField(_("facts"), max_length=STATEMENT_LENGTH)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = BoundedTextField(
        _("reason for the decision"), blank=True, max_length=STATEMENT_LENGTH
    )

    class Meta:
        verbose_name = _("exclusion proposal")
        verbose_name_plural = _("exclusion proposals")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="pending"),
                name="exclusion_one_pending_per_household",
            )
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_status_display()}"


@pghistory.track()
class ParticipationEnd(RecordedModel):
    """How a household's participation ended (§7), and what followed in the same transaction:
    the agreement ended, the return scheduled, the place given to the reserve list."""

    class Kind(models.TextChoices):
        RESIGNATION = "resignation", _("resignation (§7.1-2)")
        TERMINATION = "termination", _("criteria no longer met (§7.3)")
        EXCLUSION = "exclusion", _("exclusion (§7.4)")

    participant = models.OneToOneField(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="participation_end",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    decided_on = models.DateField(_("date of the end"))
    statement_on = models.DateField(
        _("date of the written statement"),
        null=True,
        blank=True,
        help_text=_("The participant's letter (resignation, change of circumstances)."),
    )
    # An exclusion writes its facts and the decision's reason here (two statements).
    reason = BoundedTextField(_("reason or facts"), max_length=DOCUMENT_LENGTH)
    agreement = models.ForeignKey(
        LoanAgreement,
        verbose_name=_("agreement ended"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_due_on = models.DateField(_("equipment to be returned by"), null=True, blank=True)
    exclusion_proposal = models.OneToOneField(
        ExclusionProposal,
        verbose_name=_("exclusion proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participation_end",
    )
    ranking_version = models.ForeignKey(
        RankingVersion,
        verbose_name=_("new version of the lists"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    promoted = models.ForeignKey(
        Participant,
        verbose_name=_("household promoted from the reserve list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promoted_by",
    )

    class Meta:
        verbose_name = _("end of participation")
        verbose_name_plural = _("ends of participation")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.participant}: {self.get_kind_display()}"


# --- damage, service ------------------------------------------------------------------------------


@pghistory.track()
class DamageClaim(VersionedModel):
    """The town's claim for repair or a new set after damage, destruction or disposal
    (§6.3-4), secured by the agreement's promissory note."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("cost of the repair (§6.3)")
        REPLACEMENT = "replacement", _("cost of a new set (§6.3-4)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PAID = "paid", _("paid by the household")
        COVERED = "covered", _("covered by insurance or warranty")
        WAIVED = "waived", _("waived")
        ENFORCED = "enforced", _("recovered under the promissory note")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="claims"
    )
    agreement = models.ForeignKey(
        LoanAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    note = models.ForeignKey(
        PromissoryNote,
        verbose_name=_("secured by the promissory note"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    kind = models.CharField(_("claim for"), max_length=12, choices=Kind.choices)
    description = BoundedTextField(_("what happened"), max_length=STATEMENT_LENGTH)
    occurred_on = models.DateField(_("found on"))
    amount = models.DecimalField(_("amount (PLN)"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    settlement_note = BoundedTextField(_("how it was settled"), blank=True, max_length=NOTE_LENGTH)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("damage claim")
        verbose_name_plural = _("damage claims")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"{self.asset.serial_number}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


@pghistory.track()
class ServiceRecord(RecordedModel):
    """Service of an asset (§6.5: the household makes it available): repair, warranty repair,
    upgrade or inspection, by the supplier under the equipment contract or someone else."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("repair")
        WARRANTY = "warranty", _("warranty repair")
        UPGRADE = "upgrade", _("upgrade")
        INSPECTION = "inspection", _("inspection")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="service_records"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = BoundedTextField(_("description"), max_length=STATEMENT_LENGTH)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    provider = models.CharField(_("done by"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (PLN)"), null=True, blank=True, **MONEY)
    taken_away = models.BooleanField(
        _("taken away for the service"),
        default=False,
        help_text=_("The asset left its holder for the service (status: in service)."),
    )

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="service_completed_after_start",
            )
        ]

    def __str__(self):
        return f"{self.asset.serial_number}: {self.get_kind_display()} {self.started_on:%d.%m.%Y}"
