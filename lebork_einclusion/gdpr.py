"""Personal data the project holds: one registry that every app declares its models into.

From the registry the core builds
- the record of processing activities (rejestr czynności przetwarzania, GDPR Art. 30),
- the data-subject export: everything held about one person, found by PESEL (Art. 15, 20),
- retention: `manage.py apply_retention` anonymises what is past its retention period,
  except records under a legal hold and everyone named in them (Art. 5(1)(e), 17).

An app declares each model that holds personal data in its own `<app>/gdpr.py` (imported
automatically at start-up) with `register(PersonalDataSource(...))`; docs/development.md
describes the hooks. The core's own models are declared at the end of this module.
"""

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("einclusion.security")

# Categories of personal data. HEALTH is a special category (Art. 9 GDPR).
IDENTITY = "identity"
PESEL = "pesel"
CONTACT = "contact"
ADDRESS = "address"
FAMILY = "family"
INCOME = "income"
SOCIAL = "social"
HEALTH = "health"
DOCUMENTS = "documents"
ACTIVITY = "activity"
NETWORK = "network"

CATEGORY_LABELS = {
    IDENTITY: gettext_lazy("first and last name"),
    PESEL: gettext_lazy("PESEL number"),
    CONTACT: gettext_lazy("contact details (phone, e-mail)"),
    ADDRESS: gettext_lazy("address"),
    FAMILY: gettext_lazy("household composition and family situation"),
    INCOME: gettext_lazy("income"),
    SOCIAL: gettext_lazy("social benefits received"),
    HEALTH: gettext_lazy("disability (health data, Art. 9 GDPR)"),
    DOCUMENTS: gettext_lazy("scans of documents"),
    ACTIVITY: gettext_lazy("participation, attendance and use of equipment"),
    NETWORK: gettext_lazy("login name, IP address and browser"),
}
SPECIAL_CATEGORIES = frozenset({HEALTH})


@dataclass(frozen=True)
class PersonalDataSource:
    """One model that holds personal data, as the record of processing describes it, with the
    hooks the data-subject export and retention call (all optional; defaults below).

    find(pesel) -> iterable of instances
        Records about the person with this PESEL (also as a household member). Default: the
        model's rows whose PESEL-category fields equal it.
    export(instance) -> dict
        The record's content as JSON-serialisable values, keyed by readable field names.
        Default: the declared fields with their verbose names.
    pesels(instance) -> iterable of str
        PESEL numbers of the people in the record; a legal hold on any record of one of them
        protects all their records. Default: the values of the PESEL-category fields.
    expired(today) -> iterable of instances
        Records whose retention period has ended by `today` and that still hold personal
        data (never one already anonymised). Without it the model is outside retention.
        `after_project_retention(queryset_function)` builds the usual one.
    anonymise(instance, actor) -> None
        Overwrite the declared fields in place (or delete the row) so that nobody can be
        identified, keeping what statistics need (counts, points, dates, gender, age group);
        delete uploaded files. Runs inside the command's transaction. The core then copies
        the new values of the declared fields over the same fields of the record's audit
        trail rows (pghistory), so the history does not keep what the record no longer does.
    """

    model: str
    subjects: str
    purpose: str
    legal_basis: str
    fields: Mapping[str, str]
    recipients: str = ""
    retention: str = ""
    find: Callable[[str], Iterable[models.Model]] | None = None
    export: Callable[[models.Model], dict] | None = None
    pesels: Callable[[models.Model], Iterable[str]] | None = None
    expired: Callable[[datetime.date], Iterable[models.Model]] | None = None
    anonymise: Callable[[models.Model, object], None] | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def label(self) -> str:
        """The key used in access-log rows and legal holds: "app_label.modelname"."""
        return self.model_class._meta.label_lower

    @property
    def name(self) -> str:
        return str(self.model_class._meta.verbose_name_plural)

    @property
    def categories(self) -> list[str]:
        return sorted(set(self.fields.values()), key=list(CATEGORY_LABELS).index)

    @property
    def special(self) -> bool:
        return bool(SPECIAL_CATEGORIES & set(self.fields.values()))

    @property
    def managed_by_retention(self) -> bool:
        return self.expired is not None and self.anonymise is not None

    def field_labels(self) -> list[tuple[str, str]]:
        """(verbose field name, category label) for the record of processing."""
        meta = self.model_class._meta
        rows = []
        for name, category in self.fields.items():
            try:
                label = str(meta.get_field(name).verbose_name)
            except Exception:  # a declared attribute that is not a model field
                label = name
            rows.append((label, str(CATEGORY_LABELS[category])))
        return rows

    def _pesel_fields(self) -> list[str]:
        return [name for name, category in self.fields.items() if category == PESEL]

    def find_records(self, pesel: str) -> list[models.Model]:
        if self.find is not None:
            return list(self.find(pesel))
        names = self._pesel_fields()
        if not names:
            return []
        query = Q()
        for name in names:
            query |= Q(**{name: pesel})
        return list(self.model_class._default_manager.filter(query))

    def export_record(self, obj) -> dict:
        if self.export is not None:
            return self.export(obj)
        meta = obj._meta
        data = {"id": obj.pk}
        for name in self.fields:
            value = getattr(obj, name)
            if isinstance(value, models.Model):
                value = str(value)
            elif hasattr(value, "name") and hasattr(value, "storage"):  # a file
                value = value.name or ""
            elif isinstance(value, datetime.date | datetime.datetime):
                value = value.isoformat()
            elif value is not None and not isinstance(value, int | float | bool | str):
                value = str(value)
            data[str(meta.get_field(name).verbose_name)] = value
        return data

    def subject_pesels(self, obj) -> set[str]:
        if self.pesels is not None:
            return {p for p in self.pesels(obj) if p}
        return {getattr(obj, name) for name in self._pesel_fields() if getattr(obj, name)}


