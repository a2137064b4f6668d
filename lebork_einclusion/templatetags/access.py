from django import template

from lebork_einclusion import roles

register = template.Library()


@register.filter
def may_open(user, url_name: str) -> bool:
    """{% if user|may_open:"core:project_edit" %}: show a link only to roles that may follow it."""
    return roles.may_view(user, url_name)


@register.filter
def may_post(user, url_name: str) -> bool:
    """{% if user|may_post:"recruitment:application_edit" %}: show a form only to roles that may send it."""
    return roles.may_change(user, url_name)
