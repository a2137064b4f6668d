"""Monitoring: home visits to the participating households (the plan, the visits with their
checks by serial, photos and signature, the follow-up actions), the public units' labs (monthly
opening hours and the supervisors' reports), frozen snapshots of the indicators, and the
project's chronicle.

Monitoring is the top layer: it reads every app; no app imports it.
"""

import calendar
import datetime

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lebork_einclusion.fields import (
    NOTE_LENGTH,
    STATEMENT_LENGTH,
    BoundedTextField,
    copied_column_trigger,
)
from lebork_einclusion.models import PublicUnit, RecordedModel, VersionedModel
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.uploads import PrivatePath
from lending.models import (
    Asset,
    Connection,
    DamageClaim,
    ExclusionProposal,
    Outage,
    Participant,
    ServiceRecord,
)
from procurement.models import Contract
from recruitment.models import Call


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --- the public units' labs ------------------------------------------------------------------


@pghistory.track()
class LabSchedule(VersionedModel):
    """A unit's computer lab: when it is open to learners in one month (DOMAIN.md, "Public
    units and monitoring"). The lab supervisors (a contractor) hand it in; saved, it is public."""

    unit = models.ForeignKey(
        PublicUnit, verbose_name=_("public unit"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    room = models.CharField(
        _("room"), max_length=100, blank=True, help_text=_("E.g. “room 12, first floor”.")
    )
    notes = BoundedTextField(
        _("notes for learners"),
        max_length=NOTE_LENGTH,
        blank=True,
        help_text=_("Shown on the public page and the poster. Write nothing personal."),
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("lab supervision contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lab schedule")
        verbose_name_plural = _("lab schedules")
        ordering = ["-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="lab_schedule_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="lab_schedule_month_first_day"),
        ]

    def __str__(self):
        return f"{self.unit.short_name} {self.month:%m.%Y}"

    @property
    def month_end(self) -> datetime.date:
        return month_end(self.month)


@pghistory.track()
class LabSlot(models.Model):
    """One stretch of opening hours on one day; a day may have several."""

    schedule = models.ForeignKey(
        LabSchedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="slots"
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="lab_slot_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["schedule", "day"])]

    def __str__(self):
        return f"{self.day:%d.%m.%Y} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def hours(self) -> float:
        start = datetime.datetime.combine(self.day, self.starts_at)
        end = datetime.datetime.combine(self.day, self.ends_at)
        return (end - start).total_seconds() / 3600


@pghistory.track()
class LabReport(VersionedModel, RecordedModel):
    """The lab supervisor's report for one unit and one month: hours the lab was actually open,
    visitors, problems. Counts only: no learner's name is recorded."""

    unit = models.ForeignKey(
        PublicUnit, verbose_name=_("public unit"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("lab supervision contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hours_open = models.DecimalField(
        _("hours open"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Hours the lab was actually open to learners in the month."),
    )
    visitors = models.PositiveIntegerField(
        _("visits"),
        validators=[MaxValueValidator(100_000)],
        help_text=_("Learners' visits counted by the supervisor (one person twice counts twice)."),
    )
    problems = BoundedTextField(
        _("problems and what was done"),
        max_length=STATEMENT_LENGTH,
        blank=True,
        help_text=_("Breakdowns, outages, closures; who was told and how it ended. No names."),
    )
    submitted_on = models.DateField(_("handed in on"))
    # RecordedModel's fields, as this report records its latest correction: when and by whom
    # (none for a report entered before the field existed).
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lab supervisor's report")
        verbose_name_plural = _("lab supervisors' reports")
        ordering = ["-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="lab_report_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="lab_report_month_first_day"),
        ]

    def __str__(self):
        return f"{self.unit.short_name} {self.month:%m.%Y}"


# --- indicators frozen for a report ----------------------------------------------------------


def _append_only():
    """A snapshot is evidence for a payment claim or a durability report: the database
    refuses to change or delete it, whatever the code tries."""
    return pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


@pghistory.track(pghistory.InsertEvent())
@pgtrigger.register(_append_only())
class IndicatorSnapshot(models.Model):
    class Purpose(models.TextChoices):
        PAYMENT_CLAIM = "payment_claim", _("payment claim")
        DURABILITY_REPORT = "durability_report", _("yearly durability report")
        OTHER = "other", _("other report")

    as_of = models.DateField(_("figures as of"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “payment claim no. 2 for 01.10–31.12.2012”."),
    )
    note = BoundedTextField(_("note"), blank=True, max_length=NOTE_LENGTH)
    project_name = models.CharField(_("project"), max_length=300)
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["-frozen_at", "-pk"]

    def __str__(self):
        return _("indicators as of %(date)s (%(purpose)s)") % {
            "date": f"{self.as_of:%d.%m.%Y}",
            "purpose": self.get_purpose_display(),
        }


@pghistory.track(pghistory.InsertEvent())
@pgtrigger.register(_append_only())
class IndicatorValue(models.Model):
    """One indicator as it stood when the snapshot was frozen: its name, target and unit are
    copied too, so a later change of the project record or of the code changes nothing here."""

    snapshot = models.ForeignKey(IndicatorSnapshot, on_delete=models.PROTECT, related_name="values")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("indicator"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True)
    unit = models.CharField(_("unit"), max_length=40)

    class Meta:
        verbose_name = _("frozen indicator")
        verbose_name_plural = _("frozen indicators")
        ordering = ["snapshot_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "code"], name="snapshot_code_once")
        ]

    def __str__(self):
        return f"{self.code}={self.value}"

    @property
    def percent(self) -> int | None:
        if self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target)


# --- the project's chronicle ------------------------------------------------------------------


@pghistory.track()
class ChronicleEntry(VersionedModel):
    """An entry of the project's chronicle written by hand (promotion above all). Milestones the
    apps record (a call, approved lists, procurement steps) are read from them, not typed in; an
    entry that tells of such milestones names them in `covers`, and the chronicle then shows the
    entry in their place, so nothing is listed twice."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("article or report in the media")
        BULLETIN = "bulletin", _("town bulletin")
        WEBSITE_NEWS = "website_news", _("news on the town's website")
        EVENT = "event", _("conference or meeting")
        PROMOTION = "promotion", _("promotional and information materials")
        ACTIVITY = "activity", _("project activity")

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month only")

    date = models.DateField(
        _("date"),
        help_text=_(
            "With “month only” just the month is shown; the day places the entry among the "
            "month's other entries."
        ),
    )
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For something that lasted: its last day.")
    )
    precision = models.CharField(
        _("date shown as"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=400)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it appeared: the paper, the website, the bulletin's number."),
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    description = BoundedTextField(_("description"), blank=True, max_length=STATEMENT_LENGTH)
    covers = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("milestones it tells of"),
        default=list,
        blank=True,
    )
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public chronicle and its feed.")
    )
    editorial_note = BoundedTextField(
        _("editorial note"),
        max_length=NOTE_LENGTH,
        blank=True,
        help_text=_("For the office only: sources, corrections. Never published."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("chronicle entry")
        verbose_name_plural = _("chronicle entries")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "title"],
                name="chronicle_entry_unique_title_on_date",
                violation_error_message=_("An entry with this title on this date exists."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="chronicle_entry_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.title}"


# --- home visits ---------------------------------------------------------------------------------


@pghistory.track()
class VisitRule(VersionedModel):
    """How often the households of a call are visited (DOMAIN.md, "Public units and
    monitoring"): the first visit within some months of the handover of the equipment, then at
    least one a year until the end of the durability period."""

    call = models.OneToOneField(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="+"
    )
    first_within_months = models.PositiveSmallIntegerField(
        _("first visit within (months of the handover)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    every_months = models.PositiveSmallIntegerField(
        _("then a visit every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("At least one visit a year: 12 months at most."),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("New planned visits are given to this person."),
    )
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit rule")
        verbose_name_plural = _("visit rules")
        ordering = ["call__opens_on"]

    def __str__(self):
        return str(self.call)


@pghistory.track(exclude=["household_sequence"])  # a copy kept by the database, not a change
class PlannedVisit(VersionedModel):
    """A visit the plan expects at a household by a date: made from the call's rule when the
    equipment is handed over, or added by the officer; moved by the officer; done by a visit;
    cancelled when the household stops taking part."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("a visit", "planned")
        DONE = "done", pgettext_lazy("a visit", "done")
        CANCELLED = "cancelled", pgettext_lazy("a visit", "cancelled")

    class Origin(models.TextChoices):
        RULE = "rule", _("the call's rule")
        OFFICER = "officer", _("added by the officer")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="planned_visits",
    )
    due_on = models.DateField(_("to be made by"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    origin = models.CharField(_("planned by"), max_length=10, choices=Origin.choices)
    rule_due_on = models.DateField(
        _("date given by the rule"),
        null=True,
        blank=True,
        help_text=_("Kept when the officer moves a visit the rule planned."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The household's registration order, copied by the database in the same statement (the
    # trigger below): the lists' order (day, household) walked by one index of this table.
    household_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["status", "due_on", "household_sequence", "id"],
                name="planned_visit_list_order",
            ),
            models.Index(
                fields=["officer", "status", "due_on", "household_sequence", "id"],
                name="planned_visit_officer_order",
            ),
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

    def __str__(self):
        return f"{self.participant_id}: {self.due_on:%d.%m.%Y}"

    @property
    def is_moved(self) -> bool:
        return self.rule_due_on is not None and self.rule_due_on != self.due_on


PURPOSES = [
    ("school", _("school and learning")),
    ("work", _("looking for work, work")),
    ("public_services", _("public services (e-government, health, benefits)")),
    ("communication", _("communication with family and friends")),
    ("other", _("other")),
]


@pghistory.track()
class MonitoringVisit(RecordedModel):
    """A visit at a household's home, as the officer recorded it on the phone. Saved once
    (the client-made `key` makes a retried or doubled submission the same visit); the protocol
    printed from it is what the beneficiary signs."""

    class Outcome(models.TextChoices):
        MADE = "made", _("visit made")
        NOBODY_HOME = "nobody_home", _("nobody at home")
        REFUSED = "refused", _("the household refused the visit")

    key = models.UUIDField(_("submission key"), unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, verbose_name=_("household"), on_delete=models.PROTECT, related_name="visits"
    )
    planned = models.OneToOneField(
        PlannedVisit,
        verbose_name=_("planned visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_at = models.DateTimeField(_("date and time of the visit"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    present = models.CharField(_("who was present"), max_length=300, blank=True)
    connection = models.ForeignKey(
        Connection,
        verbose_name=_("Internet connection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    connection_working = models.BooleanField(_("the connection works"), null=True, blank=True)
    measured_speed = models.DecimalField(
        _("measured speed (Mb/s)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10_000)],
    )
    used_by = models.CharField(_("who uses it"), max_length=300, blank=True)
    purposes = ArrayField(
        models.CharField(max_length=20, choices=PURPOSES),
        verbose_name=_("used for"),
        default=list,
        blank=True,
    )
    use_note = BoundedTextField(_("how it is used"), blank=True, max_length=NOTE_LENGTH)
    # §6.4 and §6.2 of the agreement: True kept, False broken, None not checked.
    not_sold = models.BooleanField(_("not sold or encumbered"), null=True, blank=True)
    not_lent = models.BooleanField(
        _("not lent to anyone outside the household"), null=True, blank=True
    )
    lawful_use = models.BooleanField(_("used lawfully"), null=True, blank=True)
    compliance_note = BoundedTextField(
        _("note on the obligations"), blank=True, max_length=NOTE_LENGTH
    )
    findings = BoundedTextField(_("findings"), blank=True, max_length=STATEMENT_LENGTH)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    signature = models.FileField(
        _("beneficiary's signature"), upload_to=PrivatePath("visits/signatures"), blank=True
    )
    signed_by = models.CharField(
        _("signed by"), max_length=200, blank=True, validators=[validate_person_name]
    )
    outage = models.ForeignKey(
        Outage,
        verbose_name=_("outage reported"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exclusion_proposal = models.ForeignKey(
        ExclusionProposal,
        verbose_name=_("exclusion proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # recorded_by, recorded_at: RecordedModel

    class Meta:
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ["-visited_at", "-pk"]
        indexes = [
            models.Index(fields=["visited_at"], name="visit_visited_at"),
            models.Index(fields=["officer", "visited_at"], name="visit_officer"),
            # The list of visits made walks them in this order, ties by id, 50 at a time.
            models.Index(fields=["visited_at", "id"], name="visit_visited_at_id"),
        ]

    def __str__(self):
        return f"{self.participant_id}: {self.visited_at:%d.%m.%Y %H:%M}"

    @property
    def is_made(self) -> bool:
        return self.outcome == self.Outcome.MADE

    @property
    def broken_obligations(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("not_sold", "not_lent", "lawful_use")
            if getattr(self, name) is False
        ]

    def purpose_labels(self) -> list[str]:
        labels = dict(PURPOSES)
        return [str(labels.get(code, code)) for code in self.purposes]


@pghistory.track()
class AssetCheck(models.Model):
    """One lent asset checked at a visit, by its serial number."""

    class State(models.TextChoices):
        PRESENT = "present", _("present, in working order")
        DAMAGED = "damaged", _("damaged")
        MISSING = "missing", _("missing")
        IN_SERVICE = "in_service", _("away in service")

    class Action(models.TextChoices):
        NONE = "none", _("nothing now (explained in the note)")
        SERVICE = "service", _("service record (repair)")
        REPAIR_CLAIM = "repair_claim", _("damage claim: cost of the repair (§6.3)")
        REPLACEMENT_CLAIM = "replacement_claim", _("damage claim: cost of a new set (§6.3-4)")

    visit = models.ForeignKey(
        MonitoringVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="checks"
    )
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="+"
    )
    serial_number = models.CharField(_("serial number"), max_length=80)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    action = models.CharField(
        _("what follows"), max_length=20, choices=Action.choices, default=Action.NONE
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    damage_claim = models.ForeignKey(
        DamageClaim,
        verbose_name=_("damage claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_record = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("asset checked")
        verbose_name_plural = _("assets checked")
        ordering = ["visit_id", "serial_number"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "asset"], name="asset_check_once_a_visit")
        ]

    def __str__(self):
        return f"{self.serial_number}: {self.get_state_display()}"


@pghistory.track()
class VisitPhoto(models.Model):
    """A photo taken at a visit: stored resized, without EXIF (no location, no device)."""

    visit = models.ForeignKey(
        MonitoringVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    image = models.FileField(_("photo"), upload_to=PrivatePath("visits/photos"))
    thumbnail = models.FileField(_("thumbnail"), upload_to=PrivatePath("visits/thumbnails"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit_id", "position", "pk"]

    def __str__(self):
        return f"{self.visit_id}/{self.position}"


@pghistory.track()
class FollowUp(VersionedModel):
    """A follow-up action: what is to be done after a visit, by whom and by when, and how it
    ended. Overdue ones are on the home page of the person responsible."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("a follow-up action", "open")
        DONE = "done", pgettext_lazy("a follow-up action", "done")
        CANCELLED = "cancelled", pgettext_lazy("a follow-up action", "dropped")

    visit = models.ForeignKey(
        MonitoringVisit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(_("what is to be done"), max_length=500)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(pgettext_lazy("a deadline", "by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = BoundedTextField(_("outcome"), blank=True, max_length=STATEMENT_LENGTH)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="follow_up_status_due"),
            models.Index(fields=["responsible", "status", "due_on"], name="follow_up_responsible"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(~Q(status="open"), closed_on__isnull=False),
                name="follow_up_closed_has_date",
                violation_error_message=_(
                    "A closed follow-up action needs the day it was closed; an open one has none."
                ),
            )
        ]

    def __str__(self):
        return self.what

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


@pghistory.track()
class DigestSubscription(models.Model):
    """A user's choice of the daily e-mail of their to-dos (monitoring/digests.py), and the day
    the last one was sent: a user gets at most one a day, however often the daily job runs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    daily_digest = models.BooleanField(
        _("send me a daily e-mail of my work"),
        default=False,
        help_text=_(
            "Every morning: how many items wait in each of your lists, with a link to each. "
            "No names or other personal data."
        ),
    )
    last_sent_on = models.DateField(_("last sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("daily e-mail subscription")
        verbose_name_plural = _("daily e-mail subscriptions")

    def __str__(self):
        return str(self.user)


# --- the indicators' summary (monitoring/indicator_summary.py) -----------------------------------
#
# Kept by the database itself: triggers on the counted tables (migration 0007) note each changed
# record's subject in IndicatorChange within the same transaction; the next count folds them
# into IndicatorPart (each subject's steps) and IndicatorStep (their sums by day). No audit:
# each row can be counted again from the records.


class IndicatorStep(models.Model):
    """How much `figure`'s column `k` changes at the start of `day` (its sum up to a day is the
    figure at the end of that day)."""

    figure = models.CharField(max_length=40)
    k = models.SmallIntegerField()
    day = models.DateField()
    n = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "k", "day"], name="indicator_step_day")
        ]

    def __str__(self):
        return f"{self.figure}[{self.k}] {self.day}: {self.n:+d}"


class IndicatorPart(models.Model):
    """One subject's (a household, an asset, a planned visit...) share of IndicatorStep."""

    figure = models.CharField(max_length=40)
    subject = models.BigIntegerField()
    k = models.SmallIntegerField()
    day = models.DateField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["figure", "subject"], name="indicator_part_subject")]

    def __str__(self):
        return f"{self.figure} #{self.subject}[{self.k}] {self.day}: {self.n:+d}"


class IndicatorChange(models.Model):
    """A subject whose records changed since it was last folded into the summary (`fold`:
    being folded by the transaction that holds the figure's lock)."""

    figure = models.CharField(max_length=40)
    subject = models.BigIntegerField(null=True)
    fold = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["figure", "fold"], name="indicator_change_figure")]

    def __str__(self):
        return f"{self.figure} #{self.subject}"
