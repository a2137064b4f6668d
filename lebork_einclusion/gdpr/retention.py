"""Retention: the end of the project's retention period, the hooks apps declare (`overwrite`,
`overwriting`, `after_project_retention`), and `do_apply_retention`, which anonymises what is
past it except records under a legal hold and everyone named in them (Art. 5(1)(e), 17)."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import pgtrigger
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit_trail import _event_models
from .registry import PersonalDataSource, source_for, sources

logger = logging.getLogger("einclusion.security")


def retention_end(project=None) -> datetime.date | None:
    """The last day the project's documents are kept: the durability period's end plus
    RETENTION_YEARS_AFTER_DURABILITY full calendar years (counted from 1 January after it)."""
    from ..models import Project

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
    from ..models import LegalHold

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
