"""The recruitment's personal data in the registry (lebork_einclusion.gdpr): applications,
household members, documents, the committee's notes and the notifications.

Retention keeps what statistics need: the registration number, dates, points and criteria of
each application, each member's role, disability degree, sex and age group (counted on the
call's reference date), and the document types handed in. Names, PESEL numbers, addresses,
phones, incomes, scans and free-text notes go.

A member's PESEL is also in the breakdown of points: in the live evaluation and in every
approved version of the lists (RankingEntry, frozen by a database trigger, and its audit
trail). Anonymising the member replaces it there with the same pseudonym (`A` + the member's
id), past the triggers for that one purpose, as the core does for audit trails: the points
still add up per person, and nobody can be identified.
"""

import pgtrigger
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import gdpr, pesel
from lebork_einclusion.uploads import delete_on_commit

from .models import (
    Application,
    ApplicationDocument,
    Evaluation,
    HouseholdMember,
    Notification,
    RankingEntry,
    ReviewNote,
)

PURPOSE = _("recruitment of final beneficiaries: eligibility, points and lists (§4-§5)")
BASIS = _(
    "Art. 6(1)(c) and (e) GDPR (a task in the public interest: the project agreement under "
    "POIG 8.3); health data: Art. 9(2)(a) GDPR, the applicant's explicit consent"
)
RECIPIENTS = _(
    "the managing authority of the programme and bodies auditing the project; the "
    "recruitment committee (staff of the town office and of MOPS)"
)
SUBJECTS = _("applicants and members of their households")

