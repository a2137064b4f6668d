"""Calls, applications with their household members and documents, the committee's work,
and the ranked lists: live (Evaluation, derived) and approved (RankingVersion, frozen)."""

from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.fields import DOCUMENT_LENGTH, NOTE_LENGTH, BoundedTextField
from lebork_einclusion.models import VersionedModel
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.pesel import validate_pesel
from lebork_einclusion.uploads import PrivatePath

from . import domain
from .domain import ApplicationData, CallRules, MemberData

DOCUMENT_CHOICES = list(domain.DOCUMENT_TYPES.items())
CRITERION_CHOICES = list(domain.CRITERIA.items())


def default_required_documents():
    return list(domain.ALWAYS_REQUIRED)


@pghistory.track()
class Call(VersionedModel):
    """A call for applications (nabór) with the parameters the rules read."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    opens_on = models.DateField(_("opening date"))
    deadline = models.DateField(_("deadline"))
    places = models.PositiveIntegerField(
        _("places on the main list"), default=75, validators=[MinValueValidator(1)]
    )
    reserve_places = models.PositiveIntegerField(
        _("places on the reserve list"),
        null=True,
        blank=True,
        help_text=_("Empty: every remaining eligible application."),
    )
    average_salary = models.DecimalField(
        _("GUS average monthly salary (PLN)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The figure announced by the President of GUS used for the §4.2.5 ceiling."),
    )
    ceiling_percent_family = models.DecimalField(
        _("income ceiling per family member (percent of the salary)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    ceiling_percent_single = models.DecimalField(
        _("income ceiling for a person living alone (percent of the salary)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("65"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reference_date = models.DateField(
        _("reference date for ages"),
        null=True,
        blank=True,
        help_text=_("Empty: the deadline."),
    )
    required_documents = ArrayField(
        models.CharField(max_length=40, choices=DOCUMENT_CHOICES),
        verbose_name=_("documents required of every applicant"),
        default=default_required_documents,
        blank=True,
    )
    town = models.CharField(_("town"), max_length=100, default=domain.TOWN)
    # Whether the call makes the e-learning module a participant's duty (§6.7) beside the
    # classroom course (training's obligations read it for each household).
    e_learning_obligatory = models.BooleanField(
        _("the e-learning module is a participant's duty"), default=False
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_on"]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def age_date(self):
        return self.reference_date or self.deadline

    def rules(self) -> CallRules:
        return CallRules(
            deadline=self.deadline,
            places=self.places,
            reserve_places=self.reserve_places,
            average_salary=self.average_salary,
            reference_date=self.reference_date,
            required_documents=tuple(self.required_documents),
            ceiling_share_family=self.ceiling_percent_family / 100,
            ceiling_share_single=self.ceiling_percent_single / 100,
            town=self.town,
        )


@pghistory.track()
class Application(VersionedModel):
    """One household's application (formularz zgłoszeniowy) with its declarations."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField(_("registration number"), max_length=20)
    sequence = models.PositiveIntegerField(_("registration order"), editable=False)
    channel = models.CharField(_("submitted"), max_length=10, choices=list(domain.CHANNELS.items()))
    received_on = models.DateField(_("date received"))
    postmarked_on = models.DateField(_("postmark date"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=120)
    building = models.CharField(_("building number"), max_length=20)
    flat = models.CharField(_("flat number"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("town"), max_length=100, default=domain.TOWN)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    has_computer = models.BooleanField(_("the household has a computer"), default=False)
    has_internet = models.BooleanField(_("the household has Internet access"), default=False)
    monthly_net_income = models.DecimalField(
        _("household monthly net income (PLN)"), max_digits=10, decimal_places=2
    )
    social_assistance = models.BooleanField(
        _("meets the social-assistance income criterion"), default=False
    )
    family_benefits = models.BooleanField(
        _("meets the family-benefits income criterion"), default=False
    )
    alimony_fund = models.BooleanField(_("meets the alimony-fund income criterion"), default=False)
    foster_family = models.BooleanField(_("foster family"), default=False)
    family_childrens_home = models.BooleanField(_("family children's home"), default=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # Set by retention (recruitment/gdpr.py): the address, phone and income are gone.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # A mistaken application (registered twice, entered for the wrong household) is withdrawn by
    # the coordinator with a reason, never deleted: it stays in the register, marked, and leaves
    # the evaluation, the lists and the public results (services.applications.do_withdraw_application).
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.CharField(
        _("reason for the withdrawal"), max_length=500, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="application_number_unique"),
            models.CheckConstraint(
                condition=models.Q(monthly_net_income__gte=0),
                name="application_income_not_negative",
            ),
        ]
        indexes = [
            # The list pages walk a call in registration order, 50 rows at a time.
            models.Index(fields=["call", "sequence"], name="application_call_sequence"),
            # The application list's withdrawn applications (a few, or none): read from this
            # small index, not found by reading every application of the call on each view.
            models.Index(
                fields=["call", "sequence"],
                name="application_withdrawn",
                condition=Q(withdrawn_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def submitted_on(self):
        return (
            self.postmarked_on
            if self.channel == domain.POST and self.postmarked_on
            else self.received_on
        )

    @property
    def address(self) -> str:
        flat = f"/{self.flat}" if self.flat else ""
        return f"{self.street} {self.building}{flat}, {self.postal_code} {self.city}"

    def to_data(self, members, documents, personal=None) -> ApplicationData:
        """`documents`: the verified household documents; `personal`: member id -> the
        person's own verified document types."""
        personal = personal or {}
        return ApplicationData(
            number=self.number,
            channel=self.channel,
            received_on=self.received_on,
            postmarked_on=self.postmarked_on,
            street=self.street,
            building=self.building,
            flat=self.flat,
            postal_code=self.postal_code,
            city=self.city,
            has_computer=self.has_computer,
            has_internet=self.has_internet,
            monthly_net_income=self.monthly_net_income,
            social_assistance=self.social_assistance,
            family_benefits=self.family_benefits,
            alimony_fund=self.alimony_fund,
            foster_family=self.foster_family,
            family_childrens_home=self.family_childrens_home,
            members=tuple(m.to_data(personal.get(m.pk, ())) for m in members),
            documents=frozenset(documents),
        )


@pghistory.track()
class HouseholdMember(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="members"
    )
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_person_name]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_person_name])
    pesel = models.CharField(_("PESEL"), max_length=11, db_index=True, validators=[validate_pesel])
    role = models.CharField(_("role"), max_length=10, choices=list(domain.ROLES.items()))
    disability = models.CharField(
        _("disability"),
        max_length=20,
        choices=list(domain.DISABILITIES.items()),
        default=domain.NO_DISABILITY,
    )
    school_scholarship = models.BooleanField(_("pupil with a school scholarship"), default=False)
    foster_child = models.BooleanField(_("foster child"), default=False)
    family_home_child = models.BooleanField(_("child of the family children's home"), default=False)
    # Set by retention (recruitment/gdpr.py): the name and PESEL are gone; what statistics need
    # of them (sex, age group at the call) is kept here.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, blank=True, editable=False)
    age_group = models.CharField(_("age group"), max_length=10, blank=True, editable=False)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["application_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "pesel"], name="member_pesel_unique")
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def to_data(self, documents=()) -> MemberData:
        return MemberData(
            documents=frozenset(documents),
            pesel=self.pesel,
            role=self.role,
            disability=self.disability,
            school_scholarship=self.school_scholarship,
            foster_child=self.foster_child,
            family_home_child=self.family_home_child,
            first_name=self.first_name,
            last_name=self.last_name,
        )


@pghistory.track()
class ApplicationDocument(models.Model):
    """A document the household handed in; the committee verifies it (only then it counts)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    doc_type = models.CharField(_("document"), max_length=40, choices=DOCUMENT_CHOICES)
    # Criteria 3-5: the person's own document (one disability certificate per disabled member,
    # one scholarship confirmation per pupil); empty for the household's documents.
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    scan = models.FileField(_("scan"), upload_to=PrivatePath("recruitment/scans"), blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["application_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "doc_type"],
                condition=models.Q(member__isnull=True),
                name="household_document_once",
            ),
            models.UniqueConstraint(
                fields=["member", "doc_type"],
                condition=models.Q(member__isnull=False),
                name="personal_document_once",
            ),
            # A person's document belongs to a person, a household's to none.
            models.CheckConstraint(
                condition=models.Q(doc_type__in=domain.PERSONAL_DOCUMENTS, member__isnull=False)
                | (
                    ~models.Q(doc_type__in=domain.PERSONAL_DOCUMENTS)
                    & models.Q(member__isnull=True)
                ),
                name="personal_document_has_person",
            ),
        ]
        # "Documents to verify" is asked of every row of a list: the few unverified ones.
        indexes = [
            models.Index(
                fields=["application"],
                condition=models.Q(verified_at__isnull=True),
                name="document_unverified",
            )
        ]

    def __str__(self):
        return self.get_doc_type_display()

    @property
    def key(self) -> str:
        """The document's name in forms: its type, and the person's id for a personal one."""
        return f"{self.doc_type}_{self.member_id}" if self.member_id else self.doc_type

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Evaluation(models.Model):
    """What the rules say of an application now: derived from the tracked records above, not a
    record of its own (the approved lists are RankingVersion).

    It holds the application's assessment (ranking.assess: its points and its own reasons) and
    its outcome in the call (ranking.rank). Saving one application re-assesses it alone and
    re-ranks the call from the stored assessments; a change of the call's rules re-assesses all.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="evaluation"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    # The assessment of the application alone.
    sequence = models.PositiveIntegerField()  # the application's registration order
    submitted_on = models.DateField()
    points = models.PositiveIntegerField(_("points"))
    breakdown = models.JSONField(default=list)
    not_credited = ArrayField(models.CharField(max_length=3), default=list)
    formal = ArrayField(models.CharField(max_length=60), default=list)
    own_reasons = ArrayField(models.CharField(max_length=60), default=list)
    own_warnings = ArrayField(models.CharField(max_length=60), default=list)
    pesels = ArrayField(models.CharField(max_length=11), default=list)
    address = ArrayField(models.CharField(max_length=120), null=True)
    # The outcome in the call.
    status = models.CharField(_("status"), max_length=12, choices=list(domain.STATUSES.items()))
    # The place in the ranking, stored for the main list only (services.evaluation.fill_places
    # reads the reserve's and the unlisted's when shown).
    rank = models.PositiveIntegerField(_("rank"), null=True)
    position = models.PositiveIntegerField(null=True)
    tie = models.BooleanField(_("tie at the line"), default=False)
    reasons = ArrayField(models.CharField(max_length=60), default=list)
    warnings = ArrayField(models.CharField(max_length=60), default=list)
    criteria = ArrayField(models.CharField(max_length=3), default=list)  # credited codes

    class Meta:
        indexes = [
            models.Index(fields=["call", "sequence"], name="evaluation_registration"),
            # Each list in ranking order (only the main list's places are stored: a reserve
            # list of tens of thousands is numbered when shown, never renumbered by a save).
            models.Index(
                fields=["call", "status", "-points", "submitted_on", "sequence"],
                name="evaluation_list_ranking",
            ),
            # The ineligible and the rejected lists, in registration order (no stored place).
            models.Index(fields=["call", "status", "sequence"], name="evaluation_list_order"),
            # The application list by points (equal points in the ranking's order).
            models.Index(
                fields=["call", "-points", "submitted_on", "sequence"],
                name="evaluation_by_points",
            ),
            # The ranking's window query walks the eligible rows in ranking order, reading the
            # outcome stored now from the index alone (no sort, no visit of the wide rows).
            models.Index(
                fields=["call", "-points", "submitted_on", "sequence"],
                include=["application", "status", "rank", "position", "tie"],
                name="evaluation_ranking",
                condition=Q(formal=[], reasons=[]),
            ),
            # The rows still holding a ranking's status though no longer eligible (none, or a
            # few during a save): the ranking moves them to their list without a scan.
            models.Index(
                fields=["call"],
                name="evaluation_unsettled",
                condition=Q(status__in=[domain.MAIN, domain.RESERVE, domain.UNLISTED])
                & ~Q(formal=[], reasons=[]),
            ),
            # The rows flagged as tied at the line (a save looks at them when the line moves).
            models.Index(fields=["call"], name="evaluation_tied", condition=Q(tie=True)),
            # Eligible rows on no ranking list yet or on the main list (a new or a newly eligible
            # application, the main list itself): the few a ranking must look at beyond the top.
            models.Index(
                fields=["call"],
                name="evaluation_to_place",
                condition=Q(formal=[], reasons=[])
                & Q(status__in=[domain.MAIN, domain.INELIGIBLE, domain.REJECTED]),
            ),
            # A save looks up the applications sharing a PESEL number or the address.
            # Written at once (no pending list): every save rewrites a row, and a growing
            # pending list is read through on every look-up (134 ms against 14 ms, at 100 000).
            GinIndex(fields=["pesels"], name="evaluation_pesels", fastupdate=False),
            models.Index(fields=["call", "address"], name="evaluation_address"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.status}"


@pghistory.track()
class ReviewNote(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    text = BoundedTextField(_("note"), max_length=NOTE_LENGTH)

    class Meta:
        verbose_name = _("committee note")
        verbose_name_plural = _("committee notes")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


@pghistory.track()
class CommitteeMeeting(VersionedModel):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members present"),
        through="MeetingAttendance",
        related_name="+",
    )
    notes = BoundedTextField(_("minutes"), blank=True, max_length=DOCUMENT_LENGTH)
    # The Regulation names no tie-break at the line between the lists: the committee decides and
    # its own words go into the protocol (approval is refused while a tie is unresolved).
    tie_resolution = BoundedTextField(
        _("how the tie at the line was resolved"), blank=True, max_length=NOTE_LENGTH
    )

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["held_on"]

    def __str__(self):
        return f"{self.held_on:%d.%m.%Y}"


# The call's rules (§4, §5): they lock at the first approval of its lists (§8.3).
RULE_FIELDS = (
    "deadline",
    "places",
    "reserve_places",
    "average_salary",
    "ceiling_percent_family",
    "ceiling_percent_single",
    "reference_date",
    "required_documents",
    "town",
)


@pghistory.track()
class RegulationOrder(models.Model):
    """A version of the Regulation: the mayor's order that adopted or amended it (§8.3), and
    which of the call's rules an amendment changes."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    issued_on = models.DateField(_("date of the order"))
    is_amendment = models.BooleanField(_("amends the Regulation"), default=False)
    rules_changed = ArrayField(
        models.CharField(max_length=30), verbose_name=_("rules changed"), default=list, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("order on the Regulation")
        verbose_name_plural = _("orders on the Regulation")
        ordering = ["issued_on", "number"]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d.%m.%Y})"


@pghistory.track()
class CommitteeMember(models.Model):
    """A member of a call's recruitment committee: who, from which institution, in which role
    (the protocol names them from these records)."""

    class Institution(models.TextChoices):
        UM = "um", _("Town Office in Lębork (UM)")
        MOPS = "mops", _("Municipal Social Assistance Centre (MOPS)")

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair of the committee")
        SECRETARY = "secretary", _("secretary of the committee")
        MEMBER = "member", _("member of the committee")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="committee"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.CharField(_("institution"), max_length=8, choices=Institution.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="committee_member_once"),
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(role="chair"), name="committee_one_chair"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"


@pghistory.track()
class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]

    def __str__(self):
        return f"{self.meeting}: {self.user}"


LEFT = "left"
ENTRY_STATUSES = [*domain.STATUSES.items(), (LEFT, _("left the project"))]


def _frozen():
    """Approved lists are history: the database refuses to update or delete their rows."""
    return pgtrigger.Protect(name="frozen", operation=pgtrigger.Update | pgtrigger.Delete)


@pghistory.track(pghistory.InsertEvent())
@pgtrigger.register(_frozen())
class RankingVersion(models.Model):
    """A dated version of the lists. Never edited: a later change is a new version (§5.6)."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("lists approved by the committee")
        PROMOTION = "promotion", _("a place freed and filled from the reserve list")
        VACANCY = "vacancy", _("a place freed, the reserve list empty")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    decided_on = models.DateField(_("decision date"))
    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT, null=True, blank=True
    )
    # A promotion records the reason the place was freed (an exclusion's facts and decision).
    reason = BoundedTextField(_("reason"), blank=True, max_length=DOCUMENT_LENGTH)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("version of the lists")
        verbose_name_plural = _("versions of the lists")
        ordering = ["call_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return _("version %(n)s of %(date)s") % {
            "n": self.number,
            "date": f"{self.decided_on:%d.%m.%Y}",
        }


@pghistory.track(pghistory.InsertEvent())
@pgtrigger.register(_frozen())
class RankingEntry(models.Model):
    version = models.ForeignKey(RankingVersion, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ENTRY_STATUSES)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    points = models.PositiveIntegerField(_("points"))
    tie = models.BooleanField(_("tie at the line"), default=False)
    reasons = ArrayField(models.CharField(max_length=60), default=list)
    warnings = ArrayField(models.CharField(max_length=60), default=list)
    breakdown = models.JSONField(default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["version_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "application"], name="entry_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.version_id}: {self.application_id} {self.status}"


@pghistory.track()
class Notification(models.Model):
    """The applicant told of the outcome (§5.7: in writing or by phone)."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone")
        IN_PERSON = "in_person", _("in person")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    version = models.ForeignKey(
        RankingVersion, verbose_name=_("lists"), on_delete=models.PROTECT, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sent_on = models.DateField(_("date"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.application} {self.get_channel_display()} {self.sent_on}"
