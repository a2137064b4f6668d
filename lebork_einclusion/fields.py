"""Bounded free text: every text a user (or an imported file) can write has a length limit.

Issue 12: a 4 MB visit finding was accepted and its protocol PDF then took half a minute inside
the web request. The limits are named here, once, and each free-text field of every app is a
`BoundedTextField` with one of them: the form refuses more (Polish message next to the field,
`maxlength` on the textarea), `full_clean` refuses it, and the database refuses it too (the
column is varchar(n), so a bulk write or raw SQL cannot get past the form).

The audit trail (django-pghistory) copies the fields of the tracked models into its event
tables; settings.PGHISTORY_EXCLUDE_FIELD_KWARGS drops `max_length` there, so the event tables
keep plain text columns: what they record comes from the bounded tables, and an append-only
history written before the limits existed is never rewritten or refused.
"""

from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

# A remark, a reason, a note: a few sentences.
NOTE_LENGTH = 2000
# What someone found or decided and why: findings, descriptions, justifications, scopes.
STATEMENT_LENGTH = 4000
# Texts of the office's own documents: information clauses, accessibility statement, minutes.
DOCUMENT_LENGTH = 10000
# One cell of an imported spreadsheet (no imported column is longer than a statement).
CELL_LENGTH = STATEMENT_LENGTH


class BoundedTextField(models.TextField):
    """A TextField whose `max_length` binds everywhere: forms (a CharField with a Textarea that
    carries `maxlength`), model validation and the database (a varchar(n) column).

    The migration from text to varchar(n) casts without USING (the internal type stays
    "TextField"), so PostgreSQL's assignment cast refuses a longer value already stored: the
    migration fails loudly ("value too long for type character varying(n)") instead of
    truncating anything.
    Without max_length (only on the audit trail's copies) it is a plain TextField.
    """

    description = "Text with a maximum length"

    def __init__(self, *args, max_length=None, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def db_type(self, connection):
        if self.max_length is None:
            return super().db_type(connection)
        return f"varchar({int(self.max_length)})"


def max_length_of(model, name: str) -> int | None:
    """The length limit of a model's field (for a plain form field that writes into it)."""
    return model._meta.get_field(name).max_length


def length_errors(model, values: dict) -> dict[str, list[str]]:
    """Messages for every value longer than its model field allows, keyed by the field's name:
    for services and imports that write without a form (bulk_create skips full_clean and would
    otherwise end in a database error). Fields the model does not have are ignored."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        limit = getattr(field, "max_length", None)
        if limit is None or len(value) <= limit:
            continue
        try:
            validators.MaxLengthValidator(limit)(value)
        except ValidationError as error:
            errors[name] = list(error.messages)
    return errors


def copied_column_trigger(
    name: str, column: str, foreign_key: str, source_table: str, source_column: str
):
    """A BEFORE INSERT / UPDATE OF `foreign_key` trigger filling `column` with the referenced
    row's `source_column` (a sort key copied from the row a list is ordered by, so the list's
    keyset walks one index of its own table; the source never changes once set)."""
    import pgtrigger

    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.UpdateOf(foreign_key),
        func=f"""
                    NEW.{column} := (
                        SELECT {source_column} FROM {source_table}
                        WHERE id = NEW.{foreign_key}
                    );
                    RETURN NEW;
                """,  # noqa: S608 - names from the models' definitions, no input
    )
