"""Monitoring: the public units' labs (monthly opening hours and the supervisors' reports),
frozen snapshots of the indicators, and the project's chronicle.

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

from lebork_einclusion.models import PublicUnit, VersionedModel
from procurement.models import Contract


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
    notes = models.TextField(
        _("notes for learners"),
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
class LabReport(VersionedModel):
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
    problems = models.TextField(
        _("problems and what was done"),
        blank=True,
        help_text=_("Breakdowns, outages, closures; who was told and how it ended. No names."),
    )
    submitted_on = models.DateField(_("handed in on"))
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
    note = models.TextField(_("note"), blank=True)
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
    description = models.TextField(_("description"), blank=True)
    covers = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("milestones it tells of"),
        default=list,
        blank=True,
    )
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public chronicle and its feed.")
    )
    editorial_note = models.TextField(
        _("editorial note"),
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
