"""Main flow 1: the committee scores applications in the browser; the coordinator approves the
lists and downloads the protocol."""

from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from recruitment.models import Application, RankingVersion

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_a_committee_member_verifies_documents_and_sees_the_points_change(
    page, browser, demo_server
):
    application = Application.objects.get(number="2012/018")
    application.documents.create(doc_type="mops_social_assistance_certificate")
    people = application.members.count()
    before = application.evaluation.points

    log_in(page, "komisja1")
    page.get_by_role("link", name="Rekrutacja").click()
    page.get_by_role("link", name="Do weryfikacji").click()
    expect(page.locator("#application-list tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name="Oceń 2012/018").click()
    expect(page.locator("#points-total")).to_have_text(str(before))
    assert_accessible(page)

    page.get_by_label("Zaświadczenie MOPS: pomoc społeczna (zał. nr 7)").check()
    page.get_by_label("Uwaga dla komisji").fill(
        "Zaświadczenie MOPS dostarczone 13.09.2012, zgodne."
    )
    page.get_by_role("button", name="Zapisz", exact=True).click()

    after = before + 10 * people
    assert page.get_by_role("status").inner_text() == (
        f"Zapisano ocenę wniosku 2012/018. Punkty: {after} (wcześniej: {before})."
    )
    assert page.locator("#points-total").inner_text() == str(after)
    assert "Zaświadczenie MOPS dostarczone 13.09.2012, zgodne." in page.content()
    assert "zweryfikował(a) Jan Komisyjny" in page.content()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.evaluation.points == after

    # The coordinator approves the lists and downloads the protocol.
    coordinator = browser.new_context(
        base_url=demo_server.url, locale="pl-PL", accept_downloads=True
    ).new_page()
    log_in(coordinator, "koordynator")
    coordinator.goto(f"/recruitment/calls/{application.call_id}/ranking/")
    assert_accessible(coordinator)
    # The demo's lists were approved in 2012 and agreements signed from them: a second approval
    # is refused (issue 15), and the protocol of the approved version is the one downloaded.
    versions = RankingVersion.objects.filter(call=application.call).count()
    coordinator.get_by_label("Potwierdzam: zatwierdzone listy są ostateczne", exact=False).check()
    coordinator.get_by_role("button", name="Zatwierdź i zamroź listy").click()
    assert "Listy tego naboru zatwierdzono 21.09.2012 (wersja 1)" in coordinator.content()
    assert RankingVersion.objects.filter(call=application.call).count() == versions
    number = 1
    coordinator.goto(f"/recruitment/calls/{application.call_id}/lists/{number}/")
    assert_accessible(coordinator)
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Protokół komisji (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).split())
    version = RankingVersion.objects.get(call=application.call, number=number)
    assert "Protokół z prac Komisji Rekrutacyjnej" in text
    for entry in version.entries.filter(status__in=["main", "reserve"]).select_related(
        "application"
    ):
        assert entry.application.number in text
    assert "Lista podstawowa" in text or "lista podstawowa" in text
    coordinator.context.close()


def test_two_members_review_at_once_and_both_verifications_are_kept(page, browser, demo_server):
    """Issue 15: after a refused concurrent review, saving again keeps the other member's
    verification (a three-way merge against what the member started from)."""
    application = Application.objects.get(number="2012/018")
    application.documents.create(doc_type="mops_social_assistance_certificate")
    application.documents.filter(doc_type="recommendation").update(
        verified_at=None, verified_by=None
    )
    url = f"/recruitment/applications/{application.pk}/review/"
    log_in(page, "komisja1")
    page.goto(url)
    second = browser.new_context(base_url=demo_server.url, locale="pl-PL").new_page()
    log_in(second, "komisja2")
    second.goto(url)  # both opened the same review

    page.get_by_label("Zaświadczenie MOPS: pomoc społeczna (zał. nr 7)").check()
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Zapisano ocenę wniosku 2012/018")

    recommendation = second.get_by_label("Rekomendacja do udziału w projekcie (zał. nr 3)")
    recommendation.check()
    second.get_by_role("button", name="Zapisz", exact=True).click()
    summary = second.locator("#form-error-summary").inner_text()
    assert "Ktoś inny zapisał ten wniosek" in summary
    assert "Zapisał(a) Jan Komisyjny" in summary
    # The refused form shows the first member's verification and keeps the second's tick.
    assert second.get_by_label("Zaświadczenie MOPS: pomoc społeczna (zał. nr 7)").is_checked()
    assert recommendation.is_checked()
    assert_accessible(second)
    second.get_by_role("button", name="Zapisz", exact=True).click()
    expect(second.get_by_role("status")).to_contain_text("Zapisano ocenę wniosku 2012/018")

    documents = {d.doc_type: d for d in application.documents.select_related("verified_by")}
    assert documents["mops_social_assistance_certificate"].verified_by.username == "komisja1"
    assert documents["recommendation"].verified_by.username == "komisja2"
    second.context.close()
