"""Writes of the core that are more than a form save."""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import clock, gdpr
from .models import LegalHold
from .records import locked, service

logger = logging.getLogger("einclusion.security")


@service
def do_place_legal_hold(object_type: str, object_id: str, reason: str, *, actor) -> LegalHold:
    """Keep a record, and everyone named in it, out of retention until the hold is released."""
    source = gdpr.source_for(object_type)
    if source is None or not source.managed_by_retention:
        raise ValidationError({"object_type": _("Choose a record type from the list.")})
    object_id = str(object_id).strip()
    try:
        exists = source.model_class._default_manager.filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        exists = False
    if not exists:
        raise ValidationError({"object_id": _("There is no such record.")})
    if LegalHold.objects.filter(
        object_type=source.label, object_id=object_id, released_at__isnull=True
    ).exists():
        raise ValidationError({"object_id": _("This record is already under a legal hold.")})
    hold = LegalHold.objects.create(
        object_type=source.label, object_id=object_id, reason=reason, created_by=actor
    )
    logger.info("legal hold placed: hold=%s by=%s", hold.pk, actor.pk if actor else "-")
    return hold


@service
def do_release_legal_hold(hold: LegalHold, *, actor) -> LegalHold:
    # Two coordinators releasing the same hold at once: the row lock lets one of them do it.
    hold = locked(hold)
    if hold.released_at is not None:
        raise ValidationError(_("This legal hold has already been released."))
    hold.released_at = clock.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by"])
    logger.info("legal hold released: hold=%s by=%s", hold.pk, actor.pk if actor else "-")
    return hold
