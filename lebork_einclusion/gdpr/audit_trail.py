"""The audit trail and personal data: which fields it never shows, and its event models."""

from django.apps import apps
from django.db import models

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


def _event_models(model) -> list[type[models.Model]]:
    from pghistory.models import Event

    return [
        m
        for m in apps.get_models()
        if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None) is model
    ]
