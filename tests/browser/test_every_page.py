"""axe-core and a phone on every page of the demo (SECURITY.md, WCAG 2.1 AA; issue 16): the
coordinator opens every page the role table lets them open, public pages included; axe-core finds
no serious or critical violation on any, and no page is wider than a 390 px phone.

The URL list is the role x URL matrix's (tests/url_samples.py): a new page is checked as soon as
it has a role-table entry and a sample. Responses that are files (PDF, XLSX, JSON, feeds,
downloads), redirects and POST-only URLs are left out by what the server answers, not by name.
One test per area (app), so that the suite's workers share the walk (about a minute in all).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from lebork_einclusion import roles
from tests.crawl import urls_for

from .conftest import log_in

pytestmark = pytest.mark.browser


def _violations(page, axe) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".zip", ".odt", ".docx", ".json", ".svg", ".ics")


def _is_page(page, url: str) -> bool:
    """What the server answers for the URL (with the browser's session): a page to look at, or
    a file, a redirect or a refusal of GET. A URL named as a file (a PDF of 79 letters, a
    spreadsheet) is a file without being made: the walk looks at pages."""
    if url.split("?")[0].endswith(FILE_SUFFIXES):
        return False
    response = page.request.get(url, max_redirects=0)
    content_type = response.headers.get("content-type", "")
    return response.status == 200 and content_type.startswith("text/html")


PHONE = {"width": 390, "height": 844}
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _fits_a_phone(page) -> bool:
    """The same page at 390 px (issue 16: no sideways scroll on a phone); back to desk size."""
    desk = page.viewport_size
    page.set_viewport_size(PHONE)
    fits = page.evaluate(FITS)
    page.set_viewport_size(desk)
    return fits


AREAS = ["core", "recruitment", "procurement", "finance", "lending", "training", "monitoring"]


def _area(name: str) -> str:
    """The app a URL name belongs to; the core's, the accounts' and the public pages: "core"."""
    prefix = name.split(":")[0]
    return prefix if ":" in name and prefix in AREAS else "core"


@pytest.mark.parametrize("area", AREAS)
def test_every_page_of_the_demo_has_no_serious_accessibility_violation(page, area):
    """...and fits a 390 px phone without sideways scroll (checked on the same visit). One test
    per area of the menu, so that the walk is shared between the suite's workers."""
    log_in(page, "koordynator")
    axe = Axe()
    seen, checked, problems, wide = set(), [], {}, []
    for name, url in urls_for(roles.COORDINATOR):
        if _area(name) != area or url in seen or not _is_page(page, url):
            continue
        seen.add(url)
        page.goto(url)
        page.wait_for_load_state()
        checked.append(name)
        found = _violations(page, axe)
        if found:
            problems[f"{name} {url}"] = found
        if not _fits_a_phone(page):
            wide.append(f"{name} {url}")
    # The walk reached the area's pages (and not just a login page).
    assert len(checked) >= 5, checked
    report = "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())
    assert not problems, f"serious or critical violations on {len(problems)} pages:\n{report}"
    assert not wide, "pages wider than a 390 px phone:\n" + "\n".join(wide)
