"""The project record and the public units: what every other app refers to."""

import datetime
import functools
import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from . import clock
from .fields import DOCUMENT_LENGTH, NOTE_LENGTH, BoundedTextField
from .people import validate_person_name
from .uploads import PrivatePath


@functools.cache
def _choice_labels(field, language: str | None) -> dict:
    """{value: label} of a field's choices, the labels in `language`."""
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


def choice_label(instance, field):
    """What `get_<field>_display()` returns, without translating every choice of the field on
    each call (Django hashes each lazy label, i.e. translates it, to build its lookup): a list
    page shows 50 rows' statuses. The labels are read once per field and language."""
    value = getattr(instance, field.attname)
    label = _choice_labels(field, translation.get_language()).get(make_hashable(value))
    return force_str(value, strings_only=True) if label is None else label


class VersionedModel(models.Model):
    """A row edited through forms: `version` guards against silent concurrent overwrites."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    _get_FIELD_display = choice_label


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@pghistory.track()
class Project(VersionedModel):
    name = models.CharField(_("project name"), max_length=300)
    programme = models.CharField(_("operational programme"), max_length=300)
    priority_axis = models.CharField(_("priority axis"), max_length=300)
    measure = models.CharField(_("measure"), max_length=300)
    fund = models.CharField(_("co-financing fund"), max_length=300)
    owner_name = models.CharField(_("project owner"), max_length=200)
    owner_address = models.CharField(_("owner's address"), max_length=300)
    # The legal person as the papers decline it ("do dyspozycji Gminy ...", "pomiędzy Gminą
    # ..."), and its seat without the office's name: typed in, never computed.
    owner_name_genitive = models.CharField(
        _("project owner (genitive)"),
        max_length=200,
        blank=True,
        help_text=_("As after „do dyspozycji”: Gminy Miasto Lębork."),
    )
    owner_name_instrumental = models.CharField(
        _("project owner (instrumental)"),
        max_length=200,
        blank=True,
        help_text=_("As after „zawarta pomiędzy”: Gminą Miasto Lębork."),
    )
    owner_seat = models.CharField(
        _("owner's seat"),
        max_length=300,
        blank=True,
        help_text=_("The legal person's address, without the office's name."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    durability_years = models.PositiveSmallIntegerField(
        _("durability period (years)"), default=5, validators=[MinValueValidator(1)]
    )
    target_households = models.PositiveIntegerField(_("target: households"), default=75)
    target_public_units = models.PositiveIntegerField(_("target: public units"), default=7)
    target_people_trained = models.PositiveIntegerField(_("target: people trained"), default=150)
    target_training_hours = models.PositiveIntegerField(_("target: training hours"), default=96)
    # §5.7 of the Regulation: where applicants get information (printed on the letters).
    office_room = models.CharField(_("project office: room"), max_length=100, blank=True)
    office_phone = models.CharField(_("project office: phone"), max_length=40, blank=True)
    office_email = models.EmailField(_("project office: e-mail"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name

    @property
    def durability_end(self) -> datetime.date:
        return add_years(self.end_date, self.durability_years)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @classmethod
    def current(cls) -> "Project | None":
        return cls.objects.order_by("pk").first()


@pghistory.track()
class PublicUnit(VersionedModel):
    """A public unit that receives a computer lab and a connection (§3, DOMAIN.md)."""

    class Kind(models.TextChoices):
        PRIMARY_SCHOOL = "primary_school", _("primary school")
        LOWER_SECONDARY = "lower_secondary", _("lower secondary school")
        SCHOOL_COMPLEX = "school_complex", _("school complex")
        WELFARE = "welfare", _("welfare unit")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100, default="Lębork")
    contact_person = models.CharField(
        _("contact person"), max_length=200, blank=True, validators=[validate_person_name]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("public unit")
        verbose_name_plural = _("public units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GeneratedFile(models.Model):
    """A file made by a background task (all agreements of a call as one PDF, ...).

    The page that started it polls its progress and offers the download when it is done;
    pretix's CachedFile is the model. Not a domain record, so it has no audit trail.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # What `done` counts while running: the documents made (""), then the parts joined.
    stage = models.CharField(max_length=12, blank=True, default="", db_default="")
    file = models.FileField(upload_to=PrivatePath("generated"), blank=True)
    error = BoundedTextField(blank=True, max_length=NOTE_LENGTH)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The running task touches this while it works; a running file whose heartbeat is older
    # than settings.EINCLUSION_JOB_STALE_MINUTES lost its worker (background.fail_stale_jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # What to enqueue again for a retry: the task's import path and its arguments after the id.
    # Defaults in the database too: rows written by SQL (a restore, a script) stay valid.
    task_path = models.CharField(max_length=200, blank=True, default="", db_default="")
    task_args = models.JSONField(default=list, db_default=[], blank=True)
    attempts = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED and bool(self.task_path)

    @property
    def progress_label(self) -> str:
        """The status as the progress page says it: "joining files…" once the documents are
        all made and their files are being joined into one."""
        if self.status == self.Status.RUNNING and self.stage == "joining":  # pdf.JOINING
            return _("joining files…")
        return self.get_status_display()

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


