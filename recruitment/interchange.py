"""The interchange formats of FORMATS.md: applications in (JSON), the ranking out (JSON, CSV,
XLSX). The management commands and the web import/export pages both call these."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.fields import length_errors
from lebork_einclusion.records import service
from lebork_einclusion.tables import csv_text, workbook_bytes

from . import domain
from .models import Application, ApplicationDocument, Call, HouseholdMember
from .services.applications import sequence_of
from .services.evaluation import breakdown_json, recompute
from .validation import application_errors, member_errors

HOUSEHOLD_FLAGS = (
    "social_assistance",
    "family_benefits",
    "alimony_fund",
    "foster_family",
    "family_childrens_home",
)
ADDRESS_FIELDS = ("street", "building", "flat", "postal_code", "city")


@dataclass
class ImportProblem:
    number: str
    field: str
    message: str

    def __str__(self):
        return f"{self.number or '-'}: {self.field}: {self.message}"


@dataclass
class ParsedApplication:
    number: str
    fields: dict
    members: list[dict]
    documents: list[str]
    parsed_cleanly: bool = True  # no field failed to parse (then the rules can check it)
    member_documents: list[list[str]] = field(default_factory=list)  # parallel to members


@dataclass
class ParsedFile:
    call: dict
    applications: list[ParsedApplication] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _too_long(model, values: dict, number: str, prefix: str = "") -> list[ImportProblem]:
    """A problem for every text longer than the model's field allows (the file is refused
    with it instead of failing in the database)."""
    return [
        ImportProblem(number, f"{prefix}{name}", message)
        for name, messages in length_errors(model, values).items()
        for message in messages
    ]


def _date(value, number, name, problems, required=True):
    if value in (None, ""):
        if required:
            problems.append(ImportProblem(number, name, _("This field is required.")))
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            ImportProblem(
                number, name, _("Not a date in the format YYYY-MM-DD: %(v)s") % {"v": value}
            )
        )
        return None


def _decimal(value, number, name, problems):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(ImportProblem(number, name, _("Not an amount: %(v)s") % {"v": value}))
        return None


def _bool(value, number, name, problems):
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    problems.append(ImportProblem(number, name, _("Expected true or false.")))
    return False


def _choice(value, choices, number, name, problems):
    if value not in choices:
        problems.append(
            ImportProblem(
                number,
                name,
                _("Unknown value %(v)s (allowed: %(allowed)s).")
                % {"v": value, "allowed": ", ".join(choices)},
            )
        )
    return value


def parse_call(raw: dict, problems) -> dict:
    call = {}
    if not isinstance(raw, dict) or not raw.get("code"):
        problems.append(
            ImportProblem("", "call.code", _('The file must name its call: {"call": {"code": …}}.'))
        )
        return call
    call["code"] = str(raw["code"])
    call["deadline"] = _date(raw.get("deadline"), "", "call.deadline", problems)
    try:
        call["places"] = int(raw.get("places", 75))
        if call["places"] < 1:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(
            ImportProblem(
                "", "call.places", _("The number of places must be a whole number above 0.")
            )
        )
    salary = raw.get("average_salary_pln")
    call["average_salary"] = (
        _decimal(salary, "", "call.average_salary_pln", problems) if salary is not None else None
    )
    if call.get("average_salary") is None and salary is None:
        problems.append(ImportProblem("", "call.average_salary_pln", _("This field is required.")))
    if raw.get("opens_on"):
        call["opens_on"] = _date(raw.get("opens_on"), "", "call.opens_on", problems)
    if raw.get("title"):
        call["title"] = str(raw["title"])
    if "reserve_places" in raw:
        call["reserve_places"] = raw["reserve_places"]
    problems.extend(_too_long(Call, call, "", "call."))
    return call


def parse_application(raw: dict, problems) -> ParsedApplication | None:
    number = str(raw.get("number") or "")
    problems_before = len(problems)
    if not number:
        problems.append(
            ImportProblem("", "number", _("Every application needs its registration number."))
        )
        return None
    too_long = _too_long(Application, {"number": number}, number[:40] + "…")
    if too_long:
        problems.extend(too_long)
        return None
    fields = {
        "received_on": _date(raw.get("received_on"), number, "received_on", problems),
        "channel": _choice(raw.get("channel"), list(domain.CHANNELS), number, "channel", problems),
        "postmarked_on": _date(
            raw.get("postmarked_on"), number, "postmarked_on", problems, required=False
        ),
        "has_computer": _bool(raw.get("has_computer"), number, "has_computer", problems),
        "has_internet": _bool(raw.get("has_internet"), number, "has_internet", problems),
        "monthly_net_income": _decimal(
            raw.get("monthly_net_income_pln"), number, "monthly_net_income_pln", problems
        ),
    }
    address = raw.get("address") or {}
    for name in ADDRESS_FIELDS:
        value = address.get(name) or ""
        if not value and name not in ("flat",):
            problems.append(ImportProblem(number, f"address.{name}", _("This field is required.")))
        fields[name] = str(value)
    household = raw.get("household") or {}
    for flag in HOUSEHOLD_FLAGS:
        fields[flag] = _bool(household.get(flag), number, f"household.{flag}", problems)
    members = []
    for index, member in enumerate(raw.get("members") or []):
        where = f"members[{index}]"
        members.append(
            {
                "first_name": str(member.get("first_name") or ""),
                "last_name": str(member.get("last_name") or ""),
                "pesel": str(member.get("pesel") or ""),
                "role": _choice(
                    member.get("role"), list(domain.ROLES), number, f"{where}.role", problems
                ),
                "disability": _choice(
                    member.get("disability", domain.NO_DISABILITY),
                    list(domain.DISABILITIES),
                    number,
                    f"{where}.disability",
                    problems,
                ),
                "school_scholarship": _bool(
                    member.get("school_scholarship"),
                    number,
                    f"{where}.school_scholarship",
                    problems,
                ),
                "foster_child": _bool(
                    member.get("foster_child"), number, f"{where}.foster_child", problems
                ),
                "family_home_child": _bool(
                    member.get("family_home_child"), number, f"{where}.family_home_child", problems
                ),
            }
        )
        for name in ("first_name", "last_name"):
            if not members[-1][name]:
                problems.append(
                    ImportProblem(number, f"{where}.{name}", _("This field is required."))
                )
    problems.extend(_too_long(Application, fields, number))
    for index, member in enumerate(members):
        problems.extend(_too_long(HouseholdMember, member, number, f"members[{index}]."))
    household_types = [d for d in domain.DOCUMENT_TYPES if d not in domain.PERSONAL_DOCUMENTS]
    documents = _documents(raw.get("documents"), household_types, number, "documents", problems)
    member_documents = [
        _documents(
            member.get("documents"),
            domain.PERSONAL_DOCUMENTS,
            number,
            f"members[{index}].documents",
            problems,
        )
        for index, member in enumerate(raw.get("members") or [])
    ]
    return ParsedApplication(
        number,
        fields,
        members,
        documents,
        len(problems) == problems_before,
        member_documents,
    )


def _documents(values, allowed, number: str, where: str, problems) -> list[str]:
    """FORMATS.md: the household's documents on the application, a person's own (criteria 3-5)
    on the member; either in the wrong place is refused with a clear message."""
    documents: list[str] = []
    for doc in values or []:
        if doc in domain.PERSONAL_DOCUMENTS and doc not in allowed:
            problems.append(
                ImportProblem(
                    number,
                    where,
                    _(
                        "Document %(v)s is a person's own: list it in the documents of the "
                        "member it proves."
                    )
                    % {"v": doc},
                )
            )
        elif doc in domain.DOCUMENT_TYPES and doc not in allowed:
            problems.append(
                ImportProblem(
                    number,
                    where,
                    _("Document %(v)s belongs to the household: list it on the application.")
                    % {"v": doc},
                )
            )
        elif doc not in domain.DOCUMENT_TYPES:
            problems.append(
                ImportProblem(number, where, _("Unknown document type %(v)s.") % {"v": doc})
            )
        elif doc in documents:
            problems.append(
                ImportProblem(number, where, _("Document %(v)s listed twice.") % {"v": doc})
            )
        else:
            documents.append(doc)
    return documents


def parse_import(data: dict) -> ParsedFile:
    problems: list[ImportProblem] = []
    if not isinstance(data, dict):
        return ParsedFile({}, [], [ImportProblem("", "-", _("The file must hold a JSON object."))])
    parsed = ParsedFile(parse_call(data.get("call"), problems), problems=problems)
    seen = set()
    for raw in data.get("applications") or []:
        if not isinstance(raw, dict):
            problems.append(
                ImportProblem("", "applications", _("Every application must be a JSON object."))
            )
            continue
        application = parse_application(raw, problems)
        if application is None:
            continue
        if application.number in seen:
            problems.append(
                ImportProblem(
                    application.number, "number", _("This number appears twice in the file.")
                )
            )
        seen.add(application.number)
        parsed.applications.append(application)
    return parsed


def _check_against_call(parsed: ParsedFile, call: Call, update: bool) -> None:
    today = clock.today()
    existing = set(Application.objects.filter(call=call).values_list("number", flat=True))
    for app in parsed.applications:
        if app.number in existing and not update:
            parsed.problems.append(
                ImportProblem(
                    app.number,
                    "number",
                    _("This application is already registered (use --update to replace it)."),
                )
            )
        if not app.number.startswith(f"{call.code}/") or not sequence_of(app.number):
            parsed.problems.append(
                ImportProblem(
                    app.number,
                    "number",
                    _("Expected a number like %(example)s.") % {"example": f"{call.code}/001"},
                )
            )
        if not app.parsed_cleanly:
            continue  # its field problems are already reported
        for name, messages in application_errors(app.fields, call, today).items():
            parsed.problems.extend(ImportProblem(app.number, name, m) for m in messages)
        overall, per_member = member_errors(app.members, app.fields, call)
        parsed.problems.extend(ImportProblem(app.number, "members", m) for m in overall)
        for index, problems in enumerate(per_member):
            for name, messages in problems.items():
                parsed.problems.extend(
                    ImportProblem(app.number, f"members[{index}].{name}", m) for m in messages
                )


@service
def do_import(
    data: dict, call_code: str, *, actor, update: bool = False
) -> tuple[Call, list[ImportProblem], int]:
    """Import a file: all of it, or (with any problem) nothing. Returns the call, the problems
    and the number of applications imported."""
    parsed = parse_import(data)
    if parsed.call.get("code") and parsed.call["code"] != call_code:
        parsed.problems.append(
            ImportProblem(
                "",
                "call.code",
                _("The file is for call %(file)s, not %(asked)s.")
                % {"file": parsed.call["code"], "asked": call_code},
            )
        )
    if parsed.problems:
        return None, parsed.problems, 0
    call = Call.objects.select_for_update().filter(code=call_code).first()
    if call is None:
        days = [
            d
            for a in parsed.applications
            for d in (a.fields["received_on"], a.fields["postmarked_on"])
            if d
        ]
        call = Call.objects.create(
            code=call_code,
            title=parsed.call.get("title") or _("Call %(code)s") % {"code": call_code},
            opens_on=parsed.call.get("opens_on") or min([*days, parsed.call["deadline"]]),
            deadline=parsed.call["deadline"],
            places=parsed.call["places"],
            average_salary=parsed.call["average_salary"],
            reserve_places=parsed.call.get("reserve_places"),
        )
    else:
        for name in ("deadline", "places", "average_salary"):
            if parsed.call.get(name) is not None and getattr(call, name) != parsed.call[name]:
                if update:
                    setattr(call, name, parsed.call[name])
                else:
                    parsed.problems.append(
                        ImportProblem(
                            "",
                            f"call.{name}",
                            _(
                                "Differs from the registered call (%(v)s); use --update to change it."
                            )
                            % {"v": getattr(call, name)},
                        )
                    )
        if update:
            call.save()
    _check_against_call(parsed, call, update)
    if parsed.problems:
        transaction.set_rollback(True)
        return call, parsed.problems, 0
    numbers = [a.number for a in parsed.applications]
    if update:
        Application.objects.filter(call=call, number__in=numbers).delete()
    applications = Application.objects.bulk_create(
        Application(
            call=call, number=a.number, sequence=sequence_of(a.number), created_by=actor, **a.fields
        )
        for a in parsed.applications
    )
    now = clock.now()
    members = HouseholdMember.objects.bulk_create(
        HouseholdMember(application=application, **member)
        for application, parsed_app in zip(applications, parsed.applications, strict=True)
        for member in parsed_app.members
    )
    personal = [
        (member, docs)
        for member, docs in zip(
            members,
            [docs for parsed_app in parsed.applications for docs in parsed_app.member_documents],
            strict=True,
        )
    ]
    # FORMATS.md: the documents listed are present and verified.
    ApplicationDocument.objects.bulk_create(
        [
            ApplicationDocument(
                application=application,
                doc_type=doc,
                verified_at=now,
                verified_by=actor,
                note=_("imported"),
            )
            for application, parsed_app in zip(applications, parsed.applications, strict=True)
            for doc in parsed_app.documents
        ]
        + [
            ApplicationDocument(
                application_id=member.application_id,
                member=member,
                doc_type=doc,
                verified_at=now,
                verified_by=actor,
                note=_("imported"),
            )
            for member, docs in personal
            for doc in docs
        ]
    )
    recompute(call)
    return call, [], len(applications)


# --- the ranking out ---------------------------------------------------------------------------------


def ranking_payload(call: Call, outcomes: list[domain.Outcome]) -> dict:
    return {
        "call": call.code,
        "places": call.places,
        "applications": [
            {
                "number": o.number,
                "status": o.status,
                "rank": o.rank,
                "points": o.points,
                "breakdown": breakdown_json(o),
                "reasons": list(o.reasons),
                "warnings": list(o.warnings),
                "tie": o.tie,
            }
            for o in outcomes
        ],
    }


CSV_COLUMNS = ("number", "status", "rank", "points", "tie", "reasons", "warnings", "breakdown")


def _rows(payload):
    for a in payload["applications"]:
        yield (
            a["number"],
            a["status"],
            a["rank"] if a["rank"] is not None else "",
            a["points"],
            "true" if a["tie"] else "false",
            ";".join(a["reasons"]),
            ";".join(a["warnings"]),
            ";".join(f"{b['criterion']}:{b['pesel'] or ''}:{b['points']}" for b in a["breakdown"]),
        )


def ranking_json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def ranking_csv(payload) -> str:
    return csv_text(CSV_COLUMNS, _rows(payload))


def ranking_xlsx(payload) -> bytes:
    return workbook_bytes([(f"Ranking {payload['call']}", CSV_COLUMNS, _rows(payload))])


def load_json(raw: bytes | str) -> dict:
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("The file is not valid JSON: %(error)s") % {"error": error}
        ) from None
