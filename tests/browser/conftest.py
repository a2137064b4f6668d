"""Browser tests: Playwright drives Debian's chromium (installed by scripts/dev.sh, never by
`playwright install`) against a live server on the test database with the demo loaded."""

import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from lebork_einclusion.demo import DEMO_PASSWORD

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, (
        "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_server(live_server, transactional_db):
    """The live server with the demo data: every transactional test starts from a fresh copy of
    the demo database (tests/conftest.py, tests/demo_db.py)."""
    return live_server


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server.url,
        locale="pl-PL",
        accept_downloads=True,
        # No colour transitions: axe measures the contrast of the settled page, never a button
        # caught half-way (a flake seen under a loaded machine, training attendance).
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server.url,
        locale="pl-PL",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
        reduced_motion="reduce",  # as in `page`
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, username: str, password: str = DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_load_state()


def assert_accessible(page):
    """axe-core: no serious or critical violation on the current page."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
    assert not bad, f"accessibility violations on {page.url}:\n{report}"