class FormKey(models.Model):
    """A one-time key of a create form that was sent, and where its first POST led
    (lebork_einclusion/formkeys.py). Not a domain record: no audit trail; kept two days."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    path = models.CharField(max_length=300)
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.path


@pgtrigger.register(
    pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class PersonalDataAccess(models.Model):
    """Who looked at PESEL, income or disability data: when, which record, through which view.

    Holds no personal data itself; rows cannot be changed or deleted (a database trigger).
    """

    class Kind(models.TextChoices):
        PESEL = "pesel", _("PESEL")
        INCOME = "income", _("income")
        DISABILITY = "disability", _("disability (health data)")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    view_name = models.CharField(_("page"), max_length=120)
    object_type = models.CharField(_("record type"), max_length=80)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    kinds = models.CharField(_("data"), max_length=60)

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.view_name} {self.object_type}#{self.object_id}"


class SingletonMixin:
    """One row (pk=1) holding a document the coordinator edits on a page; until it is saved
    the starting text (notices.py) stands in for it."""

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1, **cls.defaults())

    @classmethod
    def defaults(cls) -> dict:
        return {}


@pghistory.track()
class PrivacyNotice(SingletonMixin, VersionedModel):
    """The GDPR Art. 13 information clause, configured once and shown on every form that
    collects personal data, on the printed application and on a public page."""

    controller = BoundedTextField(
        _("controller (name and address)"),
        max_length=DOCUMENT_LENGTH,
        help_text=_("Who decides about the data: the municipality, represented by its mayor."),
    )
    controller_contact = models.CharField(_("controller's contact"), max_length=300)
    dpo_contact = models.CharField(
        _("data protection officer's contact"),
        max_length=300,
        help_text=_("E-mail and postal address of the data protection officer (Art. 37 GDPR)."),
    )
    purposes = BoundedTextField(_("purposes of processing"), max_length=DOCUMENT_LENGTH)
    legal_basis = BoundedTextField(_("legal basis"), max_length=DOCUMENT_LENGTH)
    health_data_basis = BoundedTextField(
        _("legal basis for health data (Art. 9(2) GDPR)"),
        max_length=DOCUMENT_LENGTH,
        help_text=_("Disability certificates are health data: name the exception of Art. 9(2)."),
    )
    recipients = BoundedTextField(_("recipients"), max_length=DOCUMENT_LENGTH)
    retention = BoundedTextField(
        _("retention period"),
        max_length=DOCUMENT_LENGTH,
        help_text=_("The date computed from the project record is shown after this text."),
    )
    rights = BoundedTextField(_("rights of the data subject"), max_length=DOCUMENT_LENGTH)
    complaint = BoundedTextField(_("right to lodge a complaint"), max_length=DOCUMENT_LENGTH)
    requirement = BoundedTextField(
        _("whether providing the data is required"), max_length=DOCUMENT_LENGTH
    )
    automated_decisions = BoundedTextField(
        _("automated decision-making"), max_length=DOCUMENT_LENGTH
    )

    class Meta:
        verbose_name = _("information clause (GDPR Art. 13)")
        verbose_name_plural = _("information clauses (GDPR Art. 13)")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def defaults(cls) -> dict:
        from .notices import PRIVACY_NOTICE

        return dict(PRIVACY_NOTICE)


@pghistory.track()
class AccessibilityStatement(SingletonMixin, VersionedModel):
    """Deklaracja dostępności: the statement the act of 4 April 2019 on the digital accessibility
    of public bodies' websites requires (art. 10), in the structure the minister publishes."""

    class Status(models.TextChoices):
        COMPLIANT = "compliant", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NON_COMPLIANT = "non_compliant", _("not compliant")

    class Method(models.TextChoices):
        SELF = "self", _("self-assessment by the public body")
        EXTERNAL = "external", _("assessment by an external body")

    entity = models.CharField(_("public body"), max_length=300)
    site_name = models.CharField(
        _("name of the application (genitive)"),
        max_length=300,
        help_text=_("As it reads after 'This accessibility statement applies to the'."),
    )
    site_url = models.URLField(_("address of the application"))
    published_on = models.DateField(_("date of publication"))
    updated_on = models.DateField(_("date of the last significant update"))
    status = models.CharField(_("compliance status"), max_length=20, choices=Status.choices)
    non_accessible = BoundedTextField(
        _("content that is not accessible"), blank=True, max_length=DOCUMENT_LENGTH
    )
    exemptions = BoundedTextField(_("exemptions"), blank=True, max_length=DOCUMENT_LENGTH)
    prepared_on = models.DateField(_("statement prepared on"))
    reviewed_on = models.DateField(_("statement last reviewed on"))
    method = models.CharField(
        _("assessment method"), max_length=20, choices=Method.choices, default=Method.SELF
    )
    auditor = models.CharField(_("external assessor"), max_length=300, blank=True)
    keyboard_shortcuts = BoundedTextField(_("keyboard use"), blank=True, max_length=DOCUMENT_LENGTH)
    contact_person = models.CharField(
        _("contact person"), max_length=200, validators=[validate_person_name]
    )
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    architecture = BoundedTextField(
        _("architectural accessibility of the office"), max_length=DOCUMENT_LENGTH
    )
    sign_language = BoundedTextField(
        _("sign language interpreting"), blank=True, max_length=DOCUMENT_LENGTH
    )
    mobile_apps = BoundedTextField(_("mobile applications"), blank=True, max_length=DOCUMENT_LENGTH)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def defaults(cls) -> dict:
        from .notices import accessibility_statement_defaults

        return accessibility_statement_defaults(clock.today())

    def clean(self):
        if self.method == self.Method.EXTERNAL and not self.auditor:
            raise ValidationError({"auditor": _("Name the body that made the assessment.")})
        if self.published_on and self.updated_on and self.updated_on < self.published_on:
            raise ValidationError({"updated_on": _("The update cannot be before the publication.")})


