"""The one way a domain write is done: the `@service` decorator, row locks and versions.

Every `do_*` function of the apps is a service:

    @service
    def do_place_in_unit(asset, unit, placed_on, *, actor) -> Asset:
        asset = locked(asset)              # the row, fresh, under SELECT ... FOR UPDATE
        ...
        save_changed(asset, "status", "public_unit")   # version + 1: a form opened before fails

`@service` runs the function in one transaction and puts the actor and the service's name in
the audit context (pghistory), inside a request and in a management command alike, so the
change history names who did what through which action. `actor` is keyword-only and
required: the decorator refuses, at import, a service that declares it otherwise.

Optimistic locking: a form carries the version it was rendered with; `locked(obj,
expected_version=...)` refuses (ValidationError, code "concurrent_edit") when the stored
row moved on since, and `save_changed` moves the version on with every change.
"""

import functools
import inspect

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

CONCURRENT_EDIT = _(
    "Someone else saved this record while you were working on it. Nothing of yours has been "
    "saved yet. The fields you did not change now show the saved values; the fields you "
    "changed keep yours. Check them and save again."
)


class StaleVersion(ValidationError):
    """A form opened at an older version than the row's: refused, nothing saved. Carries the
    stored version, which the form page puts into the form, so that saving again (after
    reviewing the current state) is a decision of the user, not a second refusal."""

    def __init__(self, message, current_version: int):
        super().__init__(message, code="concurrent_edit")
        self.current_version = current_version


def service(func):
    """Declare a domain write: atomic, `actor` keyword-only and required, audit context set."""
    actor = inspect.signature(func).parameters.get("actor")
    if (
        actor is None
        or actor.kind is not inspect.Parameter.KEYWORD_ONLY
        or actor.default is not inspect.Parameter.empty
    ):
        raise TypeError(f"{func.__qualname__}: a service takes `*, actor` (keyword-only, required)")
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def run(*args, **kwargs):
        user = getattr(kwargs["actor"], "pk", None)
        metadata = {"service": name} if user is None else {"service": name, "user": user}
        with transaction.atomic(), pghistory.context(**metadata):
            return func(*args, **kwargs)

    run.is_service = True
    return run


def locked(obj, *, expected_version=None, message=CONCURRENT_EDIT):
    """The object's row, read again under a row lock (call inside a transaction).

    With `expected_version` (the version a form was opened with; None or "" skips the check)
    a row saved by someone else since is refused with `message` (StaleVersion), nothing changed.
    """
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if expected_version not in (None, "") and int(expected_version) != current.version:
        raise StaleVersion(message, current.version)
    return current


def save_changed(obj, *fields: str) -> None:
    """Save a record a service changed, moving its version on (a form opened before the
    change can no longer overwrite it). With `fields`, only those columns and the version."""
    obj.version += 1
    if fields:
        obj.save(update_fields=[*fields, "version"])
    else:
        obj.save()
