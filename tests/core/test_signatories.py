"""Office holders: who signs for the town on a day, and the screen that records them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import signatories
from lebork_einclusion.models import Officeholder
from tests.helpers import messages_of, snapshot

D = datetime.date


def test_the_mayor_signs_with_the_treasurers_countersignature_in_2012(db):
    signing = signatories.for_day(D(2012, 11, 27))
    assert (signing.representative.office, signing.representative.name) == (
        "mayor",
        "Andrzej Wiśniewski",
    )
    assert signing.treasurer.name == "Stanisław Nowacki"
    assert signing.representation == (
        "Burmistrza Miasta Lęborka — Andrzeja Wiśniewskiego, przy kontrasygnacie Skarbnika "
        "Miasta Lęborka — Stanisława Nowackiego"
    )


def test_a_proxy_in_force_signs_instead_of_the_mayor_naming_the_power_of_attorney(db):
    signing = signatories.for_day(D(2013, 2, 20))
    assert signing.representative.office == "proxy"
    assert signing.representation.startswith(
        "Zastępcę Burmistrza Miasta Lęborka — Marka Kowalczyka (pełnomocnictwo nr 4/2013"
    )
    # The day after the power of attorney ends the mayor signs again.
    assert signatories.for_day(D(2013, 2, 23)).representative.office == "mayor"


def test_the_treasurer_of_the_day_countersigns_in_her_own_grammatical_forms(db):
    signing = signatories.for_day(D(2017, 3, 1))
    assert signing.representation.endswith(
        "przy kontrasygnacie Skarbnik Miasta Lęborka — Grażyny Malinowskiej"
    )


def test_a_day_nobody_holds_the_office_is_refused_clearly(db):
    with pytest.raises(ValidationError) as caught:
        signatories.for_day(D(2019, 6, 3))
    assert "Nikt nie pełni funkcji burmistrza" in messages_of(caught.value)
    assert signatories.for_day_or_none(D(2019, 6, 3)) is None


def test_a_day_without_a_treasurer_is_refused(db):
    # The treasurers' terms recorded only from 2019 (the agreements keep who countersigned).
    Officeholder.objects.filter(office="treasurer").update(valid_from=D(2019, 1, 1), valid_to=None)
    with pytest.raises(ValidationError) as caught:
        signatories.for_day(D(2013, 5, 6))
    assert "skarbnika" in messages_of(caught.value)


def _form(**changes):
    data = {
        "office": "mayor",
        "name": "Jan Nowy",
        "name_genitive": "Jana Nowego",
        "name_accusative": "Jana Nowego",
        "title": "Burmistrz Miasta Lęborka",
        "title_genitive": "Burmistrza Miasta Lęborka",
        "title_accusative": "Burmistrza Miasta Lęborka",
        "valid_from": "2018-11-22",
        "valid_to": "",
        "authority": "",
    }
    data.update(changes)
    return data


def test_the_coordinator_records_the_next_mayor(coordinator_client):
    response = coordinator_client.post(reverse("core:officeholder_new"), _form())
    assert response.status_code == 302
    holder = Officeholder.objects.get(name="Jan Nowy")
    assert not holder.is_demo
    assert signatories.for_day(D(2018, 11, 30)).representative == holder


def test_two_mayors_at_once_are_refused_and_nothing_is_saved(coordinator_client):
    before = snapshot(Officeholder)
    response = coordinator_client.post(
        reverse("core:officeholder_new"), _form(valid_from="2013-01-01")
    )
    assert response.status_code == 200
    assert "pełni tę funkcję w tym samym okresie" in response.content.decode()
    assert snapshot(Officeholder) == before


def test_a_proxy_without_the_power_of_attorney_is_refused(coordinator_client):
    before = snapshot(Officeholder)
    response = coordinator_client.post(
        reverse("core:officeholder_new"), _form(office="proxy", valid_from="2015-01-05")
    )
    assert response.status_code == 200
    assert "Podaj numer i datę pełnomocnictwa" in response.content.decode()
    assert snapshot(Officeholder) == before


def test_a_term_ending_before_it_begins_is_refused(coordinator_client):
    before = snapshot(Officeholder)
    response = coordinator_client.post(
        reverse("core:officeholder_new"),
        _form(office="deputy", valid_from="2019-01-05", valid_to="2019-01-01"),
    )
    assert response.status_code == 200
    assert "Kadencja nie może się skończyć przed jej początkiem" in response.content.decode()
    assert snapshot(Officeholder) == before


def test_the_list_shows_the_demo_holders(coordinator_client):
    page = coordinator_client.get(reverse("core:officeholder_list")).content.decode()
    assert "Andrzeja Wiśniewskiego" in page and "pełnomocnictwo nr 4/2013" in page
