"""Monitoring on a 390×844 phone: every monitoring page of the demo the officer may open fits the
screen width (no sideways scroll); tables become stacked rows on narrow screens."""

import pytest

from lebork_einclusion import roles
from tests.crawl import urls_for

from .conftest import log_in

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
# The first elements reaching past the screen's right edge, to say what overflows.
CULPRITS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""


def overflowing_pages(page, urls):
    """The URLs (HTML pages only) whose document is wider than the phone's screen."""
    wide = []
    for name, url in urls:
        kind = page.request.get(url).headers.get("content-type", "")
        if not kind.startswith("text/html"):
            continue  # PDFs, photos, exports
        page.goto(url)
        if not page.evaluate(OVERFLOW):
            width = page.evaluate("document.documentElement.scrollWidth")
            wide.append(f"{name} {url} ({width} px): {page.evaluate(CULPRITS)}")
    return wide


def test_every_monitoring_page_fits_a_phone(phone_page):
    log_in(phone_page, "monitoring")
    urls = [(n, u) for n, u in urls_for(roles.MONITORING) if n.startswith("monitoring:")]
    assert len(urls) > 10
    wide = overflowing_pages(phone_page, urls)
    assert not wide, "\n".join(wide)
