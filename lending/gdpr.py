"""Lending's personal data in the registry (lebork_einclusion.gdpr): the participating
households, their loan agreements and promissory notes, the ends of participation, damage
claims, exclusion proposals and the equipment's history at the households.

The people themselves (names, PESEL numbers, addresses) are recruitment's household members
and applications, anonymised there. Here retention blanks the free text written about a
household (reasons, facts, descriptions, the spouse's name) and its phone; it keeps what
statistics and the inventory need: statuses, dates, amounts, serial numbers.
A promissory note under a claim is what a legal hold is for: it then keeps everything.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import gdpr
from recruitment.gdpr import household_pesels

from .models import (
    AssetEvent,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    Participant,
    ParticipationEnd,
    PromissoryNote,
)

SUBJECTS = _("participating households: the borrower and the household's members")
PURPOSE = _(
    "lending computers and Internet access to the households (§6-§7 of the Regulation): "
    "agreements, promissory notes, return of the equipment, claims"
)
BASIS = _(
    "Art. 6(1)(b) GDPR (the loan agreement) and Art. 6(1)(c) and (e) GDPR (the project "
    "agreement under POIG 8.3)"
)
RECIPIENTS = _(
    "the managing authority of the programme and bodies auditing the project; the supplier "
    "servicing the equipment; a court or bailiff when a claim is enforced"
)


def _holding(model, names, only: Q):
    """expired(): the household's records of the model that still hold text in a field."""
    condition = Q()
    for name in names:
        condition |= ~Q(**{name: ""})
    return gdpr.after_project_retention(lambda: model.objects.filter(only).filter(condition))


def _source(model, label, fields, text_fields, find_prefix, export=None, purpose=PURPOSE):
    """A source whose records belong to a household through `find_prefix` (e.g. an agreement's
    "participant__"): found by any household member's PESEL, protected by a hold on any."""

    def find(value):
        return label.objects.filter(
            **{f"{find_prefix}application__members__pesel": value}
        ).distinct()

    def pesels(obj):
        target = obj
        for name in find_prefix.split("__")[:-1]:
            target = getattr(target, name)
            if target is None:  # an asset's event or claim in a public unit: nobody's
                return []
        return household_pesels(target.application_id)

    only = Q(**{f"{find_prefix}application__isnull": False})

    return gdpr.PersonalDataSource(
        model=model,
        subjects=SUBJECTS,
        purpose=purpose,
        legal_basis=BASIS,
        fields=fields,
        recipients=RECIPIENTS,
        find=find,
        export=export,
        pesels=pesels,
        expired=_holding(label, text_fields, only),
        anonymise=gdpr.overwriting(**dict.fromkeys(text_fields, "")),
    )


def export_participant(participant: Participant) -> dict:
    return {
        "id": participant.pk,
        str(_("application")): participant.application.number,
        str(_("signatory")): str(participant.signatory),
        str(_("status")): participant.get_status_display(),
        str(_("taking part since")): participant.joined_on.isoformat(),
        str(_("ended on")): participant.ended_on.isoformat() if participant.ended_on else None,
        str(_("reason for the end")): participant.end_reason,
        str(_("phone")): participant.phone,
    }


def export_agreement(agreement: LoanAgreement) -> dict:
    return {
        "id": agreement.pk,
        str(_("agreement number")): agreement.number,
        str(_("borrower")): str(agreement.signatory),
        str(_("status")): agreement.get_status_display(),
        str(_("signed on")): agreement.signed_on.isoformat() if agreement.signed_on else None,
        str(_("handed over on")): (
            agreement.handed_over_on.isoformat() if agreement.handed_over_on else None
        ),
        str(_("term ends on")): agreement.ends_on.isoformat() if agreement.ends_on else None,
        str(_("assets")): [item.asset.serial_number for item in agreement.items.all()],
        str(_("reason for the end")): agreement.end_reason,
    }


def export_note(note: PromissoryNote) -> dict:
    return {
        "id": note.pk,
        str(_("register number")): note.number,
        str(_("agreement")): note.agreement.number,
        str(_("issuer")): str(note.issuer),
        str(_("issued on")): note.issued_on.isoformat(),
        str(_("maximum amount (PLN)")): str(note.max_amount),
        str(_("issuer's identity document")): note.get_issuer_document_type_display(),
        str(_("number of the issuer's identity document")): note.issuer_document_number,
        str(_("spouse consenting")): note.spouse_name,
        str(_("spouse's PESEL")): note.spouse_pesel,
        str(_("number of the spouse's identity document")): note.spouse_document_number,
        str(_("status")): note.get_status_display(),
        str(_("record of the return or destruction")): note.release_record,
    }


def _register():
    gdpr.register(
        _source(
            "lending.Participant",
            Participant,
            {"phone": gdpr.CONTACT, "end_reason": gdpr.ACTIVITY},
            ("phone", "end_reason"),
            "",
            export=export_participant,
        )
    )
    gdpr.register(
        _source(
            "lending.LoanAgreement",
            LoanAgreement,
            {"signatory": gdpr.IDENTITY, "end_reason": gdpr.ACTIVITY},
            ("end_reason",),
            "participant__",
            export=export_agreement,
        )
    )
    gdpr.register(
        _source(
            "lending.PromissoryNote",
            PromissoryNote,
            {
                "issuer": gdpr.IDENTITY,
                "issuer_document_number": gdpr.DOCUMENTS,
                "spouse_name": gdpr.IDENTITY,
                "spouse_pesel": gdpr.PESEL,
                "spouse_document_number": gdpr.DOCUMENTS,
                "release_record": gdpr.ACTIVITY,
            },
            (
                "issuer_document_number",
                "spouse_name",
                "spouse_pesel",
                "spouse_document_number",
                "release_record",
            ),
            "agreement__participant__",
            export=export_note,
        )
    )
    gdpr.register(
        _source(
            "lending.ParticipationEnd",
            ParticipationEnd,
            {"reason": gdpr.ACTIVITY},
            ("reason",),
            "participant__",
        )
    )
    gdpr.register(
        _source(
            "lending.ExclusionProposal",
            ExclusionProposal,
            {"facts": gdpr.ACTIVITY, "decision_reason": gdpr.ACTIVITY},
            ("facts", "decision_reason"),
            "participant__",
        )
    )
    gdpr.register(
        _source(
            "lending.DamageClaim",
            DamageClaim,
            {"description": gdpr.ACTIVITY, "settlement_note": gdpr.ACTIVITY},
            ("description", "settlement_note"),
            "agreement__participant__",
        )
    )
    gdpr.register(
        _source(
            "lending.AssetEvent",
            AssetEvent,
            {"participant": gdpr.ACTIVITY, "note": gdpr.ACTIVITY},
            ("note",),
            "participant__",
            purpose=_("the history of the lent equipment at the households"),
        )
    )


_register()
