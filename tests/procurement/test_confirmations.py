"""The irreversible steps of a procedure (annulment, award, the signed contract) ask for a
confirmation the server checks: without it the step is refused with a Polish message next to
the box and nothing changes (tests/core/test_irreversible_steps.py enumerates the steps)."""

from django.urls import reverse

from procurement.models import Procedure

from .conftest import snapshot


def test_an_annulment_without_the_confirmation_changes_nothing(finance_client, announced):
    url = reverse("procurement:procedure_annul", args=[announced.pk])
    page = finance_client.get(url).content.decode()
    assert 'name="confirm"' in page and "Potwierdzam: postępowanie zostaje unieważnione" in page
    before = snapshot(announced)
    response = finance_client.post(
        url, {"annulled_on": "2024-03-05", "reason": "Art. 93 ust. 1 pkt 1 Pzp."}
    )
    assert response.status_code == 200
    assert "Potwierdź unieważnienie: unieważnionego postępowania nie można wznowić." in (
        response.content.decode()
    )
    assert snapshot(announced) == before
    response = finance_client.post(
        url, {"annulled_on": "2024-03-05", "reason": "Art. 93 ust. 1 pkt 1 Pzp.", "confirm": "on"}
    )
    assert response.status_code == 302
    assert Procedure.objects.get(pk=announced.pk).status == Procedure.Status.ANNULLED


def test_an_award_without_the_confirmation_changes_nothing(finance_client, opened, offers):
    before = snapshot(opened)
    response = finance_client.post(
        reverse("procurement:procedure_award", args=[opened.pk]),
        {"offer": offers[1].pk, "award_date": "2024-03-15"},
    )
    assert response.status_code == 200
    assert "Potwierdź wybór oferty: tego nie można cofnąć." in response.content.decode()
    assert snapshot(opened) == before


def test_a_contract_without_the_confirmation_is_not_recorded(finance_client, awarded):
    before = snapshot(awarded)
    response = finance_client.post(
        reverse("procurement:procedure_sign_contract", args=[awarded.pk]),
        {
            "number": "RZP.272.50.2024",
            "signed_on": "2024-03-25",
            "value_net": "73983.74",
            "value_gross": "91000.00",
            "scope": "Dostawa laptopów.",
            "term_start": "2024-03-25",
            "term_end": "2024-12-31",
        },
    )
    assert response.status_code == 200
    assert "Potwierdź zawarcie umowy" in response.content.decode()
    assert snapshot(awarded) == before
