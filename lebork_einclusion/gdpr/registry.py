"""The registry of personal data: the categories, and one `PersonalDataSource` per model that
holds personal data, declared by the app that owns it (`register()` in `<app>/gdpr.py`)."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

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
