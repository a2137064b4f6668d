from django.conf import settings

from . import navigation, roles


def site(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_banner": settings.DEMO_BANNER, "main_menu": []}
    user_roles = roles.user_roles(user)
    return {
        "demo_banner": settings.DEMO_BANNER,
        "main_menu": navigation.menu_for(user, request.path),
        "user_role_labels": [roles.ROLE_LABELS[r] for r in roles.ROLES if r in user_roles],
    }
