"""Annexes 1-8 of the Regulation (§5.3): the papers an applicant hands in, printable blank (a
form with dotted lines to fill in by hand) or pre-filled with what an application records.

One table, ANNEXES: each annex's number, its title for the screens, its print template and the
document type of §5.3 it is (domain.DOCUMENT_TYPES). Every template extends
recruitment/pdf/annexes/base.html and reads one context, `annex_context()`: the office's data
where it has them, None where it has not (the template prints dots for None).

Language: the annex titles on the screens are translated (gettext); the printed forms are the
Regulation's Polish wording, written in the templates and never translated. An English rendering
of an annex would not be the annex the applicant signs, so a form prints in Polish whatever the
screen's language (the print base's header and footer are in the office language as well).

Wording: the source documents (../shared/seeds/) hold the Regulation, not the annexes' own
text. Each annex's number and title follow §5.3 word for word; its body is made of the
Regulation's own wording (§4.1's criteria with their statutes, §4.2, §6, §7); a municipal lawyer
should compare it with the annexes signed in 2012 before it is used for a new call.

Pre-filled papers are drafts: nothing is binding until the applicant (or MOPS, a school, the
recommending institution) signs it, so they are rendered live and never archived. Their findings
(a MOPS certificate's answer, a recommendation's reasons) stay blank: the office has no data.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lebork_einclusion.models import Project
from lebork_einclusion.office_language import in_office_language
from lebork_einclusion.pdf import render_pdf

from . import domain
from .models import Application, Call, RegulationOrder


@dataclass(frozen=True)
class Annex:
    number: int
    title: object  # a lazy translation: the screens' title
    template: str
    document: str  # the §5.3 document type (domain.DOCUMENT_TYPES)


ANNEXES = {
    annex.number: annex
    for annex in (
        Annex(1, _("Participation declaration"), "declaration", domain.PARTICIPATION_DECLARATION),
        Annex(2, _("Application form"), "application_form", domain.APPLICATION_FORM_WITH_ID),
        Annex(3, _("Recommendation to take part in the project"), "recommendation",
              domain.RECOMMENDATION),
        Annex(4, _("Confirmation of a school scholarship"), "scholarship",
              domain.SCHOLARSHIP_CONFIRMATION),
        Annex(5, _("Statement of net income and of the persons in the household"), "income",
              domain.INCOME_STATEMENT),
        Annex(6, _("MOPS certificate: family benefits and the alimony fund"), "mops_family",
              domain.MOPS_FAMILY_BENEFITS_CERTIFICATE),
        Annex(7, _("MOPS certificate: social assistance"), "mops_social",
              domain.MOPS_SOCIAL_ASSISTANCE_CERTIFICATE),
        Annex(8, _("Statement of not using public funds for a computer or the Internet"),
              "public_funds", domain.NO_PUBLIC_FUNDS_STATEMENT),
    )
}  # fmt: skip

GROSZ = Decimal("0.01")

# Rows of a blank form's household table (a household of the demo has at most 7 members).
BLANK_ROWS = 7


def template_of(annex: Annex) -> str:
    return f"recruitment/pdf/annexes/{annex.template}.html"


def school_year(call: Call) -> str:
    """The school year whose scholarship §5.3.5 asks about: the one ending in the call's year
    (2011/2012 for the call of 2012)."""
    year = call.opens_on.year
    return f"{year - 1}/{year}"


def regulation_order() -> RegulationOrder | None:
    """The mayor's order that adopted the Regulation (the annexes are annexes to it)."""
    return RegulationOrder.objects.filter(is_amendment=False).order_by("issued_on", "pk").first()


def _amount(value: Decimal | None) -> str | None:
    """Polish grouping and decimal comma ("1 450,00"), rounded to the grosz half up (Django's
    number_format would cut 333,666… to 333,66)."""
    if value is None:
        return None
    return number_format(value.quantize(GROSZ, ROUND_HALF_UP), 2, force_grouping=True)


def _household(application: Application) -> dict:
    members = list(application.members.order_by("pk"))
    applicant = next((m for m in members if m.role == domain.APPLICANT), None)
    income = application.monthly_net_income
    per_person = income / len(members) if members else None
    return {
        "applicant": applicant,
        "applicant_name": f"{applicant.first_name} {applicant.last_name}" if applicant else None,
        "pesel": applicant.pesel if applicant else None,
        "address": application.address,
        "phone": application.phone or None,
        "members": members,
        "member_count": len(members) or None,
        "blank_rows": range(max(0, BLANK_ROWS - len(members))),
        "income": _amount(income),
        "income_per_person": _amount(per_person),
        # One confirmation per pupil (§5.3.5); one to fill in by hand when none is recorded.
        "pupils": [m for m in members if m.school_scholarship] or [None],
        "has_computer": application.has_computer,
        "has_internet": application.has_internet,
        "criteria": _criteria(application, members),
    }


def _criteria(application: Application, members) -> dict[str, bool]:
    """What the application claims under §4.1 (claims, not the committee's findings)."""
    return {
        "1": application.social_assistance,
        "2": application.family_benefits,
        "2a": application.alimony_fund,
        "3": any(m.school_scholarship for m in members),
        "4": any(m.disability == domain.SEVERE for m in members),
        "5": any(
            m.disability in (domain.MODERATE, domain.LIGHT, domain.CHILD_CERTIFICATE)
            for m in members
        ),
        "6": application.foster_family,
        "7": application.family_childrens_home,
    }


def _blank() -> dict:
    return {
        "applicant": None,
        "applicant_name": None,
        "pesel": None,
        "address": None,
        "phone": None,
        "members": [],
        "member_count": None,
        "blank_rows": range(BLANK_ROWS),
        "income": None,
        "income_per_person": None,
        "pupils": [None],
        "has_computer": None,
        "has_internet": None,
        "criteria": {},
    }


def annex_context(annex: Annex, call: Call, application: Application | None = None) -> dict:
    return {
        "annex": annex,
        "project": Project.current(),
        "call": call,
        "order": regulation_order(),
        "school_year": school_year(call),
        "application": application,
        **(_household(application) if application is not None else _blank()),
    }


@in_office_language
def annex_pdf(annex: Annex, call: Call, application: Application | None = None) -> bytes:
    """The annex blank (no application) or pre-filled from the application: a draft, never
    archived (see the module's doc)."""
    return render_pdf(template_of(annex), annex_context(annex, call, application))


def handed_in(application: Application) -> dict[int, str]:
    """Annex number -> what the application's checklist records of it (one query): handed in
    and verified, handed in and not verified yet, or not handed in."""
    recorded: dict[str, list[bool]] = {}
    for doc_type, verified_at in application.documents.values_list("doc_type", "verified_at"):
        recorded.setdefault(doc_type, []).append(verified_at is not None)
    result = {}
    for annex in ANNEXES.values():
        found = recorded.get(annex.document)
        if not found:
            result[annex.number] = _("not handed in")
        elif all(found):
            result[annex.number] = ngettext(
                "handed in, verified", "%(count)d handed in, verified", len(found)
            ) % {"count": len(found)}
        else:
            result[annex.number] = _("handed in, not verified yet")
    return result


def filename(annex: Annex, application: Application | None = None) -> str:
    if application is None:
        return f"zalacznik-{annex.number}.pdf"
    return f"zalacznik-{annex.number}-{application.number.replace('/', '-')}.pdf"