@pghistory.track()
class LegalHold(models.Model):
    """A record (and everyone in it) that retention must not touch: a court case, a claim
    under a promissory note, an audit. Lifted by `released_at`, never deleted."""

    object_type = models.CharField(_("record type"), max_length=80)
    object_id = models.CharField(_("record"), max_length=64)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.object_type}#{self.object_id}"

    @property
    def active(self) -> bool:
        return self.released_at is None


class RecordedModel(models.Model):
    """Who recorded a row and when (visits, attendance, reports, service claims...). A model
    that records the latest change rather than the first overrides the two fields."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        abstract = True

    _get_FIELD_display = choice_label


@pghistory.track()
class Officeholder(VersionedModel):
    """Who holds an office of the town for a term: the mayor, a deputy, the treasurer (who
    countersigns), or a proxy acting under a power of attorney. The papers name them in the
    grammatical case the sentence needs; the declined forms are typed in, never computed."""

    class Office(models.TextChoices):
        MAYOR = "mayor", _("mayor")
        DEPUTY = "deputy", _("deputy mayor")
        TREASURER = "treasurer", _("treasurer")
        PROXY = "proxy", _("proxy (power of attorney)")

    office = models.CharField(_("office"), max_length=12, choices=Office.choices)
    name = models.CharField(
        _("name (nominative)"),
        max_length=200,
        validators=[validate_person_name],
        help_text=_("As in a signature: Jan Kowalski."),
    )
    name_genitive = models.CharField(
        _("name (genitive)"),
        max_length=200,
        help_text=_("As after „przy kontrasygnacie”: Jana Kowalskiego."),
    )
    name_accusative = models.CharField(
        _("name (accusative)"),
        max_length=200,
        help_text=_("As after „reprezentowaną przez”: Jana Kowalskiego."),
    )
    title = models.CharField(
        _("title of the office (nominative)"),
        max_length=200,
        help_text=_("Burmistrz Miasta Lęborka, Skarbnik Miasta, ..."),
    )
    title_genitive = models.CharField(
        _("title of the office (genitive)"),
        max_length=200,
        help_text=_("As after „przy kontrasygnacie”: Skarbnika Miasta."),
    )
    title_accusative = models.CharField(
        _("title of the office (accusative)"),
        max_length=200,
        help_text=_("As after „reprezentowaną przez”: Burmistrza Miasta Lęborka."),
    )
    valid_from = models.DateField(_("in office from"))
    valid_to = models.DateField(
        _("in office until"), null=True, blank=True, help_text=_("Empty while in office.")
    )
    authority = models.CharField(
        _("power of attorney"),
        max_length=200,
        blank=True,
        help_text=_("For a proxy: the power of attorney's number and date."),
    )
    is_demo = models.BooleanField(_("made-up demo record"), default=False, editable=False)

    class Meta:
        verbose_name = _("office holder")
        verbose_name_plural = _("office holders")
        ordering = ["office", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="officeholder_term_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.title} — {self.name}"

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The term cannot end before it begins.")})
        if self.office == self.Office.PROXY and not self.authority.strip():
            raise ValidationError({"authority": _("Give the power of attorney's number and date.")})
        if self.office in (self.Office.MAYOR, self.Office.TREASURER) and self.valid_from:
            # One mayor and one treasurer at a time: a paper must name exactly one.
            others = Officeholder.objects.filter(office=self.office).exclude(pk=self.pk)
            others = others.filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                others = others.filter(valid_from__lte=self.valid_to)
            clash = others.order_by("valid_from").first()
            if clash is not None:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "%(name)s holds this office in the same period: end that term first."
                        )
                        % {"name": clash.name}
                    }
                )

    def holds_office_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@pghistory.track()
class ArchivedPaper(models.Model):
    """A paper exactly as it became binding (an agreement signed, a protocol approved, a letter
    sent...): its PDF stored once with its SHA-256, served byte for byte ever after, never
    rendered again; the scan of the signed paper may be attached beside it (archive.py)."""

    kind = models.CharField(_("paper"), max_length=40)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("record type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    file = models.FileField(_("PDF as binding"), upload_to=PrivatePath("archive"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    archived_at = models.DateTimeField(_("archived"))
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scan = models.FileField(
        _("scan of the signed paper"), upload_to=PrivatePath("archive-scans"), blank=True
    )
    scan_uploaded_at = models.DateTimeField(_("scan attached"), null=True, blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scan attached by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("archived paper")
        verbose_name_plural = _("archived papers")
        ordering = ["-archived_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"], name="archived_paper_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} ({self.sha256[:12]})"
