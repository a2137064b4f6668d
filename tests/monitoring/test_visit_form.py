"""The visit form: recording a visit from the plan, the phone's JSON answers, a replayed
submission making one visit, every bad input refused with its message and nothing changed, and
the findings that change state in lending through lending's own services."""

import datetime
import io
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lebork_einclusion import roles
from lending import services as lending_services
from lending.models import (
    Asset,
    DamageClaim,
    ExclusionProposal,
    Outage,
    Participant,
    ServiceRecord,
)
from lending.services import active_connection, lent_assets
from monitoring import photos
from monitoring.models import AssetCheck, FollowUp, MonitoringVisit, PlannedVisit
from monitoring.services.visits import CheckInput, do_record_visit
from tests.helpers import messages_of

from .conftest import VISIT_DAY, stored_files, visit_data, visit_state

D = datetime.date


def url(participant, planned=None) -> str:
    address = reverse("monitoring:visit_new", args=[participant.pk])
    return f"{address}?planned={planned.pk}" if planned else address


def jpeg(size=(640, 480), colour="#7a9cc6") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def errors_of(response) -> str:
    """Every message the page shows in its error summary and next to the fields."""
    return " ".join(str(e["message"]) for e in response.context["errors"])


# --- recording a visit ---------------------------------------------------------------------


def test_the_form_is_pre_filled_with_the_serials_lent_and_the_connection(officer_phone, planned):
    response = officer_phone.get(url(planned.participant, planned))
    page = response.content.decode()
    for asset in lent_assets(planned.participant):
        assert asset.serial_number in page
    connection = active_connection(planned.participant)
    assert connection.contract.supplier.name in page
    key = response.context["form"]["key"].value()
    assert uuid.UUID(str(key))
    assert 'src="/static/js/visit-form.js"' in page
    assert "<script>" not in page and 'style="' not in page  # CSP: no inline script or style


def test_the_officer_records_a_visit_from_the_plan(officer_phone, planned, officer):
    household = planned.participant
    data = visit_data(
        household,
        planned=planned,
        **{
            "follow-0-what": "Przypomnieć o szkoleniu e-learningowym",
            "follow-0-responsible": str(officer.pk),
            "follow-0-due_on": "2013-04-30",
        },
    )
    response = officer_phone.post(url(household, planned), data)
    visit = MonitoringVisit.objects.get(key=data["key"])
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:visit_detail", args=[visit.pk])
    assert visit.participant == household
    assert visit.officer == officer and visit.recorded_by == officer
    assert timezone.localtime(visit.visited_at).replace(tzinfo=None) == datetime.datetime(
        2013, 4, 10, 10, 30
    )
    assert visit.outcome == "made"
    assert (visit.connection, visit.connection_working) == (active_connection(household), True)
    assert str(visit.measured_speed) == "1.90"
    assert visit.purposes == ["school", "work"]
    assert (visit.not_sold, visit.not_lent, visit.lawful_use) == (True, True, True)
    assert [(c.serial_number, c.state) for c in visit.checks.all()] == [
        (a.serial_number, "present") for a in lent_assets(household)
    ]
    planned.refresh_from_db()
    assert planned.status == "done" and visit.planned == planned
    [follow_up] = visit.follow_ups.all()
    assert (follow_up.what, follow_up.responsible, follow_up.due_on, follow_up.status) == (
        "Przypomnieć o szkoleniu e-learningowym",
        officer,
        D(2013, 4, 30),
        "open",
    )
    assert visit.outage is None and visit.exclusion_proposal is None


def test_the_phone_is_answered_in_json(officer_phone, planned):
    data = visit_data(planned.participant, planned=planned)
    response = officer_phone.post(url(planned.participant), data, headers={"X-Visit-Form": "1"})
    visit = MonitoringVisit.objects.get(key=data["key"])
    assert response.json() == {
        "ok": True,
        "url": reverse("monitoring:visit_detail", args=[visit.pk]),
        "created": True,
    }


