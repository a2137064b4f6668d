"""One-time form keys: a create form sent twice creates once.

A create form carries a random key (`{% form_key %}` in its template, next to `{% csrf_token %}`).
Its URL wraps the view with `once()` (every `*_new` URL of every app does, in the apps' urls.py).
The first POST with a key records it, inside the request's transaction, before the view runs;
when the view answers with a redirect (it created something) the key keeps that address. A
second POST with the same key - a double click, the back button, a resent request, or the same
form sent twice in parallel - never reaches the view: it waits for the first (the key's unique
index holds it until the first transaction ends) and is sent where the first one went.

A POST whose view answers with the form again (invalid input) releases its key, so the corrected
form, which carries a new key, goes through. A POST without a key (a script, a test client) is
handled as before. Keys are forgotten after KEEP_FOR.
"""

import functools
import logging
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormKey

logger = logging.getLogger("einclusion.security")

FIELD = "form_key"
KEEP_FOR = timedelta(days=2)
JSON_DONE = "json:done"  # redirect_to of a key whose request was answered with JSON


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _valid(key: str) -> bool:
    return 16 <= len(key) <= 64 and all(c.isalnum() or c in "-_" for c in key)


def once(view):
    """Wrap a create view: a POST whose form key was already used does not run it again."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not key:
            return view(request, *args, **kwargs)
        if not _valid(key):
            return HttpResponseBadRequest()
        user = request.user if request.user.is_authenticated else None
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = FormKey.objects.create(key=key, user=user, path=request.path)
            except IntegrityError:
                # Sent before: the unique index made us wait until the first POST ended.
                return _already_sent(request, key, user)
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseRedirect) and response.status_code == 302:
                FormKey.objects.filter(pk=record.pk).update(redirect_to=response["Location"])
            elif isinstance(response, JsonResponse) and response.status_code == 200:
                # A script's request that was done (a tap queued on a phone): sent again, it
                # is answered "done" without running the view.
                FormKey.objects.filter(pk=record.pk).update(redirect_to=JSON_DONE)
            else:
                record.delete()  # the form came back (invalid input): nothing was made
            FormKey.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        return response

    wrapper.form_key_once = True
    return wrapper


def _already_sent(request, key, user):
    record = FormKey.objects.filter(key=key).first()
    if record is None or record.user_id != getattr(user, "pk", None) or not record.redirect_to:
        return HttpResponseBadRequest()
    logger.info("form sent again: %s, user=%s", record.path, getattr(user, "pk", None))
    if record.redirect_to == JSON_DONE:
        return JsonResponse({"ok": True, "again": True})
    messages.info(
        request, _("This form had already been sent: it was saved once, nothing was added again.")
    )
    return HttpResponseRedirect(record.redirect_to)
