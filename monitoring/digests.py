"""The daily digest: the same to-dos as the home page (monitoring/todo.py), by e-mail, to the
users who asked for it. Counts and links only: no names, no personal data."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import todo


def digest_message(user, day: datetime.date) -> tuple[str, str] | None:
    """The subject and text of the user's digest for the day, or None when nothing waits."""
    blocks = [block for block in todo.blocks_for(user, day) if block.total]
    if not blocks:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        context = {"blocks": blocks, "day": day, "site": settings.EINCLUSION_SITE_URL}
        subject = render_to_string("monitoring/email/digest_subject.txt", context).strip()
        body = render_to_string("monitoring/email/digest.txt", context)
    return subject, body
