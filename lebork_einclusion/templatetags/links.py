from django import template

from lebork_einclusion.links import id_url

register = template.Library()


@register.filter
def row_url(pk, name: str) -> str:
    """{{ row.pk|row_url:"app:detail" }}: the row's link, the name resolved once per page
    (lebork_einclusion.links.id_url), as {% url "app:detail" row.pk %} gives it."""
    return id_url(name, pk)
