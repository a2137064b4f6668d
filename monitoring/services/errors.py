"""How the monitoring services refuse: a ValidationError keyed by the form's fields."""

from django.core.exceptions import ValidationError


def raise_errors(errors: dict):
    if errors:
        raise ValidationError(errors)


def raise_keyed(errors: dict):
    """`errors` keyed by field, None for the whole form."""
    if errors:
        raise ValidationError({field or "__all__": messages for field, messages in errors.items()})
