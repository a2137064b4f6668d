"""Enforces the role table (roles.ACCESS) on every request, and logs personal-data access.

The URL table is the access rule: a view fetches its object with get_object_or_404 (a missing
object answers 404, never 403); there is no per-object helper that would pretend to check more.
"""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import roles

logger = logging.getLogger("einclusion.access")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AccessMiddleware:
    """Anonymous -> login page; a role the table does not name -> 403; an unknown URL name -> 403.

    Runs in process_view, after URL resolution, so it checks the URL *name*: a new URL with
    no entry in roles.ACCESS is refused until someone decides who may use it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.namespaces and match.namespaces[0] in roles.UNCHECKED_NAMESPACES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        entry = roles.ACCESS.get(match.view_name)
        if entry is None:
            logger.error("URL name %s has no entry in the role table", match.view_name)
            raise PermissionDenied
        if entry.public:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        allowed = entry.view if request.method in SAFE_METHODS else entry.change
        if not (roles.user_roles(user) & allowed):
            raise PermissionDenied  # logged by security.permission_denied (handler403)
        return None


def record_personal_data_access(
    request, obj=None, *, kinds=("pesel",), object_type="", object_id=""
):
    """Log that this request shows PESEL, income or disability data of `obj` (SECURITY.md).

    Records who, when, which page and which record; never the data itself.
    """
    from .models import PersonalDataAccess

    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    match = getattr(request, "resolver_match", None)
    PersonalDataAccess.objects.create(
        user=request.user if request.user.is_authenticated else None,
        view_name=match.view_name if match else request.path[:120],
        object_type=object_type,
        object_id=object_id,
        kinds=",".join(sorted(set(kinds))),
    )