_registry: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> PersonalDataSource:
    key = source.model.lower()
    if key in _registry:
        raise ValueError(f"{source.model} is already registered as holding personal data")
    unknown = set(source.fields.values()) - set(CATEGORY_LABELS)
    if unknown:
        raise ValueError(f"{source.model}: unknown categories {sorted(unknown)}")
    _registry[key] = source
    return source


def unregister(model: str) -> None:
    _registry.pop(model.lower(), None)


# --- the audit trail -------------------------------------------------------------------------------
# The audit trail (core:audit_log) names who changed which field of which record, never the
# values of personal data: for every role it shows "changed (personal data, not shown)" instead.
# Hidden are every field an app declares in the registry, the fields the apps add here through
# hide_in_audit_trail() (personal data in a model that is not a source of its own, such as a
# PESEL inside a breakdown of points), and, as a safety net for models added later, every field
# whose name says it holds a PESEL, an income, a disability, a birth date, an identity document
# or contact details.
HIDDEN_IN_AUDIT_TRAIL: dict[str, set[str]] = {}
HIDDEN_FIELD_NAME_PARTS = (
    "pesel",
    "income",
    "disability",
    "birth",
    "id_number",
    "id_card",
    "document_number",
    "phone",
    "email",
    "first_name",
    "last_name",
)


def hide_in_audit_trail(model: str, *field_names: str) -> None:
    """Declare fields of `model` ("app_label.ModelName") that the audit trail never shows."""
    HIDDEN_IN_AUDIT_TRAIL.setdefault(model.lower(), set()).update(field_names)


def hidden_in_audit_trail(model: str) -> frozenset[str]:
    """The declared personal fields of `model` ("app_label.ModelName", any case)."""
    key = model.lower()
    hidden = set(HIDDEN_IN_AUDIT_TRAIL.get(key, ()))
    source = _registry.get(key)
    if source is not None:
        hidden.update(source.fields)
    return frozenset(hidden)


def is_hidden_in_audit_trail(model: str, field_name: str) -> bool:
    name = field_name.lower()
    hidden = hidden_in_audit_trail(model)
    # A foreign key appears in the trail under its column ("participant_id").
    return (
        field_name in hidden
        or field_name.removesuffix("_id") in hidden
        or any(part in name for part in HIDDEN_FIELD_NAME_PARTS)
    )


def audit_changes(event) -> list[dict]:
    """The changed fields of an audit event (pghistory) as {name, hidden, before, after}; the
    values of personal data are left out, whoever reads the trail."""
    changes = []
    for name, (before, after) in (event.pgh_diff or {}).items():
        if is_hidden_in_audit_trail(event.pgh_obj_model, name):
            changes.append({"name": name, "hidden": True})
        else:
            changes.append({"name": name, "hidden": False, "before": before, "after": after})
    return changes


