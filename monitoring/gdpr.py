"""Monitoring's personal data in the registry (lebork_einclusion.gdpr): what the monitoring
officer wrote, photographed and had signed at the households' homes, and the follow-up actions.

The people themselves are recruitment's household members (anonymised there). Retention blanks
the free text written about a household, deletes the photos and the drawn signatures, and
keeps what the durability reports count: dates, outcomes, the states of the assets by serial,
the answers on the obligations, statuses. The labs, snapshots and chronicle hold nothing
personal.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import gdpr
from lebork_einclusion.uploads import delete_on_commit
from recruitment.gdpr import household_pesels

from .models import AssetCheck, FollowUp, MonitoringVisit, PlannedVisit, VisitPhoto

SUBJECTS = _("participating households: the beneficiary and the household's members")
PURPOSE = _(
    "monitoring the use of the lent equipment and Internet access at the households' homes "
    "for the project and its 5-year durability period (§6.5 of the Regulation)"
)
BASIS = _(
    "Art. 6(1)(b) GDPR (the loan agreement: inspections, §6.5) and Art. 6(1)(c) and (e) GDPR "
    "(the project agreement under POIG 8.3)"
)
RECIPIENTS = _("the managing authority of the programme and bodies auditing the project")
VISIT_TEXT = ("present", "used_by", "use_note", "compliance_note", "findings", "signed_by")


def _source(model, label, fields, prefix, expired, anonymise):
    def find(pesel):
        return label.objects.filter(**{f"{prefix}application__members__pesel": pesel}).distinct()

    def pesels(obj):
        target = obj
        for name in prefix.split("__")[:-1]:
            target = getattr(target, name)
        return household_pesels(target.application_id)

    return gdpr.PersonalDataSource(
        model=model,
        subjects=SUBJECTS,
        purpose=PURPOSE,
        legal_basis=BASIS,
        fields=fields,
        recipients=RECIPIENTS,
        find=find,
        pesels=pesels,
        expired=gdpr.after_project_retention(expired),
        anonymise=anonymise,
    )


def anonymise_visit(visit: MonitoringVisit, actor) -> None:
    delete_on_commit(visit.signature)
    values = dict.fromkeys(VISIT_TEXT, "")
    MonitoringVisit.objects.filter(pk=visit.pk).update(signature="", **values)
    for name, value in values.items():
        setattr(visit, name, value)
    for photo in visit.photos.all():
        anonymise_photo(photo, actor)


def anonymise_photo(photo: VisitPhoto, actor) -> None:
    delete_on_commit(photo.image, photo.thumbnail)
    photo.delete()


def _visits_holding():
    holding = ~Q(signature="")
    for name in VISIT_TEXT:
        holding |= ~Q(**{name: ""})
    return MonitoringVisit.objects.filter(holding)


gdpr.register(
    _source(
        "monitoring.MonitoringVisit",
        MonitoringVisit,
        {
            "present": gdpr.FAMILY,
            "used_by": gdpr.FAMILY,
            "use_note": gdpr.ACTIVITY,
            "compliance_note": gdpr.ACTIVITY,
            "findings": gdpr.ACTIVITY,
            "signed_by": gdpr.IDENTITY,
            "signature": gdpr.IDENTITY,
        },
        "participant__",
        _visits_holding,
        anonymise_visit,
    )
)
gdpr.register(
    _source(
        "monitoring.VisitPhoto",
        VisitPhoto,
        {"image": gdpr.DOCUMENTS},
        "visit__participant__",
        lambda: VisitPhoto.objects.all(),
        anonymise_photo,
    )
)
gdpr.register(
    _source(
        "monitoring.AssetCheck",
        AssetCheck,
        {"note": gdpr.ACTIVITY},
        "visit__participant__",
        lambda: AssetCheck.objects.exclude(note=""),
        gdpr.overwriting(note=""),
    )
)
gdpr.register(
    _source(
        "monitoring.FollowUp",
        FollowUp,
        {"what": gdpr.ACTIVITY, "outcome": gdpr.ACTIVITY},
        "participant__",
        lambda: FollowUp.objects.exclude(what="—", outcome=""),
        gdpr.overwriting(what="—", outcome=""),
    )
)
gdpr.register(
    _source(
        "monitoring.PlannedVisit",
        PlannedVisit,
        {"note": gdpr.ACTIVITY, "cancel_reason": gdpr.ACTIVITY},
        "participant__",
        lambda: PlannedVisit.objects.exclude(note="", cancel_reason=""),
        gdpr.overwriting(note="", cancel_reason=""),
    )
)
