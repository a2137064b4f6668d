"""Login protection, sessions, refused requests and the security log (SECURITY.md, "Access").

Everything here writes to the logger `einclusion.security`: logins, failed logins, lockouts,
second-factor results, refused requests (403) and account deactivations. Log lines name users
by their database id and login name, never by PESEL: a login name that looks like a PESEL
(someone typed their number into the wrong field) is masked before it is logged.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .logfilters import PESEL_RE

logger = logging.getLogger("einclusion.security")


def masked(text) -> str:
    """A value fit for a log line: any PESEL-shaped run of digits replaced."""
    return PESEL_RE.sub("[REDACTED]", str(text or ""))[:150]


def client_ip(request) -> str | None:
    """The client's address: X-Real-IP from our own nginx in production, else REMOTE_ADDR.

    Used by django-axes: throttling is keyed on username + this address.
    """
    if settings.EINCLUSION_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


# --- the security log --------------------------------------------------------------------------


# Set at login: does this user have a second factor to give? Kept in the session so that the
# two-factor gate costs no query on every request.
HAS_DEVICE_SESSION_KEY = "einclusion_has_otp_device"


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    from django_otp import user_has_device

    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = user_has_device(user)
    logger.info(
        "login ok: user=%s username=%s ip=%s",
        user.pk,
        masked(user.get_username()),
        client_ip(request) if request else "-",
    )


@receiver(user_login_failed)
def _log_login_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failed: username=%s ip=%s",
        masked(credentials.get("username")),
        client_ip(request) if request else "-",
    )


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        logger.info("logout: user=%s", user.pk)


def _connect_axes_signals():
    from axes.signals import user_locked_out

    @receiver(user_locked_out, weak=False)
    def _log_lockout(sender, request, username, ip_address, **kwargs):
        logger.warning("login locked out: username=%s ip=%s", masked(username), ip_address)


_connect_axes_signals()


def lockout_response(request, original_response=None, credentials=None):
    """The page after too many wrong passwords (AXES_LOCKOUT_CALLABLE): 429 and plain words."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


def log_refused(request, reason: str):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    logger.warning(
        "request refused (403): user=%s view=%s method=%s reason=%s",
        user.pk if user is not None and user.is_authenticated else "-",
        match.view_name if match else masked(request.path),
        request.method,
        reason,
    )


def permission_denied(request, exception=None):
    """handler403: a Polish page, and a line in the security log."""
    log_refused(request, "forbidden")
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    """handler400: a Polish page for a request the server cannot take, a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE or with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields included
    (Django's own answer is a bare English line). Never fails itself: where the page cannot be
    drawn (a request refused for its Host header), a short Polish text instead."""
    logger.warning(
        "bad request: %s path=%s ip=%s",
        type(exception).__name__ if exception else "-",
        masked(request.path),
        client_ip(request),
    )
    try:
        return render(request, "400.html", status=400)
    except Exception:
        return HttpResponseBadRequest(
            _("The request could not be processed."), content_type="text/plain; charset=utf-8"
        )


def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token: usually an old tab or a session
    that has expired. Says so in plain words (Django's page is in English, for developers)."""
    log_refused(request, "csrf")
    return render(request, "403_csrf.html", status=403)


# --- sessions ------------------------------------------------------------------------------------


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user: pages with PESEL,
    incomes or disability data must not stay in a shared computer's browser cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, no_store=True)
        return response


def user_session_keys(user) -> list[str]:
    """Keys of the user's live sessions on the server (database sessions)."""
    user_id = str(user.pk)
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            keys.append(session.session_key)
    return keys


def end_sessions(user, keep: str | None = None) -> int:
    """Delete every live session of the user (but `keep`, the session key of the request making
    the change): their open browsers are logged out at once."""
    keys = [key for key in user_session_keys(user) if key != keep]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def do_deactivate_user(user, actor) -> int:
    """Same-day removal of a leaver's access (KRI): the account cannot log in any more and
    every session it has open ends now. Returns the number of sessions ended."""
    if actor is not None and user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        ended = end_sessions(user)
    logger.warning(
        "account deactivated: user=%s by=%s sessions_ended=%s",
        user.pk,
        actor.pk if actor is not None else "-",
        ended,
    )
    return ended


# --- two-factor gate -------------------------------------------------------------------------------

# URL names a user who still owes the second factor may open.
TWO_FACTOR_OPEN = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "javascript-catalog",
        "two_factor_verify",
        # Enrolment where the deployment requires a device; the view itself refuses a user who
        # already has one (twofactor.second_factor_first).
        "two_factor_setup",
        "privacy_notice",
        "accessibility_statement",
    }
)


def needs_second_factor(request) -> bool:
    """A logged-in user who has a confirmed device, or must have one, and has not used it in
    this session."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return settings.EINCLUSION_REQUIRE_2FA or request.session.get(HAS_DEVICE_SESSION_KEY, False)


class TwoFactorMiddleware:
    """After the password, nothing but the second-factor pages until it is given (or, where
    the deployment requires it, until a device is enrolled)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in TWO_FACTOR_OPEN:
            return None
        if not needs_second_factor(request):
            return None
        from django_otp import user_has_device

        target = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
