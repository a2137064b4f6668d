"""The data-subject export: everything held about one person, found by PESEL (Art. 15, 20)."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .registry import INCOME, PersonalDataSource, sources
from .retention import retention_text

logger = logging.getLogger("einclusion.security")


@dataclass
class SubjectSection:
    source: PersonalDataSource
    records: list[dict] = field(default_factory=list)


def find_subject(pesel: str) -> list[tuple[SubjectSection, list[models.Model]]]:
    found = []
    for source in sources():
        objs = source.find_records(pesel)
        if objs:
            section = SubjectSection(source, [source.export_record(obj) for obj in objs])
            found.append((section, objs))
    return found


def do_subject_export(request, pesel: str) -> dict:
    """Everything held about one person, for a data-subject request (Art. 15 GDPR).

    Each record shown is written to the personal-data access log (who, when, which record;
    never the PESEL); a search that finds nothing is logged too and raises ValidationError.
    """
    from ..access import record_personal_data_access

    found = find_subject(pesel)
    if not found:
        record_personal_data_access(
            request, object_type="gdpr.subject_export", object_id="", kinds=("pesel",)
        )
        logger.info("subject export: user=%s found=0", request.user.pk)
        raise ValidationError(
            _("No record in the system holds this PESEL number. Nothing was exported.")
        )
    for section, objs in found:
        kinds = {"pesel"} | ({"disability"} if section.source.special else set())
        if INCOME in section.source.fields.values():
            kinds.add("income")
        for obj in objs:
            record_personal_data_access(request, obj, kinds=tuple(kinds))
    logger.info(
        "subject export: user=%s found=%s",
        request.user.pk,
        sum(len(objs) for _section, objs in found),
    )
    return subject_document([section for section, _objs in found])


def subject_document(sections: list[SubjectSection]) -> dict:
    from ..models import PrivacyNotice

    notice = PrivacyNotice.current()
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "controller": notice.controller,
        "data_protection_officer": notice.dpo_contact,
        "records": [
            {
                "type": section.source.label,
                "name": section.source.name,
                "purpose": str(section.source.purpose),
                "legal_basis": str(section.source.legal_basis),
                "retention": str(section.source.retention) or retention_text(),
                "recipients": str(section.source.recipients),
                "items": section.records,
            }
            for section in sections
        ],
    }
