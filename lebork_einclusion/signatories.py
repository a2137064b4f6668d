"""Who signs for the town on a given day: the representative (a proxy under a power of
attorney in force that day, else the mayor) and the treasurer who countersigns (art. 46 ust. 3
of the act on municipal self-government: a declaration of will that creates a financial
obligation needs the treasurer's countersignature).

Every paper that names the town's side asks `for_day(its date)`; a day with nobody in office
is refused with a message, never printed with a gap.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from .dates import short_date
from .models import Officeholder

OFFICE = Officeholder.Office


@dataclass(frozen=True)
class Signatories:
    representative: Officeholder
    treasurer: Officeholder

    @property
    def representation(self) -> str:
        """The clause after „reprezentowaną przez:”, in the cases Polish asks for."""
        text = f"{self.representative.title_accusative} — {self.representative.name_accusative}"
        if self.representative.office == OFFICE.PROXY:
            text += f" ({self.representative.authority})"
        return (
            f"{text}, przy kontrasygnacie {self.treasurer.title_genitive} — "
            f"{self.treasurer.name_genitive}"
        )


def in_office(office: str, day: datetime.date):
    return Officeholder.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), office=office, valid_from__lte=day
    ).order_by("-valid_from", "-pk")


def for_day(day: datetime.date) -> Signatories:
    """Who signs for the town on `day`; ValidationError when an office is vacant that day."""
    representative = in_office(OFFICE.PROXY, day).first() or in_office(OFFICE.MAYOR, day).first()
    if representative is None:
        raise ValidationError(
            _(
                "Nobody holds the office of mayor (nor a power of attorney) on %(date)s: record "
                "the office holders first."
            )
            % {"date": short_date(day)},
            code="no_signatory",
        )
    treasurer = in_office(OFFICE.TREASURER, day).first()
    if treasurer is None:
        raise ValidationError(
            _(
                "Nobody holds the office of treasurer on %(date)s, so nobody can countersign: "
                "record the office holders first."
            )
            % {"date": short_date(day)},
            code="no_treasurer",
        )
    return Signatories(representative=representative, treasurer=treasurer)


def for_day_or_none(day: datetime.date) -> Signatories | None:
    """The same, for a draft printed before anyone is recorded: None instead of a refusal."""
    try:
        return for_day(day)
    except ValidationError:
        return None
