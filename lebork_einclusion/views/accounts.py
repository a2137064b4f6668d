"""Staff accounts: the user's own two-factor login, and the coordinator's list of accounts
(roles, two-factor status, deactivation of leavers)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from .. import roles, security, twofactor
from ..forms import EnrolmentForm, TokenForm

# --- two-factor login --------------------------------------------------------------------------


def _next_url(request, default="monitoring:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@twofactor.second_factor_first
def two_factor(request):
    """The user's own two-factor page: status, enrolment, recovery codes."""
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "enrolled": twofactor.has_authenticator(user),
            "required": settings.EINCLUSION_REQUIRE_2FA,
            "recovery_left": twofactor.remaining_recovery_codes(user),
        },
    )


def two_factor_verify(request):
    """The second step of login, after the password."""
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.do_verify(request, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            return redirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


# Someone who has a device must prove it before replacing it: otherwise a stolen password
# alone would let a stranger enrol their own phone.
@twofactor.second_factor_first
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code, type the code it shows."""
    user = request.user
    device = twofactor.pending_device(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.do_confirm_enrolment(request, device, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "new_enrolment": True},
            )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_for_manual_entry(device),
            "required": settings.EINCLUSION_REQUIRE_2FA,
            "replacing": twofactor.has_authenticator(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


# Fresh codes open the account like the phone does: never for a password alone.
@twofactor.second_factor_first
def two_factor_recovery_codes(request):
    """New recovery codes (POST), shown once; the old ones stop working."""
    if not twofactor.has_authenticator(request.user):
        return redirect("two_factor_setup")
    if request.method == "POST":
        codes = twofactor.do_new_recovery_codes(request.user)
        return render(
            request,
            "registration/recovery_codes.html",
            {"codes": codes, "next": reverse("two_factor")},
        )
    return redirect("two_factor")


# --- user accounts (the coordinator) ---------------------------------------------------------------


def user_list(request):
    """Staff accounts, their roles and two-factor status; deactivation for leavers."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = get_user_model().objects.prefetch_related("groups").order_by("-is_active", "username")
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [
        {
            "user": user,
            "roles": [
                roles.ROLE_LABELS[g.name] for g in user.groups.all() if g.name in roles.ROLE_LABELS
            ],
            "two_factor": user.pk in enrolled,
        }
        for user in users
    ]
    return render(request, "core/user_list.html", {"rows": rows})


def user_deactivate(request, pk):
    account = get_object_or_404(get_user_model(), pk=pk)
    if request.method == "POST":
        try:
            ended = security.do_deactivate_user(account, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The account %(name)s has been deactivated; %(n)s open sessions were ended.")
                % {"name": account.get_username(), "n": ended},
            )
        return redirect("core:user_list")
    return render(request, "core/user_deactivate.html", {"account": account})


@require_POST
@twofactor.second_factor_first
def user_reset_two_factor(request, pk):
    account = get_object_or_404(get_user_model(), pk=pk)
    twofactor.do_reset_two_factor(account, request.user)
    messages.success(
        request,
        _("Two-factor login of %(name)s has been reset; they enrol again at their next login.")
        % {"name": account.get_username()},
    )
    return redirect("core:user_list")
