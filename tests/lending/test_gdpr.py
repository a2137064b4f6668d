"""Lending's personal data in the registry: found by any household member's PESEL, and blanked
after the retention period, except what a legal hold protects."""

import datetime
import json

from django.urls import reverse

from lebork_einclusion import gdpr
from lebork_einclusion.models import LegalHold
from lending.models import AssetEvent, ParticipationEnd, PromissoryNote

AFTER = datetime.date(2040, 1, 1)


def test_every_lending_model_with_personal_data_is_declared():
    labels = {source.label for source in gdpr.sources()}
    assert {
        "lending.participant",
        "lending.loanagreement",
        "lending.promissorynote",
        "lending.participationend",
        "lending.exclusionproposal",
        "lending.damageclaim",
        "lending.assetevent",
    } <= labels


def test_a_child_of_the_household_finds_its_agreement_and_note(coordinator_client, agreement):
    child = agreement.participant.application.members.exclude(pk=agreement.signatory_id).first()
    response = coordinator_client.post(
        reverse("core:subject_export"), {"pesel": child.pesel, "format": "json"}
    )
    records = {r["type"]: r["items"] for r in json.loads(response.content)["records"]}
    assert records["lending.loanagreement"][0]["numer umowy"] == agreement.number
    serials = [i.asset.serial_number for i in agreement.items.order_by("asset__serial_number")]
    assert records["lending.loanagreement"][0]["sprzęt"] == serials
    assert records["lending.promissorynote"][0]["numer w rejestrze"] == agreement.note.number


def test_retention_blanks_the_free_text_and_keeps_the_facts(db):
    end = ParticipationEnd.objects.get(kind="resignation")  # of 2013 (2014: an exclusion)
    note = PromissoryNote.objects.get(agreement=end.agreement)
    assert end.reason and note.release_record
    gdpr.do_apply_retention(AFTER)
    end.refresh_from_db()
    note.refresh_from_db()
    assert (end.reason, note.release_record) == ("", "")
    assert (end.kind, end.decided_on, note.status) == (
        "resignation",
        datetime.date(2013, 2, 11),
        "returned",
    )
    # The equipment's history at the households loses its notes, the labs' history keeps them.
    assert not AssetEvent.objects.filter(participant__isnull=False).exclude(note="").exists()
    assert (
        AssetEvent.objects.filter(participant__isnull=True, kind="delivered")
        .exclude(note="")
        .exists()
    )


def test_a_hold_on_a_promissory_note_keeps_the_household(db):
    end = ParticipationEnd.objects.get(kind="resignation")  # of 2013 (2014: an exclusion)
    note = PromissoryNote.objects.get(agreement=end.agreement)
    LegalHold.objects.create(
        object_type="lending.promissorynote", object_id=str(note.pk), reason="roszczenie"
    )
    gdpr.do_apply_retention(AFTER)
    note.refresh_from_db()
    end.refresh_from_db()
    assert note.release_record and end.reason
    signatory = end.participant.signatory
    signatory.refresh_from_db()
    assert signatory.last_name
