"""The office's language (settings.LANGUAGE_CODE, Polish): what is printed or written into a
record is in it, whatever the language of the user's screen or of a command."""

import functools

from django.conf import settings
from django.utils import translation


def in_office_language(build):
    """Papers are printed in Polish whatever the screen language: labels made while building
    the context (reasons, statuses) too, not only the template's own text."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    return wrapper


def office_text(message, **params) -> str:
    """A text the system writes into a record (a version's reason, an event's note, a
    description for lending): in the office's language whatever the language of the screen."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)
