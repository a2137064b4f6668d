"""Personal data the project holds: one registry that every app declares its models into.

From the registry the core builds
- the record of processing activities (rejestr czynności przetwarzania, GDPR Art. 30),
- the data-subject export: everything held about one person, found by PESEL (Art. 15, 20),
- retention: `manage.py apply_retention` anonymises what is past its retention period,
  except records under a legal hold and everyone named in them (Art. 5(1)(e), 17).

An app declares each model that holds personal data in its own `<app>/gdpr.py` (imported
automatically at start-up) with `register(PersonalDataSource(...))`; docs/development.md
describes the hooks. A module per subject: `registry` (categories, sources), `audit_trail`
(what the change history never shows), `retention` (periods, anonymisation, legal holds),
`subject_export` (Art. 15) and `core_sources` (the core's own models, registered on import).

This package is the apps' surface: the names below, exactly those the apps (and their tests)
use. The core's own modules import the submodules.
"""

from . import core_sources  # noqa: F401  (registers the core's own models)
from .audit_trail import (
    _event_models,
    describe_events,
    hidden_in_audit_trail,
    hide_in_audit_trail,
    is_hidden_in_audit_trail,
)
from .registry import (
    ACTIVITY,
    ADDRESS,
    CONTACT,
    DOCUMENTS,
    FAMILY,
    HEALTH,
    IDENTITY,
    INCOME,
    NETWORK,
    PESEL,
    SOCIAL,
    PersonalDataSource,
    register,
    source_for,
    sources,
    unregister,
)
from .retention import after_project_retention, do_apply_retention, overwrite, overwriting
from .subject_export import find_subject

__all__ = [
    "ACTIVITY",
    "ADDRESS",
    "CONTACT",
    "DOCUMENTS",
    "FAMILY",
    "HEALTH",
    "IDENTITY",
    "INCOME",
    "NETWORK",
    "PESEL",
    "SOCIAL",
    "PersonalDataSource",
    "_event_models",
    "after_project_retention",
    "describe_events",
    "do_apply_retention",
    "find_subject",
    "hidden_in_audit_trail",
    "hide_in_audit_trail",
    "is_hidden_in_audit_trail",
    "overwrite",
    "overwriting",
    "register",
    "source_for",
    "sources",
    "unregister",
]
