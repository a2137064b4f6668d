"""Checks an OCDS 1.1 release package against the published schema shipped beside this file.

Needs `jsonschema` (a development dependency): imported only by the tests and by
`manage.py export_ocds --validate`, never by the pages.
"""

import csv
import datetime
import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "1__1__5"

# Open codelists (the schema itself does not enumerate them): JSON path pattern -> codelist.
OPEN_CODELISTS = {
    ("parties", "*", "roles", "*"): "partyRole",
    ("tender", "awardCriteria"): "awardCriteria",
    ("tender", "submissionMethod", "*"): "submissionMethod",
    ("tender", "documents", "*", "documentType"): "documentType",
    ("contracts", "*", "documents", "*", "documentType"): "documentType",
    ("relatedProcesses", "*", "relationship", "*"): "relatedProcess",
    ("relatedProcesses", "*", "scheme"): "relatedProcessScheme",
}

_formats = FormatChecker(formats=())


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.datetime.fromisoformat(value)
    if "T" not in value or parsed.tzinfo is None:
        raise ValueError("a date-time with a time zone is required (RFC 3339)")
    return True


@_formats.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise ValueError("an absolute URI is required")
    return True


@cache
def _schemas():
    package = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text("utf-8"))
    release = json.loads((SCHEMA_DIR / "release-schema.json").read_text("utf-8"))
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in (package, release)
    )
    return package, registry


@cache
def codelist(name: str) -> frozenset[str]:
    with open(SCHEMA_DIR / "codelists" / f"{name}.csv", encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


def _values(data, path):
    if not path:
        yield data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for item in data:
                yield from _values(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from _values(data[head], rest)


def validation_errors(package: dict) -> list[str]:
    """Every problem of `package`, as readable lines; an empty list when it is valid."""
    schema, registry = _schemas()
    validator = Draft4Validator(schema, registry=registry, format_checker=_formats)
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(package)'}: {error.message}"
        for error in sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    ]
    for number, release in enumerate(package.get("releases", [])):
        for path, name in OPEN_CODELISTS.items():
            for value in _values(release, path):
                if value not in codelist(name):
                    problems.append(
                        f"releases/{number}/{'/'.join(path)}: {value!r} is not in codelist {name}"
                    )
        party_ids = [party.get("id") for party in release.get("parties", [])]
        if len(party_ids) != len(set(party_ids)):
            problems.append(f"releases/{number}/parties: party ids are not unique")
        for reference in _organization_references(release):
            if reference.get("id") not in party_ids:
                problems.append(
                    f"releases/{number}: {reference.get('id')!r} is referenced but not in parties"
                )
        award_ids = {award["id"] for award in release.get("awards", [])}
        for contract in release.get("contracts", []):
            if contract["awardID"] not in award_ids:
                problems.append(f"releases/{number}: contract {contract['id']} has no award")
    return problems


def _organization_references(release):
    if "buyer" in release:
        yield release["buyer"]
    tender = release.get("tender", {})
    if "procuringEntity" in tender:
        yield tender["procuringEntity"]
    yield from tender.get("tenderers", [])
    for award in release.get("awards", []):
        yield from award.get("suppliers", [])
