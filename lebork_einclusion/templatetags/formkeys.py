from django import template
from django.utils.html import format_html

from lebork_einclusion import formkeys

register = template.Library()


@register.simple_tag
def form_key():
    """{% form_key %}: the one-time key of a create form (lebork_einclusion/formkeys.py)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', formkeys.FIELD, formkeys.new_key()
    )
