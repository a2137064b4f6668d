"""Issue 12, item 7: a mistaken application is withdrawn by the coordinator, never deleted.

The withdrawal is recorded with who, when and why; the application stays in the register,
marked, and leaves the live evaluation, the lists approved afterwards and the public results.
Once it is on an approved list it cannot be withdrawn. The same PESEL is not registered twice
in one call (until the mistaken application is withdrawn).
"""

from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pghistory.models import Events

from lebork_einclusion import roles
from recruitment.models import Application, Call, Evaluation
from recruitment.queries import latest_version
from recruitment.services import applications
from tests.recruitment.test_application_entry import ADULT, form_data, new_url

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.fixture
def coordinator(client_as):
    return client_as(roles.COORDINATOR)


def _register(client, call) -> Application:
    response = client.post(new_url(call), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(call=call, members__pesel=ADULT, withdrawn_at__isnull=True)


def test_the_same_household_is_not_registered_twice_in_one_call(coordinator, call):
    _register(coordinator, call)
    response = coordinator.post(new_url(call), form_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Członek tego gospodarstwa jest już ujęty we wniosku 2012/080" in page
    assert Application.objects.filter(call=call, members__pesel=ADULT).count() == 1


def test_the_coordinator_withdraws_a_mistaken_application_with_its_reason(coordinator, call):
    mistaken = _register(coordinator, call)
    url = reverse("recruitment:application_withdraw", args=[mistaken.pk])
    detail = coordinator.get(reverse("recruitment:application_detail", args=[mistaken.pk]))
    assert url in detail.content.decode()  # the button
    page = coordinator.get(url).content.decode()
    assert "Powód wycofania" in page

    data = {"reason": "Wniosek zarejestrowany dwukrotnie", "version": mistaken.version}
    refused = coordinator.post(url, data)  # irreversible: the confirmation is asked for
    assert refused.status_code == 200
    assert "Potwierdź wycofanie: tego nie można cofnąć." in refused.content.decode()
    mistaken.refresh_from_db()
    assert mistaken.withdrawn_at is None

    response = coordinator.post(url, {**data, "confirm": "on"})

    assert response["Location"] == reverse("recruitment:application_detail", args=[mistaken.pk])
    mistaken.refresh_from_db()  # kept, never deleted
    assert mistaken.withdrawn_at is not None
    assert mistaken.withdrawn_by == coordinator.user
    assert mistaken.withdrawal_reason == "Wniosek zarejestrowany dwukrotnie"
    assert not Evaluation.objects.filter(application=mistaken).exists()
    events = [e for e in Events.objects.tracks(mistaken) if "withdrawn_at" in (e.pgh_diff or {})]
    assert len(events) == 1
    assert events[0].pgh_context["user"] == coordinator.user.pk

    # Explained on its page (which also shows the success message), out of the live lists,
    # marked in the register.
    detail = coordinator.get(
        reverse("recruitment:application_detail", args=[mistaken.pk])
    ).content.decode()
    assert "Wniosek wycofany" in detail
    assert "Wniosek zarejestrowany dwukrotnie" in detail

    ranking = coordinator.get(reverse("recruitment:ranking", args=[call.pk])).content.decode()
    assert mistaken.number not in ranking
    register = coordinator.get(
        reverse("recruitment:application_list") + f"?call={call.pk}"
    ).content.decode()
    assert "Wycofane wnioski" in register
    assert mistaken.number in register.split("Wycofane wnioski")[1]
    # The household can be registered again, correctly, under a new number.
    again = _register(coordinator, call)
    assert again.pk != mistaken.pk

    # The approved lists are never approved again (issue 15): the withdrawn application is not
    # on them, and the public results leave it out.
    meeting = call.meetings.order_by("-held_on").first()
    versions = call.versions.count()
    response = coordinator.post(
        reverse("recruitment:ranking", args=[call.pk]),
        {"meeting": meeting.pk, "decided_on": "2013-06-30", "confirm": "on"},
    )
    assert response.status_code == 200
    assert call.versions.count() == versions
    listed = set(latest_version(call).entries.values_list("application_id", flat=True))
    assert mistaken.pk not in listed
    results = coordinator.get(reverse("recruitment:results", args=[call.pk])).content.decode()
    assert mistaken.number not in results


def test_an_application_on_an_approved_list_is_not_withdrawn(coordinator, call):
    approved = Application.objects.get(number="2012/001")
    url = reverse("recruitment:application_withdraw", args=[approved.pk])
    page = coordinator.get(url).content.decode()
    assert "jest na zatwierdzonych listach" in page
    response = coordinator.post(
        url, {"reason": "pomyłka", "version": approved.version, "confirm": "on"}
    )
    assert response.status_code == 200
    assert "nie może zostać wycofany" in response.content.decode()
    approved.refresh_from_db()
    assert approved.withdrawn_at is None
    assert Evaluation.objects.filter(application=approved).exists()


def test_a_withdrawal_needs_a_reason_and_the_coordinator(coordinator, client_as, call):
    mistaken = _register(coordinator, call)
    url = reverse("recruitment:application_withdraw", args=[mistaken.pk])
    response = coordinator.post(url, {"reason": "  ", "version": mistaken.version})
    assert response.status_code == 200
    assistant = client_as(roles.ASSISTANT)
    assert assistant.post(url, {"reason": "pomyłka"}).status_code == 403
    mistaken.refresh_from_db()
    assert mistaken.withdrawn_at is None


def test_a_withdrawn_application_is_not_edited_or_withdrawn_again(coordinator, call):
    mistaken = _register(coordinator, call)
    applications.do_withdraw_application(mistaken, "dwukrotnie", actor=coordinator.user)
    with pytest.raises(ValidationError, match="wycofany"):
        applications.do_withdraw_application(mistaken, "jeszcze raz", actor=coordinator.user)
    mistaken.refresh_from_db()
    assert mistaken.withdrawal_reason == "dwukrotnie"
    response = coordinator.post(
        reverse("recruitment:application_edit", args=[mistaken.pk]),
        form_data(version=mistaken.version, phone="600100200"),
    )
    assert response.status_code == 200
    mistaken.refresh_from_db()
    assert mistaken.phone == ""


def test_the_reason_is_personal_data_anonymised_with_the_application(coordinator, call):
    from lebork_einclusion import gdpr
    from recruitment.gdpr import anonymise_application

    mistaken = _register(coordinator, call)
    applications.do_withdraw_application(mistaken, "Drugi raz dla rodziny Nowakowskich", actor=None)
    assert "withdrawal_reason" in gdpr.hidden_in_audit_trail("recruitment.Application")
    anonymise_application(Application.objects.get(pk=mistaken.pk), None)
    mistaken.refresh_from_db()
    assert mistaken.withdrawal_reason == ""
    assert mistaken.withdrawn_at is not None  # the fact stays, for the register
