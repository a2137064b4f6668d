"""What a person's name and birth date may be, for every app (issue 12).

A name must hold at least one letter and no Unicode format character (category Cf: zero-width
spaces and joiners, the right-to-left override, the soft hyphen ...): a name of U+200B alone is
an invisible applicant, and U+202E turns a name round on the screen and in every printed list.
A birth date lies between MAX_AGE_YEARS years ago and today.

The validators go on the model fields (so a ModelForm, the admin and `full_clean` use them) and
on the plain forms; the birth date read from a PESEL is checked by lebork_einclusion.pesel.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import clock

MAX_AGE_YEARS = 130


def validate_person_name(value: str) -> None:
    """A person's name (first name, surname, a contact person, who signed)."""
    text = str(value or "")
    if any(unicodedata.category(char) == "Cf" for char in text):
        raise ValidationError(
            _("A name may not contain invisible or text-direction characters."),
            code="format_character",
        )
    if not any(char.isalpha() for char in text):
        raise ValidationError(_("A name must contain at least one letter."), code="no_letter")


def earliest_birth_date(today: datetime.date | None = None) -> datetime.date:
    """MAX_AGE_YEARS years before today (29 February falls back to the 28th)."""
    today = today or clock.today()
    year = today.year - MAX_AGE_YEARS
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def birth_date_problem(value: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why the birth date cannot be a living person's, or None."""
    today = today or clock.today()
    if value > today:
        return _("The birth date cannot be in the future.")
    if value < earliest_birth_date(today):
        return _("The birth date cannot be more than %(years)d years ago.") % {
            "years": MAX_AGE_YEARS
        }
    return None


def validate_birth_date(value: datetime.date) -> None:
    problem = birth_date_problem(value)
    if problem:
        raise ValidationError(problem, code="birth_date")
