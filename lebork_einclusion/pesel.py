"""PESEL numbers: validation by django-localflavor, and what the number itself says.

YYMMDDZZZXQ: the month carries the century (+80 for the 1800s, +20 for the 2000s, ...), X is even
for women and odd for men, Q is the checksum.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from localflavor.pl.forms import PLPESELField

from .people import birth_date_problem


class PeselField(PLPESELField):
    """The PESEL form field of every app: localflavor's checks (11 digits, checksum, a real
    calendar date) and a birth date of a living person (lebork_einclusion.people)."""

    def clean(self, value):
        value = super().clean(value)
        if value:
            problem = birth_date_problem(birth_date(value))
            if problem:
                raise ValidationError(
                    _("This PESEL gives an impossible birth date: %(problem)s")
                    % {"problem": problem},
                    code="birth_date",
                )
        return value


_FIELD = PeselField()


def validate_pesel(value: str) -> str:
    """The cleaned PESEL, or ValidationError (11 digits, checksum, a real birth date of a living
    person). Also the model validator of every PESEL field."""
    return _FIELD.clean(value)


def is_valid_pesel(value: str) -> bool:
    try:
        validate_pesel(value)
    except ValidationError:
        return False
    return True


_CENTURY = ((80, 1800), (0, 1900), (20, 2000), (40, 2100), (60, 2200))


def birth_date(pesel: str) -> datetime.date:
    year, month, day = int(pesel[:2]), int(pesel[2:4]), int(pesel[4:6])
    for offset, century in _CENTURY:
        if 1 <= month - offset <= 12:
            return datetime.date(century + year, month - offset, day)
    raise ValueError("not a PESEL birth date")


def sex(pesel: str) -> str:
    """'F' or 'M' from the tenth digit."""
    return "F" if int(pesel[9]) % 2 == 0 else "M"


def age_on(pesel: str, day: datetime.date) -> int:
    born = birth_date(pesel)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def make_pesel(born: datetime.date, serial: int, female: bool) -> str:
    """A valid PESEL for synthetic people (demo data, tests): serial 0-999 picks the number."""
    month = born.month + {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[born.year // 100 * 100]
    sex_digit = (serial % 5) * 2 + (0 if female else 1)
    digits = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial % 1000:03d}{sex_digit}"
    check = (10 - sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 10) % 10
    return digits + str(check)