def test_a_refusal_is_answered_in_json_with_the_field_to_show_it_at(officer_phone, planned):
    data = visit_data(planned.participant, planned=planned, not_lent="")
    response = officer_phone.post(url(planned.participant), data, headers={"X-Visit-Form": "1"})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert {"field": "div_id_not_lent", "message": "Odpowiedz na to pytanie."} in [
        {"field": e["field"], "message": e["message"]} for e in body["errors"]
    ]


def test_a_replayed_submission_makes_one_visit_and_changes_nothing_more(
    officer_phone, planned, officer
):
    household = planned.participant
    data = visit_data(
        household,
        planned=planned,
        connection_working="no",
        findings="Router nie łączy się z siecią.",
        photos=[SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")],
        **{
            "follow-0-what": "Zgłosić awarię dostawcy",
            "follow-0-responsible": str(officer.pk),
            "follow-0-due_on": "2013-04-12",
        },
    )
    # The household's visits, outages and follow-ups of the demo (its visits of 2013-2017).
    had = (
        MonitoringVisit.objects.filter(participant=household).count(),
        Outage.objects.filter(connection__participant=household).count(),
        FollowUp.objects.filter(participant=household).count(),
    )
    first = officer_phone.post(url(household), data, headers={"X-Visit-Form": "1"})
    after_first = visit_state()
    data["photos"] = [SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")]
    again = officer_phone.post(url(household), data, headers={"X-Visit-Form": "1"})
    data["photos"] = [SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")]
    by_hand = officer_phone.post(url(household), data)  # the same form sent without the script
    assert first.json()["created"] is True
    assert again.json() == {**first.json(), "created": False}
    assert by_hand.status_code == 302 and by_hand["Location"] == first.json()["url"]
    assert visit_state() == after_first
    assert MonitoringVisit.objects.filter(participant=household).count() == had[0] + 1
    assert Outage.objects.filter(connection__participant=household).count() == had[1] + 1
    assert FollowUp.objects.filter(participant=household).count() == had[2] + 1
    page = officer_phone.get(by_hand["Location"]).content.decode()
    assert "Ta wizyta była już zapisana: zapisano ją tylko raz." in page


def test_the_service_finds_the_visit_a_key_already_made(planned, officer):
    household = planned.participant
    key = uuid.uuid4()
    when = timezone.make_aware(datetime.datetime(2013, 4, 10, 9))
    first, created = do_record_visit(
        household, key=key, actor=officer, visited_at=when, outcome="nobody_home"
    )
    second, created_again = do_record_visit(
        household, key=key, actor=officer, visited_at=when, outcome="nobody_home"
    )
    assert (created, created_again) == (True, False)
    assert first == second
    assert MonitoringVisit.objects.filter(key=key).count() == 1


# --- bad input: a clear message, nothing changed --------------------------------------------------


def test_a_visit_to_a_household_not_taking_part_is_refused(officer_phone, officer):
    resigned = Participant.objects.filter(status="resigned").first()
    before = visit_state()
    page = officer_phone.get(url(resigned)).content.decode()
    assert "nie uczestniczy w projekcie" in page
    assert 'id="visit-form"' not in page
    response = officer_phone.post(url(resigned), visit_data(resigned))
    assert response.status_code == 200
    message = errors_of(response)
    assert f"Gospodarstwo {resigned.application.number} nie uczestniczy w projekcie" in message
    assert "od 11.02.2013): nie można zapisać wizyty." in message
    assert visit_state() == before


def test_the_service_refuses_a_household_not_taking_part(officer):
    resigned = Participant.objects.filter(status="resigned").first()
    before = visit_state()
    with pytest.raises(ValidationError) as caught:
        do_record_visit(
            resigned,
            key=uuid.uuid4(),
            actor=officer,
            visited_at=timezone.make_aware(datetime.datetime(2013, 4, 10, 9)),
            outcome="made",
        )
    assert "nie można zapisać wizyty" in messages_of(caught.value)
    assert visit_state() == before


def test_a_serial_not_lent_to_the_household_is_refused(officer_phone, planned):
    household = planned.participant
    other = Asset.objects.filter(status="lent").exclude(participant=household).first()
    data = visit_data(household, planned=planned, **{"checks-0-serial": other.serial_number})
    before = visit_state()
    response = officer_phone.post(url(household), data)
    assert response.status_code == 200
    assert (
        f"Numer seryjny {other.serial_number} nie jest użyczony gospodarstwu "
        f"{household.application.number}." in errors_of(response)
    )
    assert visit_state() == before


def test_a_visit_dated_in_the_future_cannot_be_marked_as_made(officer_phone, planned):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = visit_data(planned.participant, planned=planned, visited_on=tomorrow.isoformat())
    before = visit_state()
    response = officer_phone.post(url(planned.participant), data)
    assert "w przyszłości: nie można jej oznaczyć jako przeprowadzonej" in errors_of(response)
    assert response.context["form"].errors["visited_on"]
    assert visit_state() == before


def test_every_error_of_the_visit_form_shows_in_one_round(officer_phone, planned):
    """A bad photo, a visit dated in 2030, a next visit before it and an unanswered question:
    all at once, each beside its field, and the summary at the top links to each."""
    data = visit_data(
        planned.participant,
        planned=planned,
        visited_on="2030-01-10",
        next_visit_on="2029-12-01",
        not_sold="",
        photos=[SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", "image/jpeg")],
    )
    before = visit_state()
    response = officer_phone.post(url(planned.participant), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"visited_on", "next_visit_on", "not_sold"} <= set(form.errors)
    assert "foto.jpg nie jest zdjęciem (JPEG, PNG lub WebP)." in str(form.errors["photos"])
    summary = errors_of(response)
    assert "foto.jpg nie jest zdjęciem" in summary
    assert "w przyszłości: nie można jej oznaczyć jako przeprowadzonej" in summary
    assert "Następna wizyta musi być po tej wizycie." in summary
    page = response.content.decode()
    top = page[page.index('id="visit-error-summary"') :]
    for anchor in ("id_photos", "id_visited_on", "id_next_visit_on"):
        assert f'href="#{anchor}"' in top
    assert visit_state() == before


def test_a_form_sent_again_finds_its_visit_even_when_the_plan_moved_on(officer_phone, planned):
    """The one-round checks do not refuse a replay: the planned visit is made by the first
    sending, and the second finds the visit instead of "the planned visit is already made"."""
    data = visit_data(planned.participant, planned=planned)
    assert officer_phone.post(url(planned.participant), data).status_code == 302
    again = officer_phone.post(url(planned.participant), data)
    assert again.status_code == 302
    assert MonitoringVisit.objects.filter(key=data["key"]).count() == 1


def test_a_file_that_is_not_a_photo_is_refused(officer_phone, planned):
    data = visit_data(
        planned.participant,
        planned=planned,
        photos=[SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", "image/jpeg")],
    )
    before = visit_state()
    response = officer_phone.post(url(planned.participant), data)
    assert "foto.jpg nie jest zdjęciem (JPEG, PNG lub WebP)." in errors_of(response)
    assert visit_state() == before


def test_a_photo_too_large_is_refused(officer_phone, planned):
    huge = b"\xff\xd8\xff\xe0" + b"\0" * photos.PHOTO_MAX_BYTES
    data = visit_data(
        planned.participant,
        planned=planned,
        photos=[SimpleUploadedFile("duze.jpg", huge, "image/jpeg")],
    )
    before = visit_state()
    response = officer_phone.post(url(planned.participant), data)
    assert "duze.jpg jest za duże (12,0 MB); limit to 12,0 MB." in errors_of(response)
    assert visit_state() == before
    assert stored_files() == before["files"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"checks-0-state": ""}, "Wybierz stan sprzętu MX1211"),
        ({"checks-TOTAL_FORMS": "0"}, "Sprawdź cały użyczony sprzęt: nie sprawdzono MX1211"),
        ({"checks-0-state": "damaged"}, "jest uszkodzony: wybierz zgłoszenie serwisowe albo"),
        ({"checks-0-state": "missing"}, "wybierz roszczenie o nowy zestaw albo napisz w uwagach"),
        ({"connection_working": ""}, "Zaznacz, czy Internet działa."),
        ({"not_sold": "no"}, "Opisz, co stwierdzono"),
        ({"next_visit_on": "2013-04-01"}, "Następna wizyta musi być po tej wizycie."),
        (
            {"follow-0-what": "Oddzwonić", "follow-0-due_on": "2013-04-01"},
            "Działanie następcze 1: wybierz osobę odpowiedzialną.",
        ),
        ({"signature": "data:image/png;base64,nie-obraz"}, "Nie udało się odczytać podpisu"),
        ({"visited_on": "2012-11-01"}, "wizyta nie może być wcześniejsza"),
    ],
)
def test_an_incomplete_visit_is_refused_with_its_message(officer_phone, planned, changes, message):
    data = visit_data(planned.participant, planned=planned, **changes)
    before = visit_state()
    response = officer_phone.post(url(planned.participant), data)
    assert response.status_code == 200
    assert message in errors_of(response)
    assert visit_state() == before
    # What was typed is still in the form.
    assert response.context["form"]["findings"].value() == data["findings"]


def test_a_planned_visit_of_another_household_is_not_found(officer_phone, planned):
    other = PlannedVisit.objects.exclude(participant=planned.participant).first()
    response = officer_phone.get(url(planned.participant, other))
    assert response.status_code == 404


# --- findings change state in lending, through lending's services -------------------------------


def _record(officer, household, **fields):
    serial = lent_assets(household)[0].serial_number
    checks = fields.pop("checks", [CheckInput(serial, "present")])
    # Every other lent device (the provider's router) is found in place.
    checked = {check.serial for check in checks}
    checks += [
        CheckInput(asset.serial_number, "present")
        for asset in lent_assets(household)
        if asset.serial_number not in checked
    ]
    defaults = {
        "outcome": "made",
        "checks": checks,
        "connection_working": True,
        "not_sold": True,
        "not_lent": True,
        "lawful_use": True,
    }
    defaults.update(fields)
    visit, _created = do_record_visit(
        household,
        key=uuid.uuid4(),
        actor=officer,
        visited_at=timezone.make_aware(datetime.datetime(2013, 4, 10, 11)),
        **defaults,
    )
    return visit


def test_a_damaged_asset_sent_to_service_gets_lending_s_service_record(officer, household):
    asset = lent_assets(household)[0]
    visit = _record(
        officer,
        household,
        checks=[CheckInput(asset.serial_number, "damaged", "service", "Pęknięta obudowa")],
    )
    check = visit.checks.get(state="damaged")
    record = ServiceRecord.objects.get(asset=asset, started_on=VISIT_DAY)
    assert check.service_record == record
    assert "Pęknięta obudowa" in record.description
    assert record.description.startswith("Wizyta monitorująca z dnia 10.04.2013")
    assert asset.history.filter(kind="in_service", date=VISIT_DAY).exists()


def test_a_damaged_asset_may_open_a_claim_for_the_repair(officer, household):
    asset = lent_assets(household)[0]
    visit = _record(
        officer,
        household,
        checks=[CheckInput(asset.serial_number, "damaged", "repair_claim", "Zalany")],
    )
    claim = DamageClaim.objects.get(asset=asset)
    assert visit.checks.get(state="damaged").damage_claim == claim
    assert (claim.kind, claim.occurred_on, claim.status) == ("repair", VISIT_DAY, "open")
    assert claim.agreement.participant == household and claim.note is not None
    asset.refresh_from_db()
    assert asset.condition == "damaged"


def test_a_missing_asset_may_open_a_claim_for_a_new_set(officer, household):
    asset = lent_assets(household)[0]
    _record(
        officer,
        household,
        checks=[CheckInput(asset.serial_number, "missing", "replacement_claim", "")],
    )
    claim = DamageClaim.objects.get(asset=asset)
    assert claim.kind == "replacement"
    asset.refresh_from_db()
    assert asset.condition == "lost"


def test_a_connection_that_does_not_work_reports_an_outage_once(officer, household):
    had = Outage.objects.filter(connection__participant=household).count()  # the demo's
    visit = _record(officer, household, connection_working=False, findings="Brak sygnału.")
    outage = Outage.objects.get(connection=active_connection(household), ended_on=None)
    assert visit.outage == outage
    assert (outage.started_on, outage.ended_on) == (VISIT_DAY, None)
    assert "Brak sygnału." in outage.description
    # A second visit while it lasts finds the same outage, it does not report another one.
    again = _record(officer, household, connection_working=False)
    assert again.outage == outage
    assert Outage.objects.filter(connection__participant=household).count() == had + 1


def test_a_broken_obligation_proposes_an_exclusion_and_never_excludes(officer, household):
    visit = _record(
        officer,
        household,
        not_lent=False,
        compliance_note="Komputer pożyczony sąsiadowi.",
    )
    proposal = ExclusionProposal.objects.get(participant=household)
    assert visit.exclusion_proposal == proposal
    assert proposal.status == "pending" and proposal.proposed_on == VISIT_DAY
    assert "nieużyczony nikomu spoza gospodarstwa" in proposal.facts
    assert "Komputer pożyczony sąsiadowi." in proposal.facts
    household.refresh_from_db()
    assert household.status == "active"


def test_nobody_at_home_leaves_the_planned_visit_to_be_made(officer_phone, planned):
    data = visit_data(
        planned.participant,
        planned=planned,
        outcome="nobody_home",
        findings="Awizo w skrzynce.",
        **{"checks-0-state": "damaged"},
    )
    officer_phone.post(url(planned.participant), data)
    visit = MonitoringVisit.objects.get(key=data["key"])
    planned.refresh_from_db()
    assert visit.outcome == "nobody_home" and visit.planned is None
    assert planned.status == "planned"
    assert not AssetCheck.objects.filter(visit=visit).exists()
    assert visit.connection_working is None


def test_the_next_visit_date_is_planned(officer, household):
    _record(officer, household, next_visit_on=D(2013, 9, 2))
    added = PlannedVisit.objects.get(participant=household, due_on=D(2013, 9, 2))
    assert (added.origin, added.status, added.officer) == ("officer", "planned", officer)
    assert added.note == "Ustalona podczas wizyty z dnia 10.04.2013."


def test_the_finance_officer_does_not_see_visits(client_as, household):
    client = client_as(roles.FINANCE)
    assert client.get(url(household)).status_code == 403
    assert client.get(reverse("monitoring:visit_list")).status_code == 403


def test_the_auditor_reads_visits_but_records_none(client_as, household):
    client = client_as(roles.AUDITOR)
    assert client.get(reverse("monitoring:visit_list")).status_code == 200
    before = visit_state()
    assert client.post(url(household), visit_data(household)).status_code == 403
    assert visit_state() == before


def test_an_error_summary_links_to_the_assets(officer_phone, planned):
    data = visit_data(planned.participant, planned=planned, **{"checks-0-state": ""})
    response = officer_phone.post(url(planned.participant), data, headers={"X-Visit-Form": "1"})
    errors = response.json()["errors"]
    assert any(e["field"] == "visit-assets" for e in errors)
    json.dumps(errors)  # plain data for the phone's script
    assert lending_services.lent_assets(planned.participant).exists()
