"""What the lending services share: the date check and the asset history entry."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion import clock

from ..models import AssetEvent


def not_in_future(field: str, value: datetime.date, label: str):
    if value > clock.today():
        raise ValidationError({field: _("%(label)s cannot be in the future.") % {"label": label}})


def asset_event(asset, kind, date, actor, *, participant=None, unit=None, note=""):
    return AssetEvent(
        asset=asset,
        kind=kind,
        date=date,
        participant=participant,
        public_unit=unit,
        note=note[:500],
        actor=actor if getattr(actor, "pk", None) else None,
    )
