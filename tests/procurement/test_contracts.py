"""Contract pages: detail, amendments, attachments, and who may read them."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lebork_einclusion import roles
from procurement.demo import EQUIPMENT_CONTRACT, INTERNET_CONTRACT
from procurement.models import Contract, ContractAmendment, ContractAttachment
from tests.factories import SupplierFactory

PDF = b"%PDF-1.4\n" + b"a" * 64


def test_the_detail_shows_the_contract(finance_client):
    contract = Contract.objects.get(number=INTERNET_CONTRACT)
    content = finance_client.get(contract.get_absolute_url()).content.decode()
    assert "SCORPION-COMPUTER" in content
    assert "12.12.2012" in content
    assert "287\xa0340,00 zł brutto" in content
    assert "BZP 460720-2012" in content


def test_it_records_an_amendment_with_its_scan(finance_client, contract):
    response = finance_client.post(
        reverse("procurement:contract_amend", args=[contract.pk]),
        {
            "number": "1/2024",
            "signed_on": "2024-05-10",
            "description": "Przedłużenie terminu dostawy.",
            "new_term_end": "2025-02-28",
            "file": SimpleUploadedFile("aneks.pdf", PDF),
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert str(contract.term_end) == "2025-02-28"
    assert contract.value_gross == Decimal("91000.00")
    amendment = ContractAmendment.objects.get(contract=contract)
    assert str(amendment.previous_term_end) == "2024-12-31"
    attachment = amendment.attachments.get()
    assert attachment.title == "Aneks nr 1/2024"
    page = finance_client.get(contract.get_absolute_url()).content.decode()
    assert "31.12.2024 → 28.02.2025" in page
    assert "Przedłużenie terminu dostawy." in page


def test_an_amendment_with_a_scan_of_the_wrong_type_saves_nothing(finance_client, contract):
    response = finance_client.post(
        reverse("procurement:contract_amend", args=[contract.pk]),
        {
            "number": "1/2024",
            "signed_on": "2024-05-10",
            "description": "Zmiana.",
            "new_term_end": "2025-02-28",
            "file": SimpleUploadedFile("aneks.pdf", b"GIF89a" + b"\0" * 40),
        },
    )
    assert response.status_code == 200
    assert "Niedozwolony typ pliku" in response.content.decode()
    contract.refresh_from_db()
    assert str(contract.term_end) == "2024-12-31"
    assert not ContractAmendment.objects.filter(contract=contract).exists()


def test_it_attaches_a_scan_and_serves_it_as_a_download(finance_client, finance, contract):
    response = finance_client.post(
        reverse("procurement:contract_attachment_new", args=[contract.pk]),
        {"title": "Umowa podpisana", "file": SimpleUploadedFile("umowa.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = ContractAttachment.objects.get(contract=contract)
    assert attachment.uploaded_by == finance
    assert attachment.file.name.startswith("procurement/contracts/")
    download = finance_client.get(reverse("procurement:contract_attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'filename="umowa-RZP.272.99.2024-' in download["Content-Disposition"]


def test_the_monitoring_officer_reads_contracts_but_not_procedures(client_as):
    client = client_as(roles.MONITORING)
    contract = Contract.objects.get(number=EQUIPMENT_CONTRACT)
    content = client.get(contract.get_absolute_url()).content.decode()
    assert "MAXTO" in content
    assert "31.12.2018" in content  # the service runs through the durability period
    assert reverse("procurement:procedure_detail", args=[contract.procedure_id]) not in content
    assert reverse("procurement:contract_amend", args=[contract.pk]) not in content
    assert client.get(reverse("procurement:contract_list")).status_code == 200
    response = client.post(
        reverse("procurement:contract_attachment_new", args=[contract.pk]), {"title": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ({"q": "maxto"}, [EQUIPMENT_CONTRACT], [INTERNET_CONTRACT]),
        ({"q": "szerokopasmowego"}, [INTERNET_CONTRACT], [EQUIPMENT_CONTRACT]),
        ({"in_force_on": "2018-06-01"}, [EQUIPMENT_CONTRACT], [INTERNET_CONTRACT]),
    ],
)
def test_the_contract_list_filters(finance_client, query, present, absent):
    content = finance_client.get(reverse("procurement:contract_list"), query).content.decode()
    for text in present:
        assert text in content
    for text in absent:
        assert text not in content


def test_the_contract_list_needs_the_same_queries_for_few_and_many(
    finance_client, django_assert_max_num_queries, contract
):
    url = reverse("procurement:contract_list")
    with django_assert_max_num_queries(10):
        finance_client.get(url)
    supplier = SupplierFactory()
    for n in range(30):
        Contract.objects.create(
            number=f"T/{n}",
            procedure=contract.procedure,
            supplier=supplier,
            signed_on=contract.signed_on,
            value_net=Decimal(1),
            value_gross=Decimal(1),
            scope="x",
            term_start=contract.term_start,
            term_end=contract.term_end,
        )
    with django_assert_max_num_queries(10):
        response = finance_client.get(url)
    assert "T/29" in response.content.decode()


def test_the_database_refuses_a_term_that_ends_before_it_starts(contract):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(term_end="2020-01-01")