AGE_GROUPS = (
    (18, "0-17"),
    (25, "18-24"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
)


def age_group(age: int) -> str:
    for limit, label in AGE_GROUPS:
        if age < limit:
            return label
    return "65+"


def pseudonym(member_id: int) -> str:
    """What replaces a PESEL: unique, 11 characters, never a valid PESEL."""
    return f"A{member_id:010d}"


def household_pesels(application_id: int) -> list[str]:
    return list(
        HouseholdMember.objects.filter(application_id=application_id).values_list(
            "pesel", flat=True
        )
    )


def _by_household(model, prefix: str):
    """find(): the records of every application in which the person is a household member."""

    def find(value):
        return model.objects.filter(**{f"{prefix}members__pesel": value}).distinct()

    return find


# --- applications -----------------------------------------------------------------------------------


def export_application(application: Application) -> dict:
    return {
        "id": application.pk,
        str(_("registration number")): application.number,
        str(_("call")): application.call.code,
        str(_("date received")): application.received_on.isoformat(),
        str(_("address")): application.address,
        str(_("phone")): application.phone,
        str(_("household monthly net income (PLN)")): str(application.monthly_net_income),
        str(_("meets the social-assistance income criterion")): application.social_assistance,
        str(_("meets the family-benefits income criterion")): application.family_benefits,
        str(_("meets the alimony-fund income criterion")): application.alimony_fund,
        str(_("foster family")): application.foster_family,
        str(_("family children's home")): application.family_childrens_home,
        str(_("the household has a computer")): application.has_computer,
        str(_("the household has Internet access")): application.has_internet,
    }


def anonymise_application(application: Application, actor) -> None:
    """The address, phone and income go; the criteria the household met stay (statistics)."""
    values = {
        "street": "",
        "building": "",
        "flat": "",
        "postal_code": "",
        "phone": "",
        "monthly_net_income": 0,
        "withdrawal_reason": "",
        "anonymised_at": timezone.now(),
    }
    gdpr.overwrite(application, **values)
    Evaluation.objects.filter(application_id=application.pk).update(address=None)


# --- household members --------------------------------------------------------------------------


def _replace_in_breakdown(breakdown: list, old: str, new: str) -> list:
    return [{**item, "pesel": new} if item.get("pesel") == old else item for item in breakdown]


def _replace_pesel_in_lists(application_id: int, old: str, new: str) -> None:
    """The evaluation and every approved version of the lists name the person in their
    breakdown of points: the pseudonym takes the PESEL's place there too."""
    for evaluation in Evaluation.objects.filter(application_id=application_id):
        evaluation.pesels = sorted(new if p == old else p for p in evaluation.pesels)
        evaluation.breakdown = _replace_in_breakdown(evaluation.breakdown, old, new)
        evaluation.save(update_fields=["pesels", "breakdown"])
    with pgtrigger.ignore("recruitment.RankingEntry:frozen"):
        for entry in RankingEntry.objects.filter(application_id=application_id):
            RankingEntry.objects.filter(pk=entry.pk).update(
                breakdown=_replace_in_breakdown(entry.breakdown, old, new)
            )
    for model in gdpr._event_models(RankingEntry):
        uri = f"{model._meta.app_label}.{model._meta.object_name}:append_only"
        with pgtrigger.ignore(uri):
            for row in model._default_manager.filter(application_id=application_id):
                model._default_manager.filter(pk=row.pk).update(
                    breakdown=_replace_in_breakdown(row.breakdown, old, new)
                )


def anonymise_member(member: HouseholdMember, actor) -> None:
    """The name and PESEL go (a pseudonym stands in for the PESEL wherever points are broken
    down by person); sex and age group at the call stay."""
    old = member.pesel
    try:
        sex = pesel.sex(old)
        group = age_group(pesel.age_on(old, member.application.call.age_date))
    except (ValueError, IndexError):
        sex, group = "", ""
    new = pseudonym(member.pk)
    values = {
        "first_name": "",
        "last_name": "",
        "pesel": new,
        "sex": sex,
        "age_group": group,
        "anonymised_at": timezone.now(),
    }
    gdpr.overwrite(member, **values)
    _replace_pesel_in_lists(member.application_id, old, new)


# --- documents, notes, notifications -----------------------------------------------------------


def export_document(document: ApplicationDocument) -> dict:
    return {
        "id": document.pk,
        str(_("application")): document.application.number,
        str(_("document")): document.get_doc_type_display(),
        str(_("verified")): document.verified_at.isoformat() if document.verified_at else None,
        str(_("scan")): bool(document.scan),
        str(_("note")): document.note,
    }


def anonymise_document(document: ApplicationDocument, actor) -> None:
    """The scan is deleted and the note blanked; the document type and its verification stay."""
    delete_on_commit(document.scan)
    gdpr.overwrite(document, scan="", note="")


def anonymise_note(note: ReviewNote, actor) -> None:
    note.delete()


def anonymise_notification(notification: Notification, actor) -> None:
    gdpr.overwrite(notification, note="")


def _register():
    gdpr.register(
        gdpr.PersonalDataSource(
            model="recruitment.Application",
            subjects=SUBJECTS,
            purpose=PURPOSE,
            legal_basis=BASIS,
            fields={
                "street": gdpr.ADDRESS,
                "building": gdpr.ADDRESS,
                "flat": gdpr.ADDRESS,
                "postal_code": gdpr.ADDRESS,
                "phone": gdpr.CONTACT,
                "monthly_net_income": gdpr.INCOME,
                "social_assistance": gdpr.SOCIAL,
                "family_benefits": gdpr.SOCIAL,
                "alimony_fund": gdpr.SOCIAL,
                "foster_family": gdpr.FAMILY,
                "family_childrens_home": gdpr.FAMILY,
                # Free text: may name the household ("registered twice for ...").
                "withdrawal_reason": gdpr.FAMILY,
            },
            recipients=RECIPIENTS,
            find=_by_household(Application, ""),
            export=export_application,
            pesels=lambda application: household_pesels(application.pk),
            expired=gdpr.after_project_retention(
                lambda: Application.objects.filter(anonymised_at__isnull=True)
            ),
            anonymise=anonymise_application,
        )
    )
    gdpr.register(
        gdpr.PersonalDataSource(
            model="recruitment.HouseholdMember",
            subjects=SUBJECTS,
            purpose=PURPOSE,
            legal_basis=BASIS,
            fields={
                "first_name": gdpr.IDENTITY,
                "last_name": gdpr.IDENTITY,
                "pesel": gdpr.PESEL,
                "role": gdpr.FAMILY,
                "disability": gdpr.HEALTH,
                "school_scholarship": gdpr.SOCIAL,
                "foster_child": gdpr.FAMILY,
                "family_home_child": gdpr.FAMILY,
            },
            recipients=RECIPIENTS,
            expired=gdpr.after_project_retention(
                lambda: HouseholdMember.objects.filter(anonymised_at__isnull=True).select_related(
                    "application__call"
                )
            ),
            anonymise=anonymise_member,
        )
    )
    gdpr.register(
        gdpr.PersonalDataSource(
            model="recruitment.ApplicationDocument",
            subjects=SUBJECTS,
            purpose=PURPOSE,
            legal_basis=BASIS,
            # The type alone can be health data: a disability certificate was handed in.
            fields={"scan": gdpr.DOCUMENTS, "doc_type": gdpr.HEALTH, "note": gdpr.DOCUMENTS},
            recipients=RECIPIENTS,
            find=_by_household(ApplicationDocument, "application__"),
            export=export_document,
            pesels=lambda document: household_pesels(document.application_id),
            expired=gdpr.after_project_retention(
                lambda: ApplicationDocument.objects.filter(~Q(scan="") | ~Q(note=""))
            ),
            anonymise=anonymise_document,
        )
    )
    gdpr.register(
        gdpr.PersonalDataSource(
            model="recruitment.ReviewNote",
            subjects=SUBJECTS,
            purpose=PURPOSE,
            legal_basis=BASIS,
            fields={"text": gdpr.FAMILY},
            recipients=RECIPIENTS,
            find=_by_household(ReviewNote, "application__"),
            pesels=lambda note: household_pesels(note.application_id),
            expired=gdpr.after_project_retention(lambda: ReviewNote.objects.all()),
            anonymise=anonymise_note,
        )
    )
    gdpr.register(
        gdpr.PersonalDataSource(
            model="recruitment.Notification",
            subjects=SUBJECTS,
            purpose=_("telling applicants the outcome of the recruitment (§5.7)"),
            legal_basis=BASIS,
            fields={"note": gdpr.CONTACT},
            find=_by_household(Notification, "application__"),
            pesels=lambda notification: household_pesels(notification.application_id),
            expired=gdpr.after_project_retention(lambda: Notification.objects.exclude(note="")),
            anonymise=anonymise_notification,
        )
    )

    # Not declared above, but personal data the audit trail must not show: the town of the
    # address, the sex and age group read from the PESEL, and the breakdown of
    # points of the lists, which names every member by PESEL.
    gdpr.hide_in_audit_trail("recruitment.Application", "city")
    gdpr.hide_in_audit_trail("recruitment.HouseholdMember", "sex", "age_group")
    gdpr.hide_in_audit_trail("recruitment.RankingEntry", "breakdown")


_register()
