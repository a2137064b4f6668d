"""Supplier pages: register, edit, list, detail."""

from django.urls import reverse

from lebork_einclusion import roles
from procurement.models import Supplier
from tests.factories import SupplierFactory


def test_it_registers_a_supplier_with_a_dashed_nip(finance_client):
    response = finance_client.post(
        reverse("procurement:supplier_new"),
        {
            "name": "Nowa Firma Sp. z o.o.",
            "nip": "100-039-59-50",
            "regon": "457146379",
            "street": "ul. Nowa 1",
            "postal_code": "84-300",
            "city": "Lębork",
            "email": "biuro@example.com",
        },
    )
    supplier = Supplier.objects.get(name="Nowa Firma Sp. z o.o.")
    assert response["Location"] == reverse("procurement:supplier_detail", args=[supplier.pk])
    assert supplier.nip == "1000395950"
    assert supplier.nip_display == "100-039-59-50"


def test_a_bad_postal_code_is_refused(finance_client):
    count = Supplier.objects.count()
    response = finance_client.post(
        reverse("procurement:supplier_new"),
        {
            "name": "X",
            "nip": "1000395950",
            "street": "ul. Nowa 1",
            "postal_code": "84300",
            "city": "Lębork",
        },
    )
    assert response.status_code == 200
    assert "XX-XXX" in response.content.decode()
    assert Supplier.objects.count() == count


def test_it_edits_a_supplier(finance_client):
    supplier = SupplierFactory()
    response = finance_client.post(
        reverse("procurement:supplier_edit", args=[supplier.pk]),
        {
            "name": "Zmieniona nazwa",
            "nip": supplier.nip,
            "regon": supplier.regon,
            "street": supplier.street,
            "postal_code": supplier.postal_code,
            "city": supplier.city,
            "phone": "59 000 00 00",
            "version": supplier.version,
        },
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.name == "Zmieniona nazwa"
    assert supplier.phone == "59 000 00 00"
    assert supplier.version == 2


def test_the_list_searches_by_name_and_nip(finance_client):
    url = reverse("procurement:supplier_list")
    content = finance_client.get(url, {"q": "scorpion"}).content.decode()
    assert "SCORPION-COMPUTER" in content
    assert "MAXTO" not in content
    content = finance_client.get(url, {"q": "175-359"}).content.decode()
    assert "MAXTO" in content
    assert "SCORPION-COMPUTER" not in content


def test_the_list_needs_the_same_queries_for_few_and_many_suppliers(
    finance_client, django_assert_max_num_queries
):
    url = reverse("procurement:supplier_list")
    with django_assert_max_num_queries(10):
        finance_client.get(url)
    SupplierFactory.create_batch(40)
    with django_assert_max_num_queries(10):
        finance_client.get(url)


def test_the_detail_shows_offers_and_contracts(finance_client):
    supplier = Supplier.objects.get(name="SCORPION-COMPUTER")
    content = finance_client.get(
        reverse("procurement:supplier_detail", args=[supplier.pk])
    ).content.decode()
    assert "426-999-48-57" in content
    assert "RZP.272.19.2012" in content
    assert content.count("szerokopasmowego Internetu") >= 3  # two offers and the contract
    assert "wybrana" in content


def test_the_auditor_reads_suppliers_but_cannot_add_one(client_as):
    client = client_as(roles.AUDITOR)
    assert client.get(reverse("procurement:supplier_list")).status_code == 200
    count = Supplier.objects.count()
    response = client.post(reverse("procurement:supplier_new"), {"name": "X"})
    assert response.status_code == 403
    assert Supplier.objects.count() == count
