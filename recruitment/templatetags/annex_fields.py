"""Fields of the printed annexes: a value the office has, or dots to fill in by hand."""

from django import template

register = template.Library()

DOTS = "…"


@register.filter
def or_dots(value, width=30):
    """{{ applicant_name|or_dots:40 }}: the value, or `width` dots when there is none."""
    if value is None or value == "":
        return DOTS * int(width)
    return value


@register.filter
def box(checked) -> str:
    """A tick box: crossed when the application claims it, empty otherwise (and on a blank)."""
    return "☒" if checked else "☐"


@register.filter
def box_no(answer) -> str:
    """The "no" box of a yes/no question: crossed only when the answer is recorded as no."""
    return "☒" if answer is False else "☐"
