"""The main navigation: one entry per area, shown to the roles the role table lets in."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import roles

# (label, URL name). Each app adds its entry when its pages exist.
MAIN_MENU = [
    (_("Home"), "monitoring:home"),
    (_("Recruitment"), "recruitment:application_list"),
    (_("Project"), "core:project"),
    (_("Public units"), "core:public_unit_list"),
    (_("Procurement"), "procurement:procedure_list"),
    (_("Audit trail"), "core:audit_log"),
    (_("Data protection"), "core:processing_register"),
    (_("Users"), "core:user_list"),
]


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for label, name in MAIN_MENU:
        if not roles.may_view(user, name):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return items
