from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse

from . import navigation, roles


def _accessibility_url(request) -> str:
    """For the <meta name="deklaracja-dostępności"> the minister's guidance asks for."""
    try:
        return request.build_absolute_uri(reverse("accessibility_statement"))
    except DisallowedHost:
        return ""


def site(request):
    user = getattr(request, "user", None)
    accessibility_url = _accessibility_url(request)
    # The demo day (settings.DEMO_TODAY, lebork_einclusion.clock): every page names it.
    demo_today = getattr(settings, "DEMO_TODAY", None)
    if user is None or not user.is_authenticated:
        return {
            "demo_banner": settings.DEMO_BANNER,
            "demo_today": demo_today,
            "menus": {},
            "accessibility_url": accessibility_url,
        }
    user_roles = roles.user_roles(user)
    return {
        "demo_banner": settings.DEMO_BANNER,
        "demo_today": demo_today,
        "accessibility_url": accessibility_url,
        "menus": navigation.menu_for(user, request),
        "user_role_labels": [roles.ROLE_LABELS[r] for r in roles.ROLES if r in user_roles],
    }
