"""Screens that say what is true (issue 16, item 5): an empty equipment picker says why and what
to do; names in the lists link like the numbers beside them."""

from django.urls import reverse

from lending.models import Asset, Participant, ParticipationEnd


def test_an_empty_equipment_picker_says_why_and_links_to_the_register(
    client, coordinator, monkeypatch
):
    """The demo's promoted household: with nothing in stock the picker is not a bare list that
    answers "this field is required" on submit."""
    promoted = ParticipationEnd.objects.exclude(promoted=None).first().promoted
    monkeypatch.setattr(
        "lending.views.agreements.assets_for_agreement", lambda: Asset.objects.none()
    )
    client.force_login(coordinator)
    page = client.get(reverse("lending:agreement_new", args=[promoted.pk])).content.decode()
    assert "W magazynie nie ma sprzętu do użyczenia" in page
    assert f'href="{reverse("lending:asset_list")}"' in page
    assert "Otwórz ewidencję sprzętu" in page


def test_a_picker_with_equipment_shows_no_explanation(client, coordinator, bare_participant):
    client.force_login(coordinator)
    page = client.get(reverse("lending:agreement_new", args=[bare_participant.pk])).content.decode()
    assert "W magazynie nie ma sprzętu" not in page
    assert 'name="assets"' in page


def test_an_empty_stock_for_a_unit_says_where_equipment_comes_from(
    client, coordinator, monkeypatch
):
    monkeypatch.setattr(Asset.objects.__class__, "in_stock", lambda self: Asset.objects.none())
    client.force_login(coordinator)
    page = client.get(reverse("lending:asset_place")).content.decode()
    assert "W magazynie nie ma sprzętu" in page
    assert f'href="{reverse("lending:asset_import")}"' in page


def test_the_participant_list_links_the_name_like_the_number(client, coordinator):
    participant = (
        Participant.objects.select_related("signatory").order_by("application__sequence").first()
    )
    client.force_login(coordinator)
    page = client.get(reverse("lending:participant_list")).content.decode()
    detail = reverse("lending:participant_detail", args=[participant.pk])
    name = f"{participant.signatory.first_name} {participant.signatory.last_name}"
    assert f'<a href="{detail}">{name}</a>' in page


def test_the_agreement_status_in_the_list_has_no_brackets_in_brackets(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("lending:participant_list")).content.decode()
    assert "obowiązuje, sprzęt przekazany" in page
    assert "(obowiązuje (" not in page
