"""The register's pages: list with filters, detail with timeline and offers, the forms."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lebork_einclusion import roles
from procurement.models import Procedure, ProcedureEvent
from procurement.services import procedures
from tests.factories import ProcedureFactory, SupplierFactory

from .conftest import at, day, snapshot

PDF = b"%PDF-1.4\n" + b"x" * 64


def test_the_list_shows_the_demo_register(finance_client):
    response = finance_client.get(reverse("procurement:procedure_list"))
    content = response.content.decode()
    for number in ("408664-2012", "235583-2012", "460720-2012", "510054-2012"):
        assert number in content
    assert "RZP.272.14.2012" in content  # MAXTO's contract
    assert "unieważnione" in content


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ({"status": "annulled"}, ["235583-2012"], ["460720-2012", "ZO.1.2012"]),
        ({"procedure_type": "request_for_quotation"}, ["ZO.1.2012"], ["408664-2012"]),
        ({"year": "2012"}, ["408664-2012", "ZO.4.2012"], ["900001-2024"]),
        ({"year": "2024"}, ["900001-2024"], ["408664-2012"]),
        ({"q": "naklejek"}, ["ZO.2.2012"], ["ZO.3.2012"]),
    ],
)
def test_the_list_filters(finance_client, announced, query, present, absent):
    content = finance_client.get(reverse("procurement:procedure_list"), query).content.decode()
    for text in present:
        assert text in content
    for text in absent:
        assert text not in content


def test_the_list_needs_the_same_queries_for_few_and_many_procedures(
    finance_client, django_assert_max_num_queries, finance
):
    url = reverse("procurement:procedure_list")
    with django_assert_max_num_queries(12):
        finance_client.get(url)
    supplier = SupplierFactory()
    for n in range(30):
        procedure = ProcedureFactory()
        procedures.do_announce(
            procedure,
            announcement_number=f"{700000 + n}-2024",
            announcement_date=day("2024-03-01"),
            offers_deadline=at("2024-03-11T10:00"),
            actor=finance,
        )
        procedures.do_record_offer(
            procedure,
            bidder=supplier,
            received_at=at("2024-03-05T10:00"),
            price=Decimal("100"),
            actor=finance,
        )
    with django_assert_max_num_queries(12):
        response = finance_client.get(url)
    assert "700029-2024" in response.content.decode()


def test_the_detail_page_shows_timeline_offers_award_and_contract(finance_client):
    procedure = Procedure.objects.get(announcement_number="460720-2012")
    content = finance_client.get(
        reverse("procurement:procedure_detail", args=[procedure.pk])
    ).content.decode()
    assert "Przebieg postępowania" in content
    assert "20.11.2012" in content and "28.11.2012" in content
    assert "SCORPION-COMPUTER" in content
    assert "Sieć Pomorska Przykładowa" in content
    assert "RZP.272.19.2012" in content
    assert "12.12.2012" in content
    assert "Maria Rozliczeniowa" in content  # who recorded the steps
    # The link to the annulled procedure, and back.
    annulled = Procedure.objects.get(announcement_number="235583-2012")
    assert reverse("procurement:procedure_detail", args=[annulled.pk]) in content
    back = finance_client.get(
        reverse("procurement:procedure_detail", args=[annulled.pk])
    ).content.decode()
    assert "To postępowanie ogłoszono ponownie jako" in back
    assert reverse("procurement:procedure_detail", args=[procedure.pk]) in back
    assert "Art. 93 ust. 1 pkt 7" in back


def test_the_detail_page_offers_only_the_possible_steps(finance_client, announced):
    content = finance_client.get(
        reverse("procurement:procedure_detail", args=[announced.pk])
    ).content.decode()
    assert reverse("procurement:offer_new", args=[announced.pk]) in content
    assert reverse("procurement:procedure_annul", args=[announced.pk]) in content
    assert reverse("procurement:procedure_award", args=[announced.pk]) not in content
    assert reverse("procurement:procedure_sign_contract", args=[announced.pk]) not in content


def test_the_auditor_sees_the_detail_without_any_step(client_as, announced):
    client = client_as(roles.AUDITOR)
    content = client.get(
        reverse("procurement:procedure_detail", args=[announced.pk])
    ).content.decode()
    assert "Dostawa laptopów do pracowni" in content
    assert reverse("procurement:procedure_annul", args=[announced.pk]) not in content
    assert reverse("procurement:offer_new", args=[announced.pk]) not in content


def test_the_auditor_cannot_annul(client_as, announced):
    before = snapshot(announced)
    client = client_as(roles.AUDITOR)
    response = client.post(
        reverse("procurement:procedure_annul", args=[announced.pk]),
        {"annulled_on": "2024-03-05", "reason": "x", "confirm": "on"},
    )
    assert response.status_code == 403
    assert snapshot(announced) == before


@pytest.mark.parametrize("role", [roles.COMMITTEE, roles.MONITORING])
def test_the_committee_and_the_monitoring_officer_do_not_see_procedures(client_as, role):
    client = client_as(role)
    assert client.get(reverse("procurement:procedure_list")).status_code == 403
    assert client.get(reverse("procurement:supplier_list")).status_code == 403


def procedure_form_data(**changes):
    data = {
        "reference": "RZP.271.7.2024",
        "subject": "Dostawa drukarek",
        "description": "",
        "kind": "supplies",
        "procedure_type": "open_tender",
        "estimated_value_net": "8130.08",
        "estimated_value_gross": "10000.00",
        "price_weight": "100",
        "other_criteria": "",
    }
    data.update(changes)
    return data


def test_it_registers_a_procedure_with_its_siwz(finance_client, finance):
    data = procedure_form_data(terms_of_reference=SimpleUploadedFile("siwz.pdf", PDF))
    response = finance_client.post(reverse("procurement:procedure_new"), data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(reference="RZP.271.7.2024")
    assert procedure.status == Procedure.Status.IN_PREPARATION
    assert procedure.terms_of_reference.name.startswith("procurement/siwz/")
    assert "siwz" not in procedure.terms_of_reference.name.split("/")[-1]
    event = procedure.timeline.get()
    assert (event.kind, event.actor) == (ProcedureEvent.Kind.CREATED, finance)
    download = finance_client.get(reverse("procurement:procedure_document", args=[procedure.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]


def test_a_siwz_that_is_not_a_pdf_is_refused(finance_client):
    count = Procedure.objects.count()
    data = procedure_form_data(
        terms_of_reference=SimpleUploadedFile("siwz.pdf", b"MZ\x90\x00" + b"\0" * 40)
    )
    response = finance_client.post(reverse("procurement:procedure_new"), data)
    assert response.status_code == 200
    assert "Niedozwolony typ pliku" in response.content.decode()
    assert Procedure.objects.count() == count


def test_a_gross_value_below_the_net_value_is_refused(finance_client):
    count = Procedure.objects.count()
    response = finance_client.post(
        reverse("procurement:procedure_new"),
        procedure_form_data(estimated_value_gross="100.00"),
    )
    assert response.status_code == 200
    assert "Wartość brutto nie może być niższa niż netto." in response.content.decode()
    assert Procedure.objects.count() == count


def test_posting_the_status_changes_nothing(finance_client, procedure):
    response = finance_client.post(
        reverse("procurement:procedure_edit", args=[procedure.pk]),
        procedure_form_data(
            subject="Nowy przedmiot",
            reference=procedure.reference,
            status="contract_signed",
            announcement_number="123456-2024",
            version=procedure.version,
        ),
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.subject == "Nowy przedmiot"
    assert procedure.status == Procedure.Status.IN_PREPARATION
    assert procedure.announcement_number == ""


def test_a_concurrent_edit_of_a_procedure_is_refused(finance_client, procedure, finance):
    stale = procedure_form_data(
        subject="Mój przedmiot", reference=procedure.reference, version=procedure.version
    )
    procedures.do_announce(
        procedure,
        announcement_number="900020-2024",
        announcement_date=day("2024-03-01"),
        offers_deadline=at("2024-03-11T10:00"),
        actor=finance,
    )
    response = finance_client.post(
        reverse("procurement:procedure_edit", args=[procedure.pk]), stale
    )
    assert response.status_code == 200
    assert "Ktoś inny zapisał ten rekord" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.subject == "Dostawa laptopów do pracowni"


def test_a_refused_stale_edit_names_the_saved_values_and_saving_again_keeps_the_entries(
    finance_client, procedure, finance
):
    url = reverse("procurement:procedure_edit", args=[procedure.pk])
    stale = procedure_form_data(
        subject="Mój przedmiot", reference=procedure.reference, version=procedure.version
    )
    procedures.do_announce(
        procedure,
        announcement_number="900020-2024",
        announcement_date=day("2024-03-01"),
        offers_deadline=at("2024-03-11T10:00"),
        actor=finance,
    )
    page = finance_client.post(url, stale).content.decode()
    assert "zapisane <strong>Dostawa laptopów do pracowni</strong>" in page
    assert 'value="Mój przedmiot"' in page  # the user's entry is still in the form
    assert 'name="version" value="2"' in page  # the refused form now carries the stored version
    response = finance_client.post(url, {**stale, "version": 2})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.subject, procedure.version) == ("Mój przedmiot", 3)


def test_the_whole_workflow_through_the_pages(finance_client, procedure, bidders):
    pk = procedure.pk

    def post(name, data, *args):
        response = finance_client.post(reverse(f"procurement:{name}", args=args or [pk]), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        return response

    post(
        "procedure_announce",
        {
            "announcement_number": "900030-2024",
            "announcement_date": "2024-03-01",
            "offers_deadline": "2024-03-11T10:00",
        },
    )
    for bidder, price in zip(bidders, ("95000.00", "91000.00"), strict=True):
        post("offer_new", {"bidder": bidder.pk, "received_at": "2024-03-08T12:00", "price": price})
    post("procedure_open_offers", {"opened_on": "2024-03-11"})
    offer = procedure.offers.get(bidder=bidders[1])
    post("offer_edit", {"score": "100", "criteria": "cena 100 pkt", "version": 1}, offer.pk)
    cheaper = procedure.offers.get(bidder=bidders[0])
    post("offer_edit", {"score": "95.79", "criteria": "cena 95,79 pkt", "version": 1}, cheaper.pk)
    post("procedure_award", {"offer": offer.pk, "award_date": "2024-03-15", "confirm": "on"})
    response = post(
        "procedure_sign_contract",
        {
            "number": "RZP.272.30.2024",
            "signed_on": "2024-03-20",
            "value_net": "73983.74",
            "value_gross": "91000.00",
            "scope": "Laptopy",
            "term_start": "2024-03-20",
            "term_end": "2024-06-30",
            "confirm": "on",
        },
    )
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.CONTRACT_SIGNED
    contract = procedure.contracts.get()
    assert response["Location"] == reverse("procurement:contract_detail", args=[contract.pk])
    assert contract.supplier == bidders[1]
    assert [e.kind for e in procedure.timeline.all()] == [
        "created",
        "announced",
        "offers_opened",
        "awarded",
        "contract_signed",
    ]