def sources() -> list[PersonalDataSource]:
    """Every registered source, in the order of the apps' layers, then by model name."""
    order = {app: i for i, app in enumerate(settings.PROJECT_APPS)}

    def key(source):
        config = source.model_class._meta.app_config
        return (order.get(config.name, len(order)), source.name)

    return sorted(_registry.values(), key=key)


def source_for(label: str) -> PersonalDataSource | None:
    for source in _registry.values():
        if source.label == label.lower() or source.model.lower() == label.lower():
            return source
    return None


# --- retention periods --------------------------------------------------------------------------


def retention_end(project=None) -> datetime.date | None:
    """The last day the project's documents are kept: the durability period's end plus
    RETENTION_YEARS_AFTER_DURABILITY full calendar years (counted from 1 January after it)."""
    from .models import Project

    project = project or Project.current()
    if project is None:
        return None
    end_year = project.durability_end.year + settings.RETENTION_YEARS_AFTER_DURABILITY
    return datetime.date(end_year, 12, 31)


def overwrite(obj: models.Model, **values) -> None:
    """For anonymise(): write `values` over the record's fields, in its row and on the instance
    (the core copies the instance's declared fields over the audit trail afterwards)."""
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    for name, value in values.items():
        setattr(obj, name, value)


def overwriting(**values) -> Callable[[models.Model, object], None]:
    """An anonymise() hook that overwrites these fields in place (the row stays for statistics)."""

    def anonymise(obj, actor):
        overwrite(obj, **values)

    return anonymise


def after_project_retention(pending: Callable[[], models.QuerySet]):
    """An `expired` hook: every record `pending()` returns, once the project's retention end
    has passed; nothing before."""

    def expired(today: datetime.date):
        end = retention_end()
        queryset = pending()
        if end is None or today <= end:
            return queryset.none()
        return queryset

    return expired


# --- data-subject export ------------------------------------------------------------------------


@dataclass
class SubjectSection:
    source: PersonalDataSource
    records: list[dict] = field(default_factory=list)


def find_subject(pesel: str) -> list[tuple[SubjectSection, list[models.Model]]]:
    found = []
    for source in sources():
        objs = source.find_records(pesel)
        if objs:
            section = SubjectSection(source, [source.export_record(obj) for obj in objs])
            found.append((section, objs))
    return found


def do_subject_export(request, pesel: str) -> dict:
    """Everything held about one person, for a data-subject request (Art. 15 GDPR).

    Each record shown is written to the personal-data access log (who, when, which record;
    never the PESEL); a search that finds nothing is logged too and raises ValidationError.
    """
    from .access import record_personal_data_access

    found = find_subject(pesel)
    if not found:
        record_personal_data_access(
            request, object_type="gdpr.subject_export", object_id="", kinds=("pesel",)
        )
        logger.info("subject export: user=%s found=0", request.user.pk)
        raise ValidationError(
            _("No record in the system holds this PESEL number. Nothing was exported.")
        )
    for section, objs in found:
        kinds = {"pesel"} | ({"disability"} if section.source.special else set())
        if INCOME in section.source.fields.values():
            kinds.add("income")
        for obj in objs:
            record_personal_data_access(request, obj, kinds=tuple(kinds))
    logger.info(
        "subject export: user=%s found=%s",
        request.user.pk,
        sum(len(objs) for _section, objs in found),
    )
    return subject_document([section for section, _objs in found])


def subject_document(sections: list[SubjectSection]) -> dict:
    from .models import PrivacyNotice

    notice = PrivacyNotice.current()
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "controller": notice.controller,
        "data_protection_officer": notice.dpo_contact,
        "records": [
            {
                "type": section.source.label,
                "name": section.source.name,
                "purpose": str(section.source.purpose),
                "legal_basis": str(section.source.legal_basis),
                "retention": str(section.source.retention) or retention_text(),
                "recipients": str(section.source.recipients),
                "items": section.records,
            }
            for section in sections
        ],
    }


def retention_text() -> str:
    end = retention_end()
    if end is None:
        return ""
    return _("until %(date)s (the end of the durability period plus %(years)s years)") % {
        "date": end.strftime("%d.%m.%Y"),
        "years": settings.RETENTION_YEARS_AFTER_DURABILITY,
    }


