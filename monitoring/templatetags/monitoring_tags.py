import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(value) -> str:
    """12 -> "12", 12.5 -> "12,5", a timedelta -> its hours; "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds() / 3600
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    if value == value.to_integral():
        return number_format(int(value), force_grouping=True)
    return number_format(value.normalize(), force_grouping=True)


@register.filter
def figure(value) -> str:
    """An indicator's value or target: whole numbers without decimals; "—" when not measured."""
    if value is None:
        return "—"
    return hours(value)
