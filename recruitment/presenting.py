"""Codes of the rules (reasons, warnings, breakdown) as sentences for screens and papers."""

from functools import lru_cache

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from lebork_einclusion.grammar import for_sex, sex_from_pesel
from lebork_einclusion.links import id_url

from . import domain
from .models import ENTRY_STATUSES

REASONS = {
    domain.LATE: lambda: _("submitted after the deadline (§5.4)"),
    domain.NO_CRITERION: lambda: _("no criterion of §4.1 proven (§4.2.1)"),
    domain.OUTSIDE_TOWN: lambda: _("the household does not live in Lębork (§4.2.2)"),
    domain.HAS_COMPUTER: lambda: _("the household has a computer (§4.2.3)"),
    domain.HAS_INTERNET: lambda: _("the household has Internet access (§4.2.3)"),
    domain.INCOME_ABOVE_CEILING: lambda: _(
        "income per person above the ceiling for disability (§4.2.5)"
    ),
    domain.DUPLICATE_HOUSEHOLD: lambda: _(
        "the household already applied in an earlier application (§4.2.6)"
    ),
}


def describe_reason(code: str) -> str:
    kind, _sep, detail = code.partition(":")
    if kind == domain.MISSING_DOCUMENT:
        label = domain.DOCUMENT_TYPES.get(detail, detail)
        return _("missing document: %(document)s (§5.5)") % {"document": label}
    return REASONS[kind]() if kind in REASONS else code


SAME_ADDRESS = gettext_noop("same address as application %(number)s")
SAME_ADDRESS_MANY = gettext_noop("same address as applications %(numbers)s")


@lru_cache(maxsize=8)
def _translated(msgid: str, language: str | None) -> str:
    """A sentence looked up once per language, not once per row of a long list."""
    return _(msgid)


@lru_cache(maxsize=32)
def _not_credited(criterion: str, language: str | None) -> str:
    """The sentence of a criterion claimed without its document, made once per criterion and
    language (a list shows it on most rows)."""
    return _(
        "criterion %(code)s (%(name)s) claimed without its verified document: not credited"
    ) % {
        "code": criterion,
        "name": domain.CRITERIA.get(criterion, ""),
    }


def describe_warning(code: str) -> str:
    kind, _sep, detail = code.partition(":")
    if kind == domain.CRITERION_NOT_CREDITED:
        return _not_credited(detail, get_language())
    if kind == domain.SAME_ADDRESS_AS:
        return _translated(SAME_ADDRESS, get_language()) % {"number": detail}
    return code


def describe_warnings(codes) -> list[str]:
    """The warnings of a list row: the applications at the same address in one sentence."""
    prefix = f"{domain.SAME_ADDRESS_AS}:"
    neighbours, sentences = [], []
    for code in codes:
        if code.startswith(prefix):
            neighbours.append(code[len(prefix) :])
        else:
            sentences.append(describe_warning(code))
    if len(neighbours) > 1:
        numbers = ", ".join(neighbours)
        sentences.append(_translated(SAME_ADDRESS_MANY, get_language()) % {"numbers": numbers})
    elif neighbours:
        sentences.append(_translated(SAME_ADDRESS, get_language()) % {"number": neighbours[0]})
    return sentences


def missing_documents(members, documents) -> list[str]:
    """What was not handed in: the household's documents by type, a person's own (criteria 3-5)
    for each person who claims its criterion without it."""
    handed_in = {d.doc_type for d in documents if not d.member_id}
    own = {(d.member_id, d.doc_type) for d in documents if d.member_id}
    missing = [
        str(label)
        for doc, label in domain.DOCUMENT_TYPES.items()
        if doc not in domain.PERSONAL_DOCUMENTS and doc not in handed_in
    ]
    for member in members:
        needed = []
        if member.disability != domain.NO_DISABILITY:
            needed.append(domain.DISABILITY_CERTIFICATE)
        if member.school_scholarship:
            needed.append(domain.SCHOLARSHIP_CONFIRMATION)
        missing.extend(
            f"{domain.DOCUMENT_TYPES[doc]}: {member.first_name} {member.last_name}"
            for doc in needed
            if (member.pk, doc) not in own
        )
    return missing


def breakdown_rows(breakdown: list[dict], members) -> list[dict]:
    """Each credited criterion with the person it comes from (by name, not PESEL)."""
    names = {m.pesel: f"{m.first_name} {m.last_name}" for m in members}
    return [
        {
            "criterion": item["criterion"],
            "criterion_name": domain.CRITERIA.get(item["criterion"], ""),
            "person": names.get(item["pesel"], "") if item["pesel"] else _("the whole household"),
            "points": item["points"],
        }
        for item in breakdown
    ]


def standings(version) -> dict[int, str]:
    """Each household's standing now on the latest approved version of the lists: its place,
    or that it left the project or was promoted (the version's note says why)."""
    if version is None:
        return {}
    labels = dict(ENTRY_STATUSES)
    result = {}
    for application_id, status, rank, note in version.entries.values_list(
        "application_id", "status", "rank", "note"
    ):
        text = _("%(list)s on version %(number)d") % {
            "list": labels.get(status, status),
            "number": version.number,
        }
        if rank:
            text += f", {_('no.')} {rank}"
        if note:
            text += f": {note}"
        result[application_id] = text
    return result


def list_rows(evaluations, standing: dict[int, str] | None = None) -> list[dict]:
    """Rows of a list of evaluations annotated by filters.evaluations_for_list() (or read by
    queries.list_heads()), each with the link to its application's page."""
    standing = standing or {}
    rows = []
    for evaluation in evaluations:
        application = evaluation.application
        if hasattr(evaluation, "pending_documents"):
            application.pending_documents = evaluation.pending_documents
        text = standing.get(application.pk, "")
        rows.append(
            {
                "application": application,
                "url": id_url("recruitment:application_detail", application.pk),
                "applicant": f"{evaluation.applicant_first_name or ''} {evaluation.applicant_last_name or ''}".strip(),
                "evaluation": evaluation,
                "status_label": domain.STATUSES.get(evaluation.status, ""),
                "reasons": [describe_reason(r) for r in evaluation.reasons],
                "warnings": describe_warnings(evaluation.warnings) if evaluation.warnings else [],
                # "zakończył(a) udział" agrees with the applicant's sex (the PESEL's).
                "standing": for_sex(
                    text, sex_from_pesel(getattr(evaluation, "applicant_pesel", ""))
                )
                if text
                else "",
            }
        )
    return rows