# --- retention ------------------------------------------------------------------------------------


@dataclass
class RetentionItem:
    source: PersonalDataSource
    obj: models.Model
    held: bool


@dataclass
class RetentionReport:
    today: datetime.date
    dry_run: bool
    items: list[RetentionItem] = field(default_factory=list)

    def counts(self) -> list[tuple[PersonalDataSource, int, int]]:
        """(source, records to anonymise, records kept under a legal hold) per source."""
        rows = []
        for source in sources():
            mine = [item for item in self.items if item.source is source]
            if mine:
                rows.append(
                    (
                        source,
                        sum(1 for item in mine if not item.held),
                        sum(1 for item in mine if item.held),
                    )
                )
        return rows

    @property
    def anonymised(self) -> int:
        return sum(1 for item in self.items if not item.held)

    @property
    def held(self) -> int:
        return sum(1 for item in self.items if item.held)


def _held() -> tuple[set[tuple[str, str]], set[str]]:
    """Records under an active legal hold, and the PESEL numbers of everyone in them."""
    from .models import LegalHold

    records, people = set(), set()
    for hold in LegalHold.objects.filter(released_at__isnull=True):
        records.add((hold.object_type, hold.object_id))
        source = source_for(hold.object_type)
        if source is None:
            continue
        obj = source.model_class._default_manager.filter(pk=hold.object_id).first()
        if obj is not None:
            people |= source.subject_pesels(obj)
    return records, people


def plan_retention(today: datetime.date) -> list[RetentionItem]:
    held_records, held_people = _held()
    items = []
    for source in sources():
        if not source.managed_by_retention:
            continue
        for obj in source.expired(today):
            held = (source.label, str(obj.pk)) in held_records or bool(
                source.subject_pesels(obj) & held_people
            )
            items.append(RetentionItem(source, obj, held))
    return items


def _event_models(model) -> list[type[models.Model]]:
    from pghistory.models import Event

    return [
        m
        for m in apps.get_models()
        if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None) is model
    ]


def _scrub_history(source: PersonalDataSource, obj) -> None:
    """Copy the anonymised values over the record's audit-trail rows: retention is the one
    writer allowed past the append-only trigger (and only for the declared fields)."""
    exists = obj._meta.model._default_manager.filter(pk=obj.pk).exists()
    for event_model in _event_models(source.model_class):
        names = {f.name for f in event_model._meta.concrete_fields}
        if exists:
            values = {name: getattr(obj, name) for name in source.fields if name in names}
        else:  # deleted by the hook: blank what can be blanked
            values = {
                f.name: ("" if not f.null else None)
                for f in event_model._meta.concrete_fields
                if f.name in source.fields and (f.null or f.empty_strings_allowed)
            }
        if not values:
            continue
        uri = f"{event_model._meta.app_label}.{event_model._meta.object_name}:append_only"
        with pgtrigger.ignore(uri):
            event_model._default_manager.filter(pgh_obj_id=obj.pk).update(**values)


def do_apply_retention(today: datetime.date, actor=None, dry_run: bool = False):
    """Anonymise every expired record not under a legal hold; with dry_run, only report."""
    report = RetentionReport(today=today, dry_run=dry_run)
    with transaction.atomic():
        report.items = plan_retention(today)
        if not dry_run:
            for item in report.items:
                if not item.held:
                    item.source.anonymise(item.obj, actor)
                    _scrub_history(item.source, item.obj)
    logger.info(
        "retention %s: today=%s anonymised=%s held=%s",
        "dry run" if dry_run else "applied",
        today.isoformat(),
        0 if dry_run else report.anonymised,
        report.held,
    )
    return report


# --- the core's own personal data ----------------------------------------------------------------

_STAFF_BASIS = gettext_lazy(
    "Art. 6(1)(c) GDPR: the duty to control access to the system and to keep logs of users' "
    "actions (§20 of the regulation on the National Interoperability Framework, KRI)"
)


