"""The main navigation: one entry per area, shown to the roles the role table lets in.

Areas of the project's work are in the bar; the office's administration (units, audit trail,
data protection, users) is one "Administration" menu, so the bar stays one line on a laptop.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import roles

MAIN, ADMINISTRATION = "main", "administration"

# (label, URL name or names, where). With several names the entry leads to the first page the
# user may open (the finance officer reaches lending's equipment register, not its households).
MAIN_MENU = [
    (_("Home"), "monitoring:home", MAIN),
    (_("Recruitment"), "recruitment:application_list", MAIN),
    (pgettext_lazy("menu", "Procurement"), "procurement:procedure_list", MAIN),
    (_("Finance"), "finance:budget", MAIN),
    (_("Lending"), ("lending:participant_list", "lending:asset_list"), MAIN),
    (_("Training"), "training:module_list", MAIN),
    (_("Monitoring"), ("monitoring:visit_list", "monitoring:indicators"), MAIN),
    (_("Project"), "core:project", MAIN),
    (_("Public units"), "core:public_unit_list", ADMINISTRATION),
    (_("Office holders"), "core:officeholder_list", ADMINISTRATION),
    (_("Audit trail"), "core:audit_log", ADMINISTRATION),
    (_("Data protection"), "core:processing_register", ADMINISTRATION),
    (_("Users"), "core:user_list", ADMINISTRATION),
]


def _area(url_name: str) -> str:
    namespace, _sep, name = url_name.rpartition(":")
    return namespace or name


def menu_for(user, request) -> dict[str, list[dict]]:
    """{"main": [...], "administration": [...]} of {"label", "url", "active"} for this user."""
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    menus: dict[str, list[dict]] = {MAIN: [], ADMINISTRATION: []}
    for label, names, where in MAIN_MENU:
        names = (names,) if isinstance(names, str) else names
        name = next((n for n in names if roles.may_view(user, n)), None)
        if name is None:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        # An app's entry is active on all of its pages; core entries on their own page.
        area = _area(name)
        active = here == name or (area not in ("core", "monitoring") and _area(here) == area)
        menus[where].append({"label": label, "url": url, "active": active})
    return menus
