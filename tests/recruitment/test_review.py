"""The committee's review: verified documents change the points; concurrent saves never
overwrite each other silently."""

import pytest
from django.urls import reverse

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
    return [d.doc_type for d in application.documents.all()]


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
