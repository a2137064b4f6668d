"""Polish words that agree with a person's sex, where the sex is known (issue 16).

The office writes "ukończyła" of a woman and "ukończył" of a man; the form for either sex,
"ukończył(a)", only where the sex is not recorded. A person's sex is the trainee's recorded sex,
or the tenth digit of their PESEL (lebork_einclusion/pesel.py); staff users have neither.
"""

import re

from . import pesel as pesel_rules

FEMALE, MALE = "F", "M"

# "ukończył(a)", "Pan(i)", "obecny(a)": a word and the ending that makes it feminine.
_EITHER = re.compile(r"(\w+)\((\w{1,3})\)")


def sex_of(person) -> str | None:
    """FEMALE, MALE or None (not known): the recorded sex, else the PESEL's tenth digit."""
    if person is None:
        return None
    recorded = getattr(person, "sex", "")
    if recorded in (FEMALE, MALE):
        return recorded
    number = getattr(person, "person_pesel", None) or getattr(person, "pesel", "") or ""
    return sex_from_pesel(number)


def sex_from_pesel(number: str) -> str | None:
    """FEMALE or MALE from a valid PESEL's tenth digit; None for anything else."""
    return pesel_rules.sex(number) if pesel_rules.is_valid_pesel(number or "") else None


def _resolve(match: re.Match, sex: str) -> str:
    word, feminine = match.group(1), match.group(2)
    if sex == MALE:
        return word
    if word.endswith("y") and feminine == "a":  # an adjective: "obecny(a)" -> "obecna"
        return word[:-1] + "a"
    return word + feminine


def for_sex(text: str, sex: str | None) -> str:
    """The text with each "word(ending)" agreeing with the sex; unchanged when it is not known.
    A one-word masculine adjective ("obecny", a status beside a person) becomes feminine for a
    woman ("obecna")."""
    if sex not in (FEMALE, MALE):
        return text
    text = _EITHER.sub(lambda match: _resolve(match, sex), text)
    if sex == FEMALE and re.fullmatch(r"\w+y", text):
        return text[:-1] + "a"
    return text
