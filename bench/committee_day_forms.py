"""The load test's forms: found in a page, filled in as a person fills them, and sent as a
browser without JavaScript sends them. Standard library only: the locust file
(bench/committee_day.py) uses it, and so does its guard test (tests/core/test_committee_day.py),
which posts the same filled-in forms through Django's test client, without locust."""

import re
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.htmlforms import HtmlForm, forms_of

CHECK_SERIAL = re.compile(r"checks-(\d+)-serial")
OBLIGATIONS = ("not_sold", "not_lent", "lawful_use")


def token() -> str:
    """A mark no one else writes: saved in a free-text field, then looked for in the database."""
    return f"bench-{uuid.uuid4().hex[:12]}"


def main_form(html: str, field: str) -> HtmlForm | None:
    """The page's POST form with `field` in it (not the language switch in the header)."""
    return next((f for f in forms_of(html) if f.method == "post" and field in f.names), None)


def filled(form: HtmlForm, changes: dict) -> dict[str, list[str]]:
    """What the browser sends: the form's own values with `changes` applied (a value, a list
    of values for ticked boxes of one name, or None for a box left unticked)."""
    data = form.data()
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = list(value) if isinstance(value, list | tuple) else [value]
    return data


def multipart(form: HtmlForm, data: dict[str, list[str]]) -> list[tuple]:
    """A multipart form's body as `requests` takes it (`files=`): a part for every value, and
    for every file input with nothing chosen an empty file part, as a browser sends it."""
    parts = [(name, (None, value)) for name, values in data.items() for value in values]
    parts += [
        (name, ("", b"", "application/octet-stream"))
        for name in form.names
        if form.types.get(name) == "file"
    ]
    return parts


def serials_of(form: HtmlForm) -> list[str]:
    """The serial numbers the visit form asks the officer to check, in its order."""
    return [value for name, value in form.fields if CHECK_SERIAL.fullmatch(name)]


def visit_changes(form: HtmlForm, mark: str) -> dict:
    """The officer's answers at a household where all is in order: every asset the form lists
    by serial is there, the connection works (when the household has one), every obligation of
    the agreement is kept, and the findings carry `mark`. The rest stays as the form offers it:
    the date and time it was opened, the outcome "made", the key it was opened with."""
    changes = {
        "present": "beneficjent i córka",
        "used_by": "córka – nauka, ojciec – oferty pracy",
        "purposes": ["school", "work"],
        "findings": f"{mark} Sprzęt kompletny, używany zgodnie z umową.",
        **dict.fromkeys(OBLIGATIONS, "yes"),
    }
    if "connection_working" in form.names:
        changes["connection_working"] = "yes"
    for name in form.names:
        match = CHECK_SERIAL.fullmatch(name)
        if match:
            changes[f"checks-{match[1]}-state"] = "present"
    return changes
