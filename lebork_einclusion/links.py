"""Links to the rows of a list: one reverse() per URL name and URL configuration, not one per
row. A list page of 50 rows with three links each spent a good part of its rendering in
`{% url %}`, which resolves the name again for every row although the links differ by the id
only."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# A number no row has, replaced by each row's id.
_ID = 987654321


@functools.lru_cache(maxsize=256)
def _around_id(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    head, tail = reverse(name, urlconf=urlconf, args=[_ID]).split(str(_ID))
    return head, tail


def id_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is a row's id."""
    head, tail = _around_id(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{head}{int(pk)}{tail}"
