"""The committee's review: verified documents change the points; concurrent saves never
overwrite each other silently."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from lebork_einclusion import roles
from recruitment.domain import ALWAYS_REQUIRED
from recruitment.models import Application, ReviewNote


@pytest.fixture
def member(client_as, settings):
    client = client_as(roles.COMMITTEE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def application(db):
    """A demo application whose social-assistance certificate has just been handed in, unverified."""
    application = Application.objects.get(number="2012/018")
    assert application.evaluation.warnings == ["criterion_not_credited:1"]
    application.documents.create(doc_type="mops_social_assistance_certificate")
    return application


def review_data(application, verified, note="", **extra):
    data = {"version": application.version, "note": note, **extra}
    data.update({f"verified_{doc}": "on" for doc in verified})
    return data


def all_types(application):
    return [d.key for d in application.documents.all()]


def test_verifying_a_document_credits_its_criterion(member, application):
    before = application.evaluation.points
    url = reverse("recruitment:application_review", args=[application.pk])
    response = member.post(
        url, review_data(application, all_types(application), note="Zaświadczenie MOPS w porządku.")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    people = application.members.count()
    assert application.evaluation.points == before + 10 * people
    assert application.evaluation.warnings == []
    document = application.documents.get(doc_type="mops_social_assistance_certificate")
    assert document.verified_by == member.user
    assert ReviewNote.objects.get(application=application).text == "Zaświadczenie MOPS w porządku."
    assert application.version == 2
    page = member.get(response["Location"]).content.decode()
    assert f"Points: {before + 10 * people} (before: {before})" in page


def test_un_verifying_the_criterion_documents_takes_the_points_away(member, application):
    url = reverse("recruitment:application_review", args=[application.pk])
    member.post(url, review_data(application, ALWAYS_REQUIRED))
    application.refresh_from_db()
    assert application.evaluation.points == 0
    assert application.evaluation.status == "ineligible"
    assert application.evaluation.reasons == ["no_criterion"]


def test_a_second_member_saving_the_same_application_gets_a_message_and_loses_nothing(
    client_as, member, application, settings
):
    other = client_as(roles.COMMITTEE)
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("recruitment:application_review", args=[application.pk])
    opened_by_both = review_data(application, all_types(application))
    member.post(url, {**opened_by_both, "note": "first"})
    response = other.post(url, {**opened_by_both, "note": "my careful second opinion"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this application" in page
    assert "my careful second opinion" in page  # the text is still in the form
    assert list(
        ReviewNote.objects.filter(application=application).values_list("text", flat=True)
    ) == ["first"]
    application.refresh_from_db()
    assert application.version == 2
    # The refused form carries the new version: saving again now works.
    retry = other.post(
        url,
        {**review_data(application, all_types(application)), "note": "my careful second opinion"},
    )
    assert retry.status_code == 302
    assert ReviewNote.objects.filter(application=application).count() == 2


def test_next_goes_to_the_next_application_not_yet_verified(member, application):
    later = Application.objects.get(number="2012/030")
    later.documents.filter(doc_type="recommendation").update(verified_at=None, verified_by=None)
    url = reverse("recruitment:application_review", args=[application.pk]) + "?pending=1"
    response = member.post(url, review_data(application, all_types(application), then="next"))
    assert (
        response["Location"]
        == reverse("recruitment:application_review", args=[later.pk]) + "?pending=1"
    )


def test_the_auditor_cannot_review(client_as, application):
    auditor = client_as(roles.AUDITOR)
    url = reverse("recruitment:application_review", args=[application.pk])
    assert auditor.post(url, review_data(application, all_types(application))).status_code == 403
    assert not application.documents.get(doc_type="mops_social_assistance_certificate").verified


def posted_form(page: str) -> dict:
    """What the browser posts back from the review form as shown: hidden fields, the ticked
    checkboxes and the note."""
    form = page[page.index('id="review-form"') :]
    form = form[: form.index("</form>")]
    data = dict(re.findall(r'<input type="hidden" name="(version|original)" value="([^"]*)"', form))
    data.update(dict.fromkeys(re.findall(r'name="(verified_[^"]+)"[^>]*checked', form), "on"))
    note = re.search(r'<textarea[^>]*name="note"[^>]*>([^<]*)</textarea>', form)
    data["note"] = html.unescape(note.group(1)) if note else ""
    return data


def test_a_second_save_after_a_conflict_keeps_the_other_members_verification(
    client_as, member, application, settings
):
    """The lost update of issue 15: B opened the review before A verified the MOPS certificate;
    B's save is refused with who saved and what differs, the refused form now shows A's
    verification, and saving it again keeps both A's verification and B's own change."""
    other = client_as(roles.COMMITTEE)
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("recruitment:application_review", args=[application.pk])
    seen_by_a = posted_form(member.get(url).content.decode())
    seen_by_b = posted_form(other.get(url).content.decode())
    assert "verified_mops_social_assistance_certificate" not in seen_by_b
    # A verifies the certificate.
    a_saves = {**seen_by_a, "verified_mops_social_assistance_certificate": "on"}
    assert member.post(url, a_saves).status_code == 302
    # B, on the stale page, takes the recommendation back and writes a note.
    b_saves = {**seen_by_b, "note": "Rekomendacja bez podpisu."}
    b_saves.pop("verified_recommendation")
    refused = other.post(url, b_saves)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved this application" in page
    assert f"Saved by {member.user.get_full_name() or member.user.username}" in page
    assert "Recommendation (annex 3): saved <strong>yes</strong>; yours <strong>no</strong>" in page
    mops = application.documents.get(doc_type="mops_social_assistance_certificate")
    assert mops.verified_by == member.user  # nothing of B's saved yet, A's kept
    assert application.documents.get(doc_type="recommendation").verified
    # The refused form shows A's verification ticked and B's own change kept.
    again = posted_form(page)
    assert again["verified_mops_social_assistance_certificate"] == "on"
    assert "verified_recommendation" not in again
    assert again["note"] == "Rekomendacja bez podpisu."
    assert other.post(url, again).status_code == 302
    mops.refresh_from_db()
    assert mops.verified and mops.verified_by == member.user
    assert not application.documents.get(doc_type="recommendation").verified
    assert ReviewNote.objects.filter(application=application).count() == 1


def test_a_tampered_start_is_ignored_not_trusted(client_as, member, application, settings):
    """The start values are signed: a forged `original` counts as none (every difference from
    the saved values is the user's), never as a way to un-verify silently."""
    url = reverse("recruitment:application_review", args=[application.pk])
    seen = posted_form(member.get(url).content.decode())
    member.post(url, {**seen, "verified_mops_social_assistance_certificate": "on"})
    forged = {**seen, "original": seen["original"][:-4] + "AAAA"}
    response = member.post(url, forged)
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved <strong>yes</strong>; yours <strong>no</strong>" in page
    assert application.documents.get(doc_type="mops_social_assistance_certificate").verified


def test_a_note_of_100_000_characters_is_refused_next_to_the_field(member, application):
    url = reverse("recruitment:application_review", args=[application.pk])
    response = member.post(
        url, review_data(application, all_types(application), note="x" * 100_000)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Ensure this value has at most 2000 characters (it has 100000)."
    ]
    application.refresh_from_db()
    assert application.version == 1
    assert not ReviewNote.objects.filter(application=application).exists()
    assert not application.documents.get(doc_type="mops_social_assistance_certificate").verified


def test_the_history_speaks_polish(client_as, application):
    """Issue 15: the change history names records and fields as the screens do, shows values as
    the screens show them (who verified, not a user id; a local time, not ISO), and who acted."""
    polish = client_as(roles.COMMITTEE)
    review = reverse("recruitment:application_review", args=[application.pk])
    assert polish.post(review, review_data(application, all_types(application))).status_code == 302
    page = polish.get(reverse("recruitment:application_detail", args=[application.pk]))
    history = page.content.decode()
    history = history[history.index('id="history-heading"') :]
    document = application.documents.get(doc_type="mops_social_assistance_certificate")
    name = polish.user.get_full_name() or polish.user.username
    assert f"Dokument #{document.pk}" in history
    assert f"<strong>Zweryfikował(a)</strong>: — → {name}" in history
    with translation.override("pl"):
        local = date_format(timezone.localtime(document.verified_at), "SHORT_DATETIME_FORMAT")
    assert f"<strong>Zweryfikowano</strong>: — → {local}" in history
    assert "zmieniono" in history
    for raw in ("recruitment.ApplicationDocument", "verified_by_id", ">update<", "+00:00"):
        assert raw not in history
