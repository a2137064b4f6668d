"""The audit trail and personal data: which fields it never shows, and its event models; the
trail as the screens speak (records and fields by their names on the screens, values as the
screens show them, who, and the office's local time)."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import registry

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
    source = registry._registry.get(key)
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


# --- the trail as the screens speak ----------------------------------------------------------

ACTIONS = {
    "insert": gettext_noop("created"),
    "update": gettext_noop("changed"),
    "delete": gettext_noop("removed"),
}


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    """The model field a trail column belongs to ("verified_by_id" -> verified_by)."""
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _shown(field, value, related: dict) -> str:
    """A recorded value as the screens show it."""
    if value in (None, "", []):
        return "—"
    if field is None:
        return str(value)
    if field.is_relation and field.many_to_one:
        found = related.get((field.related_model, str(value)))
        return found if found is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        try:
            return formats.localize(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _related_names(events) -> dict:
    """(model, pk as text) -> how the screens name that record, for every foreign key the events
    mention: one query per model referred to, whatever the number of events."""
    wanted = defaultdict(set)
    for event in events:
        model = _model(event.pgh_obj_model)
        for name, pair in (event.pgh_diff or {}).items():
            field = _field(model, name)
            if field is None or not (field.is_relation and field.many_to_one):
                continue
            if is_hidden_in_audit_trail(event.pgh_obj_model, name):
                continue
            wanted[field.related_model].update(str(v) for v in pair if v not in (None, ""))
    names = {}
    user_model = get_user_model()
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=list(pks)):
            names[(model, str(obj.pk))] = _person(obj) if model is user_model else str(obj)
    return names


def describe_events(events, users: dict | None = None) -> list[dict]:
    """Each event as {event, record, action, who, when, changes}: the record and its fields by
    their names on the screens, the values as the screens show them (choices' labels, the
    record a key points to, dates in the short Polish form, times in the office's zone), who
    made the change; personal data stays hidden."""
    events = list(events)
    related = _related_names(events)
    if users is None:
        ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
        users = {u.pk: _person(u) for u in get_user_model().objects.filter(pk__in=ids)}
    rows = []
    for event in events:
        model = _model(event.pgh_obj_model)
        context = event.pgh_context or {}
        changes = []
        for name, (before, after) in (event.pgh_diff or {}).items():
            field = _field(model, name)
            label = capfirst(str(field.verbose_name)) if field is not None else name
            if is_hidden_in_audit_trail(event.pgh_obj_model, name):
                changes.append({"name": label, "hidden": True})
            else:
                changes.append(
                    {
                        "name": label,
                        "hidden": False,
                        "before": _shown(field, before, related),
                        "after": _shown(field, after, related),
                    }
                )
        record = capfirst(str(model._meta.verbose_name)) if model else event.pgh_obj_model
        action = ACTIONS.get(event.pgh_label)
        rows.append(
            {
                "event": event,
                "record": f"{record} #{event.pgh_obj_id}",
                "action": _(action) if action else event.pgh_label,
                "user": users.get(context.get("user")),
                "source": context.get("command"),
                "when": timezone.localtime(event.pgh_created_at),
                "changes": changes,
            }
        )
    return rows


def _event_models(model) -> list[type[models.Model]]:
    from pghistory.models import Event

    return [
        m
        for m in apps.get_models()
        if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None) is model
    ]
