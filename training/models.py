"""Training of the final beneficiaries (§3.3, §6.7 of the Regulation): modules, groups, trainees,
sessions and their attendance, the signed sheets, and the e-learning module's progress.

A Trainee is a person of a participating household: a member recorded in the household's
application, or someone who is not a member yet (an adult who moved in), with the reason. A
person is in at most one group of a module. Once the scan of a session's signed sheet is
attached the session is locked: attendance then changes only by an AttendanceCorrection, which
keeps the reason.
"""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.fields import NOTE_LENGTH, BoundedTextField
from lebork_einclusion.models import Project, RecordedModel, VersionedModel
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.pesel import validate_pesel
from lebork_einclusion.uploads import PrivatePath
from lending.models import Participant
from procurement.models import Contract
from recruitment.models import HouseholdMember

HOURS = {"max_digits": 6, "decimal_places": 2}


@pghistory.track()
class TrainingModule(VersionedModel):
    class Form(models.TextChoices):
        CLASSROOM = "classroom", _("classroom")
        E_LEARNING = "e_learning", _("e-learning")

    class HourUnit(models.TextChoices):
        ACADEMIC = "academic", _("academic hours (45 minutes)")
        CLOCK = "clock", _("clock hours (60 minutes)")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="training_modules",
    )
    number = models.PositiveSmallIntegerField(_("module number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices, default=Form.CLASSROOM)
    hour_unit = models.CharField(
        _("hours counted as"), max_length=10, choices=HourUnit.choices, default=HourUnit.ACADEMIC
    )
    planned_groups = models.PositiveSmallIntegerField(
        _("number of groups"), default=1, validators=[MinValueValidator(1)]
    )
    planned_hours_per_group = models.DecimalField(
        _("planned hours per group"),
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_(
            "For e-learning: the hours of meetings in the classroom (the opening meeting); the "
            "course itself is followed by the imported progress."
        ),
        **HOURS,
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("provider's contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The procurement contract with the training provider."),
    )
    completion_percent = models.PositiveSmallIntegerField(
        _("needed to complete (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Classroom: the share of the planned hours a trainee must attend. E-learning: the "
            "share of the course the provider reports as completed."
        ),
    )
    obligatory = models.BooleanField(
        _("a participant's duty (§6.7)"),
        default=True,
        help_text=_(
            "Someone from every participating household must complete it; households that have "
            "not are listed for the coordinator."
        ),
    )
    certificate_text = BoundedTextField(
        _("what the certificate says"),
        max_length=NOTE_LENGTH,
        help_text=_(
            "The sentence printed under the trainee's name; the module, dates, hours and topics "
            "follow it."
        ),
    )

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["project_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="training_module_number_unique",
                violation_error_message=_("The project already has a module with this number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_module_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self):
        return _("Module %(number)s: %(name)s") % {"number": self.number, "name": self.name}

    @property
    def is_e_learning(self) -> bool:
        return self.form == self.Form.E_LEARNING

    @property
    def hours_planned(self) -> Decimal:
        return self.planned_hours_per_group * self.planned_groups

    @property
    def required_hours(self) -> Decimal:
        """Hours a trainee must attend to complete it (classroom)."""
        return self.planned_hours_per_group * self.completion_percent / 100

    @property
    def provider(self) -> str:
        return self.contract.supplier.name if self.contract_id else ""


@pghistory.track()
class TrainingGroup(VersionedModel):
    module = models.ForeignKey(
        TrainingModule, verbose_name=_("module"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=60)
    trainer = models.CharField(
        _("trainer"), max_length=200, help_text=_("A person of the training provider.")
    )
    room = models.CharField(_("room"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=20, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("training group")
        verbose_name_plural = _("training groups")
        ordering = ["module_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "name"],
                name="training_group_name_unique",
                violation_error_message=_("The module already has a group with this name."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.module.name})"


@pghistory.track()
class Trainee(models.Model):
    """A person in a group. `module` repeats the group's module so that the database itself
    refuses a person in two groups of one module."""

    module = models.ForeignKey(
        TrainingModule, verbose_name=_("module"), on_delete=models.PROTECT, related_name="trainees"
    )
    group = models.ForeignKey(
        TrainingGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="trainees"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="trainees",
    )
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("household member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainee_places",
    )
    # Someone not (yet) recorded as a member of the household: name, PESEL and the reason.
    first_name = models.CharField(
        _("first name"), max_length=100, blank=True, validators=[validate_person_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=100, blank=True, validators=[validate_person_name]
    )
    pesel = models.CharField(_("PESEL"), max_length=11, blank=True, validators=[validate_pesel])
    reason = BoundedTextField(
        _("why this person is not a member of the household"),
        max_length=NOTE_LENGTH,
        blank=True,
        help_text=_("E.g. an adult who moved in after the application was filed."),
    )
    # Read from the PESEL at enrolment; kept for the figures when names and PESEL are removed.
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("woman")), ("M", _("man"))])
    age = models.PositiveSmallIntegerField(_("age at the module's start"))
    enrolled_on = models.DateField(_("enrolled on"))
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The certificate of completion is issued once (do_issue_certificate): its PDF is archived
    # at that moment; before it the certificate prints as a draft.
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    certificate_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("certificate issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["group_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "member"],
                condition=Q(member__isnull=False),
                name="trainee_member_once_per_module",
                violation_error_message=_("This person is already in a group of this module."),
            ),
            models.UniqueConstraint(
                fields=["module", "pesel"],
                condition=~Q(pesel=""),
                name="trainee_pesel_once_per_module",
                violation_error_message=_("This person is already in a group of this module."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False)
                | (~Q(last_name="") & ~Q(reason=""))
                | Q(anonymised_at__isnull=False),
                name="trainee_member_or_named_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["module", "group"], name="trainee_module_group")]

    def __str__(self):
        return self.full_name

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def full_name(self) -> str:
        if self.member_id:
            return f"{self.member.first_name} {self.member.last_name}"
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self) -> tuple[str, str]:
        if self.member_id:
            return (self.member.last_name, self.member.first_name)
        return (self.last_name, self.first_name)

    @property
    def person_pesel(self) -> str:
        return self.member.pesel if self.member_id else self.pesel


@pghistory.track()
class TrainingSession(VersionedModel):
    group = models.ForeignKey(
        TrainingGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    hours = models.DecimalField(
        _("hours counted"), validators=[MinValueValidator(Decimal("0.25"))], **HOURS
    )
    topic = models.CharField(_("topic"), max_length=300)
    trainer = models.CharField(_("trainer"), max_length=200)
    room = models.CharField(_("room"), max_length=200, blank=True)
    sheet_scan = models.FileField(
        _("scan of the signed sheet"), upload_to=PrivatePath("training/sheets"), blank=True
    )
    sheet_attached_at = models.DateTimeField(_("sheet attached"), null=True, blank=True)
    sheet_attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sheet attached by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["date", "starts_at", "group_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            )
        ]
        indexes = [
            models.Index(fields=["date", "starts_at"], name="training_session_day"),
            models.Index(fields=["group", "date"], name="training_session_group_day"),
        ]

    def __str__(self):
        return f"{self.group.name} {self.date:%d.%m.%Y} {self.starts_at:%H:%M}"

    @property
    def locked(self) -> bool:
        return bool(self.sheet_scan)


@pghistory.track()
class Attendance(RecordedModel):
    """A trainee's mark for a session. A mark can be set again, so its `recorded_*` fields name
    the latest change: they override RecordedModel's (`recorded_at` moves on with every save,
    `recorded_by` may be empty), with no change to the table."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    reason = models.CharField(
        _("reason for the absence"),
        max_length=300,
        blank=True,
        help_text=_("Why the absence is excused, e.g. “illness”; no diagnosis."),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session_id", "trainee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""),
                name="attendance_excused_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.trainee_id} {self.status}"


@pghistory.track()
class AttendanceCorrection(models.Model):
    """A change of attendance after the signed sheet locked the session, with its reason."""

    attendance = models.ForeignKey(
        Attendance,
        verbose_name=_("attendance"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    previous_status = models.CharField(
        _("before"), max_length=10, choices=Attendance.Status.choices, blank=True
    )
    previous_reason = models.CharField(
        _("reason for the absence before"), max_length=300, blank=True
    )
    new_status = models.CharField(_("after"), max_length=10, choices=Attendance.Status.choices)
    new_reason = models.CharField(_("reason for the absence after"), max_length=300, blank=True)
    reason = BoundedTextField(_("reason for the correction"), max_length=NOTE_LENGTH)
    corrected_at = models.DateTimeField(_("corrected"), auto_now_add=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["corrected_at", "pk"]

    def __str__(self):
        return f"{self.attendance}: {self.previous_status} -> {self.new_status}"


@pghistory.track()
class ELearningEnrolment(models.Model):
    """A trainee of an e-learning module: the login handed over and the provider's progress."""

    trainee = models.OneToOneField(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="elearning"
    )
    login = models.CharField(_("login"), max_length=40, unique=True)
    login_handed_over_on = models.DateField(_("login handed over on"), null=True, blank=True)
    progress_percent = models.DecimalField(
        _("course completed (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    last_activity_on = models.DateField(_("last activity"), null=True, blank=True)
    progress_imported_at = models.DateTimeField(_("progress imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-learning enrolment")
        verbose_name_plural = _("e-learning enrolments")
        ordering = ["trainee_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True)
                | Q(progress_percent__gte=0, progress_percent__lte=100),
                name="elearning_progress_percent_range",
            )
        ]

    def __str__(self):
        return self.login


@pghistory.track()
class ProgressImport(models.Model):
    """One import of the provider's progress export: when, who, which file, how many rows."""

    module = models.ForeignKey(
        TrainingModule,
        verbose_name=_("module"),
        on_delete=models.PROTECT,
        related_name="progress_imports",
    )
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress import")
        verbose_name_plural = _("progress imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.rows})"
