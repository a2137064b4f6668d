"""Two-factor login with django-otp: a TOTP app on the phone, one-time recovery codes on paper.

A user enrols from their account page (or is sent there after the password when the
deployment sets EINCLUSION_REQUIRE_2FA). The secret is shown as a QR code (an SVG image in a
data: URL, so no script and no inline style is needed) and as text for manual entry.
"""

import base64
import io
import logging
from functools import wraps
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .security import HAS_DEVICE_SESSION_KEY, end_sessions

logger = logging.getLogger("einclusion.security")

TOTP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"


def second_factor_given(user) -> bool:
    """May this session see or change the user's factors (recovery codes, a new phone, the
    password)? Only once it has given the second factor, or when the user has none to give.

    Checked by the views themselves and not only by the login gate (security.TwoFactorMiddleware):
    the gate trusts what the session learnt at login, and a password alone must never reveal or
    replace a factor, whatever the session says.
    """
    if not user.is_authenticated:
        return True  # the login gate and the role table answer for anonymous users
    return user.is_verified() or not user_has_device(user)


def second_factor_first(view):
    """Decorator for every view that reveals or changes a factor: a session that has given only
    the password is sent to the second step (and back afterwards), and nothing else happens."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not second_factor_given(request.user):
            logger.warning(
                "factor page before the second factor: user=%s path=%s",
                request.user.pk,
                request.path,
            )
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.path})}")
        return view(request, *args, **kwargs)

    return wrapped


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (the same secret on every reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, as authenticator apps accept it typed in."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(token: str) -> str:
    return "".join(str(token or "").split()).lower().replace("-", "")


def do_confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the new device with a code from the app; it replaces any earlier app, the
    session counts as verified, and fresh recovery codes are returned (shown once)."""
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("This enrolment is no longer valid. Start again."))
    # A wrong code is counted (throttling) and that count must be kept: no rollback around it.
    if not device.verify_token(_clean(token)):
        raise ValidationError(
            _("The code is not valid. Check the time on your phone and type the current code.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        # A browser that logged in with the password before there was a phone to ask for
        # would keep every page open: the user's other sessions end and log in again.
        end_sessions(user, keep=request.session.session_key)
    otp_login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    logger.info("two-factor enrolled: user=%s", user.pk)
    return codes


def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.EINCLUSION_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def do_new_recovery_codes(user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
    logger.info("recovery codes replaced: user=%s", user.pk)
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def do_verify(request, token: str) -> None:
    """The second step of login: a code from the app, or one recovery code (used up).

    Raises ValidationError with a message the page shows; failures are throttled by
    django-otp (1, 2, 4, 8 ... seconds between attempts) and logged.
    """
    user = request.user
    token = _clean(token)
    if not token:
        raise ValidationError(_("Type the code."))
    # Six digits: the app; anything else: a recovery code.
    wanted = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    verified, throttled = None, False
    # Rows locked while checking (a code is accepted once); a failure's count is committed.
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, wanted):
                continue
            if not device.verify_is_allowed()[0]:
                throttled = True
            elif device.verify_token(token):
                verified = device
            break
    if throttled:
        logger.warning("second factor throttled: user=%s", user.pk)
        raise ValidationError(_("Too many wrong codes. Wait a minute and try again."))
    if verified is None:
        logger.warning("second factor failed: user=%s", user.pk)
        raise ValidationError(_("The code is not valid."))
    otp_login(request, verified)
    logger.info(
        "second factor ok: user=%s method=%s",
        user.pk,
        "recovery" if wanted is StaticDevice else "totp",
    )


def do_reset_two_factor(user, actor) -> None:
    """The coordinator removes a user's devices (a lost phone without recovery codes).
    Where two-factor login is required, the user enrols again at their next login."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        end_sessions(user)
    logger.warning("two-factor reset: user=%s by=%s", user.pk, actor.pk if actor else "-")