def _register_core():
    register(
        PersonalDataSource(
            model="auth.User",
            subjects=gettext_lazy("project staff and recruitment committee members"),
            purpose=gettext_lazy("user accounts: access control and accountability of actions"),
            legal_basis=_STAFF_BASIS,
            fields={
                "username": NETWORK,
                "first_name": IDENTITY,
                "last_name": IDENTITY,
                "email": CONTACT,
            },
            retention=gettext_lazy(
                "while the person works on the project; afterwards the deactivated account is "
                "kept with the project documentation, as the logs refer to it"
            ),
            find=lambda pesel: [],
        )
    )
    register(
        PersonalDataSource(
            model="core.PersonalDataAccess",
            subjects=gettext_lazy("project staff and recruitment committee members"),
            purpose=gettext_lazy("log of who viewed PESEL, income or disability data"),
            legal_basis=_STAFF_BASIS,
            fields={"user": IDENTITY},
            find=lambda pesel: [],
        )
    )
    register(
        PersonalDataSource(
            model="axes.AccessLog",
            subjects=gettext_lazy("users logging in"),
            purpose=gettext_lazy("security of the system: successful logins"),
            legal_basis=_STAFF_BASIS,
            fields={"username": NETWORK, "ip_address": NETWORK, "user_agent": NETWORK},
            retention=gettext_lazy("one year"),
            find=lambda pesel: [],
            expired=lambda today: _older_than_a_year("axes.AccessLog", "attempt_time", today),
            anonymise=lambda obj, actor: obj.delete(),
        )
    )
    register(
        PersonalDataSource(
            model="axes.AccessAttempt",
            subjects=gettext_lazy("users logging in"),
            purpose=gettext_lazy("security of the system: failed logins and lockouts"),
            legal_basis=_STAFF_BASIS,
            fields={"username": NETWORK, "ip_address": NETWORK, "user_agent": NETWORK},
            retention=gettext_lazy("one year"),
            find=lambda pesel: [],
            expired=lambda today: _older_than_a_year("axes.AccessAttempt", "attempt_time", today),
            anonymise=lambda obj, actor: obj.delete(),
        )
    )

    _register_core_public_units()
    _register_generated_files()


def _register_core_public_units():
    from .models import PublicUnit

    register(
        PersonalDataSource(
            model="core.PublicUnit",
            subjects=gettext_lazy("contact persons in the public units"),
            purpose=gettext_lazy("contact with the units that received computer labs"),
            legal_basis=gettext_lazy(
                "Art. 6(1)(e) GDPR: a task in the public interest (the project agreement)"
            ),
            fields={"contact_person": IDENTITY, "phone": CONTACT},
            find=lambda pesel: [],
            expired=after_project_retention(
                lambda: PublicUnit.objects.exclude(contact_person="", phone="")
            ),
            anonymise=overwriting(contact_person="", phone=""),
        )
    )


def _register_generated_files():
    """Files made in the background (all agreements of a call as one PDF, sign-in sheets,
    protocols) copy PESEL numbers, names and addresses out of the records: kept a couple of
    days (GENERATED_FILES_KEEP_DAYS), then removed by `clear_generated_files` and by retention."""
    from .models import GeneratedFile
    from .uploads import delete_on_commit

    def expired(today: datetime.date):
        cutoff = today - datetime.timedelta(days=settings.GENERATED_FILES_KEEP_DAYS)
        return GeneratedFile.objects.filter(created_at__date__lt=cutoff)

    def delete(generated, actor):
        delete_on_commit(generated.file)
        generated.delete()

    register(
        PersonalDataSource(
            model="core.GeneratedFile",
            subjects=gettext_lazy("applicants, household members, borrowers and trainees"),
            purpose=gettext_lazy(
                "documents printed in the background for the staff (agreements of a whole "
                "call, sign-in sheets, certificates, visit protocols)"
            ),
            legal_basis=gettext_lazy(
                "as the records the documents are printed from (Art. 6(1)(c) and (e) GDPR)"
            ),
            fields={"file": DOCUMENTS},
            retention=gettext_lazy(
                "a few days (the setting GENERATED_FILES_KEEP_DAYS); never in backups"
            ),
            find=lambda pesel: [],
            expired=expired,
            anonymise=delete,
        )
    )


def _older_than_a_year(model: str, field_name: str, today: datetime.date):
    cutoff = today - datetime.timedelta(days=365)
    return apps.get_model(model).objects.filter(**{f"{field_name}__date__lt": cutoff})


_register_core()
