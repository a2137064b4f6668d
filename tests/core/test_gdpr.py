"""GDPR duties of the core: the information clause, the record of processing, the data-subject
export and retention with legal holds, on a stand-in source (apps register theirs later)."""

import datetime
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pghistory.models import Events

from lebork_einclusion import gdpr, roles
from lebork_einclusion.gdpr import core_sources, registry
from lebork_einclusion.models import LegalHold, PersonalDataAccess, PrivacyNotice, PublicUnit
from tests.core.test_pdf import pdf_text

PESEL = "44051401359"
OTHER_PESEL = "02211307589"
AFTER = datetime.date(2040, 1, 1)  # past the demo project's retention end (31.12.2028)


def _anonymise(unit, actor):
    PublicUnit.objects.filter(pk=unit.pk).update(contact_person="", phone="")
    unit.contact_person = unit.phone = ""


@pytest.fixture
def stand_in(db, monkeypatch):
    """Public units' contacts as a source with a PESEL (phone) and health data (name)."""
    # The core's own sources only: the apps' sources (and their demo records) have their tests.
    core = {"auth", "core", "axes"}
    monkeypatch.setattr(
        registry,
        "_registry",
        {k: s for k, s in registry._registry.items() if s.model_class._meta.app_label in core},
    )
    gdpr.unregister("core.PublicUnit")
    source = gdpr.register(
        gdpr.PersonalDataSource(
            model="core.PublicUnit",
            subjects="test people",
            purpose="test purpose",
            legal_basis="Art. 9(2)(a)",
            fields={"contact_person": gdpr.HEALTH, "phone": gdpr.PESEL},
            expired=gdpr.after_project_retention(
                lambda: PublicUnit.objects.exclude(contact_person="", phone="")
            ),
            anonymise=_anonymise,
        )
    )
    units = list(PublicUnit.objects.order_by("pk")[:3])
    PublicUnit.objects.filter(pk=units[0].pk).update(contact_person="Jan Tajny", phone=PESEL)
    PublicUnit.objects.filter(pk=units[1].pk).update(contact_person="Ewa Tajna", phone=OTHER_PESEL)
    PublicUnit.objects.filter(pk=units[2].pk).update(contact_person="Jan Tajny", phone=PESEL)
    PublicUnit.objects.exclude(pk__in=[u.pk for u in units]).update(contact_person="", phone="")
    yield source, [PublicUnit.objects.get(pk=u.pk) for u in units]
    gdpr.unregister("core.PublicUnit")
    core_sources._register_core_public_units()


# --- the information clause -----------------------------------------------------------------------


def test_the_clause_partial_names_controller_dpo_health_basis_and_retention_date(db):
    html = render_to_string("partials/gdpr_clause.html")
    notice = PrivacyNotice.current()
    assert notice.controller in html and notice.dpo_contact in html
    assert "art. 9 ust. 2" in html
    assert "31.12.2028" in html  # durability end 2018 + 10 years


def test_the_clause_is_public(client, db):
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 200
    assert PrivacyNotice.current().controller in response.content.decode()


def test_the_coordinator_edits_the_clause(coordinator_client):
    notice = PrivacyNotice.current()
    form = coordinator_client.get(reverse("core:privacy_notice_edit")).context["form"]
    data = {f: form[f].value() for f in form.fields if f != "version"}
    data.update(version=notice.version, dpo_contact="iod@example.org, ul. Nowa 1")
    response = coordinator_client.post(reverse("core:privacy_notice_edit"), data)
    assert response.status_code == 302
    assert PrivacyNotice.current().dpo_contact == "iod@example.org, ul. Nowa 1"


def test_an_empty_controller_is_refused_and_nothing_changes(coordinator_client):
    notice = PrivacyNotice.current()
    form = coordinator_client.get(reverse("core:privacy_notice_edit")).context["form"]
    data = {f: form[f].value() for f in form.fields if f != "version"}
    data.update(version=notice.version, controller="", purposes="changed")
    response = coordinator_client.post(reverse("core:privacy_notice_edit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["controller"]
    assert PrivacyNotice.current().purposes == notice.purposes


# --- the record of processing -------------------------------------------------------------------


def test_the_record_of_processing_lists_every_registered_source(client, make_user, stand_in):
    client.force_login(make_user(roles.AUDITOR))
    response = client.get(reverse("core:processing_register"))
    text = response.content.decode()
    for source in gdpr.sources():
        assert source.name.capitalize() in text or source.name in text
    assert "test purpose" in text
    assert "szczególna kategoria" in text  # health data flagged (Art. 9)


def test_a_source_declares_known_categories_only(db):
    with pytest.raises(ValueError):
        gdpr.register(
            gdpr.PersonalDataSource(
                model="core.Project",
                subjects="x",
                purpose="x",
                legal_basis="x",
                fields={"name": "shoe size"},
            )
        )


# --- the data-subject export --------------------------------------------------------------------


def test_the_export_finds_every_record_of_the_person_as_json(coordinator_client, stand_in):
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": PESEL, "format": "json"}
    )
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    (section,) = document["records"]
    assert section["type"] == "core.publicunit"
    assert len(section["items"]) == 2
    assert all(PESEL in item.values() for item in section["items"])
    assert OTHER_PESEL not in response.content.decode()


def test_the_export_as_pdf(coordinator_client, stand_in):
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": PESEL, "format": "pdf"}
    )
    text = pdf_text(response.content)
    assert "Jan Tajny" in text and "test purpose" in text


