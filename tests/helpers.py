"""Helpers the test files share: one copy each, imported where needed."""


def messages_of(error) -> str:
    """A ValidationError's messages as one line (to assert on what the user is told)."""
    return " ".join(error.messages)


def rows(model, *fields) -> list:
    """A table's rows in pk order: every column, or only the named ones (name "pk" to keep it)."""
    ordered = model._default_manager.order_by("pk")
    return list(ordered.values_list(*fields)) if fields else list(ordered.values())


def snapshot(*tables) -> dict:
    """What a refused step must leave as it was, to compare before and after: the rows of each
    table by its model's label. A table is a model (every column) or a tuple (model, "pk",
    field, …) (those columns only)."""
    state = {}
    for table in tables:
        model, *fields = table if isinstance(table, tuple) else (table,)
        state[model._meta.label] = rows(model, *fields)
    return state