def test_every_exported_record_is_logged_without_the_pesel(coordinator_client, stand_in):
    _source, units = stand_in
    coordinator_client.post(reverse("core:subject_export"), {"pesel": PESEL, "format": "json"})
    logged = PersonalDataAccess.objects.filter(view_name="core:subject_export")
    assert {e.object_id for e in logged} == {str(units[0].pk), str(units[2].pk)}
    assert not any(PESEL in str(vars(e)) for e in logged)


def test_a_pesel_that_is_nowhere_gets_a_clear_message_and_is_logged(coordinator_client, stand_in):
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": "02070803628", "format": "json"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pesel"]
    assert PersonalDataAccess.objects.filter(object_type="gdpr.subject_export").count() == 1


def test_an_invalid_pesel_is_refused(coordinator_client, stand_in):
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": "44051401358", "format": "json"}
    )
    assert response.context["form"].errors["pesel"]
    assert not PersonalDataAccess.objects.filter(view_name="core:subject_export").exists()


# --- retention ---------------------------------------------------------------------------------------


def test_nothing_expires_before_the_retention_end(stand_in):
    report = gdpr.do_apply_retention(datetime.date(2028, 12, 31))
    assert report.items == []


def test_a_dry_run_reports_and_changes_nothing(stand_in):
    report = gdpr.do_apply_retention(AFTER, dry_run=True)
    assert report.anonymised == 3
    assert PublicUnit.objects.filter(phone=PESEL).count() == 2


def test_retention_anonymises_the_records_and_their_audit_trail(stand_in):
    _source, units = stand_in
    report = gdpr.do_apply_retention(AFTER)
    assert report.anonymised == 3
    assert not PublicUnit.objects.filter(phone__in=[PESEL, OTHER_PESEL]).exists()
    assert PublicUnit.objects.count() == 7  # statistics keep their rows
    history = Events.objects.filter(pgh_obj_model="core.PublicUnit", pgh_obj_id=str(units[0].pk))
    assert history.exists()
    assert not any(PESEL in json.dumps(e.pgh_data) for e in history)


def test_a_legal_hold_keeps_the_person_in_every_record(stand_in, make_user):
    _source, units = stand_in
    LegalHold.objects.create(
        object_type="core.publicunit", object_id=str(units[0].pk), reason="court case"
    )
    report = gdpr.do_apply_retention(AFTER)
    assert report.held == 2 and report.anonymised == 1
    assert PublicUnit.objects.filter(phone=PESEL).count() == 2  # both records of the person
    assert not PublicUnit.objects.filter(phone=OTHER_PESEL).exists()


def test_a_released_hold_no_longer_protects(stand_in, coordinator_client):
    _source, units = stand_in
    hold = LegalHold.objects.create(
        object_type="core.publicunit", object_id=str(units[0].pk), reason="court case"
    )
    coordinator_client.post(reverse("core:legal_hold_release", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert gdpr.do_apply_retention(AFTER).held == 0


def test_the_command_dry_run_first(stand_in, capsys):
    from django.core.management import call_command

    call_command("apply_retention", "--dry-run", "--today", AFTER.isoformat())
    output = capsys.readouterr().out
    assert "3" in output
    assert PublicUnit.objects.filter(phone=PESEL).count() == 2


def test_placing_a_hold_on_a_missing_record_is_refused(coordinator_client, stand_in):
    response = coordinator_client.post(
        reverse("core:legal_holds"),
        {"object_type": "core.publicunit", "object_id": "999999", "reason": "x"},
    )
    assert response.context["form"].errors["object_id"]
    assert not LegalHold.objects.exists()


def test_the_coordinator_places_a_hold(coordinator_client, stand_in):
    _source, units = stand_in
    response = coordinator_client.post(
        reverse("core:legal_holds"),
        {"object_type": "core.publicunit", "object_id": str(units[1].pk), "reason": "audit"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.object_id, hold.reason, hold.created_by) == (
        str(units[1].pk),
        "audit",
        coordinator_client.user,
    )
