"""The papers: the agreement with its declaration and handover protocol in one PDF, each paper
alone, the return protocol, and all the agreements of a call as one PDF made in the background."""

import re
from io import BytesIO

from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion import roles
from lebork_einclusion.models import GeneratedFile, PersonalDataAccess
from lending import papers
from lending.models import LoanAgreement
from lending.services import agreements

from .conftest import DAY


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split()
    )


def test_one_click_prints_the_agreement_declaration_and_protocol(client, agreement, make_user):
    user = make_user(roles.ASSISTANT)
    client.force_login(user)
    response = client.get(reverse("lending:agreement_pdf", args=[agreement.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    signatory = agreement.signatory
    serial = agreement.items.get(asset__kind="computer_set").asset.serial_number
    assert f"UMOWA UŻYCZENIA nr {agreement.number}" in text
    assert f"{signatory.first_name} {signatory.last_name}" in text
    assert serial in text
    assert agreement.ends_on.strftime("%d.%m.%Y") in text
    # §6 in full, the declaration, the protocol.
    assert "wekslem in blanco" in text
    assert "uczestniczyć w szkoleniach" in text
    assert "DEKLARACJA WEKSLOWA" in text and "bez protestu" in text
    assert f"{agreement.note.max_amount:.2f}".replace(".", ",") in text.replace(" ", "")
    assert "PROTOKÓŁ ZDAWCZO-ODBIORCZY" in text
    assert PersonalDataAccess.objects.filter(
        user=user,
        view_name="lending:agreement_pdf",
        object_id=str(agreement.participant.application_id),
    ).exists()


def test_the_declaration_names_issuer_holder_events_sum_place_and_return(agreement):
    text = pdf_text(papers.declaration_pdf(agreement))
    assert "DEKLARACJA WEKSLOWA" in text
    assert agreement.note.number in text
    assert "Gminy Miasto Lębork" in text  # the holder
    assert agreement.signatory.last_name in text  # the issuer
    assert "(§ 6 pkt 3 Regulaminu)" in text  # the events that allow filling it in
    assert "(§ 6 pkt 4 Regulaminu" in text
    assert "płatny w siedzibie posiadacza" in text
    assert "co najmniej 7 dni" in text  # notice before filling it in
    assert "zwróci mi weksel albo go zniszczy" in text
    assert "Zgoda małżonka" in text


def test_a_draft_prints_with_blanks_for_the_dates(bare_participant, stock, coordinator):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    text = pdf_text(papers.agreement_pdf(agreement))
    assert "Lębork, ………" in text
    assert "3 lat liczony od dnia przekazania sprzętu, potwierdzonego protokołem" in text
    for asset in stock:
        assert asset.serial_number in text


def test_the_return_protocol_lists_what_came_back(agreement, coordinator):
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu.", actor=coordinator)
    asset = agreement.items.get(asset__kind="computer_set").asset
    # Printed before the return, the protocol is a form: blank lines where the return date, the
    # condition and the place go, the due date apart from the table that is signed.
    before = pdf_text(papers.return_pdf(agreement))
    assert "jeszcze nie" not in before
    assert "Data zwrotu ………" in before and "Miejsce ………" in before
    due = agreement.items.get(asset=asset).return_due_on
    assert f"Termin zwrotu sprzętu {due:%d.%m.%Y}" in before
    agreements.do_record_return(agreement, [(asset, "worn", "bez uwag")], DAY, actor=coordinator)
    text = pdf_text(papers.return_pdf(agreement))
    assert "PROTOKÓŁ ZWROTU SPRZĘTU" in text
    assert asset.serial_number in text
    assert DAY.strftime("%d.%m.%Y") in text and "normalne zużycie" in text


def test_user_data_is_escaped_in_the_papers(agreement):
    signatory = agreement.signatory
    signatory.first_name = '<img src="file:///etc/passwd">'
    signatory.save()
    text = pdf_text(papers.agreement_pdf(LoanAgreement.objects.get(pk=agreement.pk)))
    assert '<img src="file:///etc/passwd">' in text


def test_all_agreements_of_the_call_in_one_pdf_in_the_background(client, call, make_user):
    user = make_user(roles.COORDINATOR)
    client.force_login(user)
    response = client.post(reverse("lending:agreements_batch_pdf"), {"call": call.pk})
    generated = GeneratedFile.objects.get(created_by=user)
    assert PersonalDataAccess.objects.filter(
        user=user, view_name="lending:agreements_batch_pdf", object_id=str(call.pk)
    ).exists()
    assert response["Location"] == reverse("core:generated_file", args=[generated.pk])
    assert generated.status == "done"
    agreements = LoanAgreement.objects.filter(status__in=["draft", "signed", "active"])
    assert (generated.done, generated.total) == (agreements.count(), agreements.count())
    download = client.get(reverse("core:generated_file_download", args=[generated.pk]))
    reader = PdfReader(BytesIO(b"".join(download.streaming_content)))
    assert len(reader.pages) >= 3 * agreements.count()
    # The PDF's outline (from the papers' headings) lists every agreement with its annexes;
    # reading it is much quicker than extracting the text of some 300 pages.
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    numbers = sorted(agreements.values_list("number", flat=True))
    assert (
        sorted(t.removeprefix("UMOWA UŻYCZENIA nr ") for t in titles if t.startswith("UMOWA"))
        == numbers
    )
    assert (
        titles.count("DEKLARACJA WEKSLOWA")
        == titles.count("PROTOKÓŁ ZDAWCZO-ODBIORCZY")
        == len(numbers)
    )
    # Each agreement numbers its own pages, and holds its borrower.
    last = agreements.select_related("signatory").order_by("number").last()
    first_page = " ".join(reader.pages[0].extract_text().split())
    last_pages = " ".join(" ".join(p.extract_text() for p in reader.pages[-4:]).split())
    assert re.search(r"Strona 1 z [3-6]\b", first_page)
    assert last.signatory.last_name in last_pages and last.number in last_pages


def test_the_batch_needs_a_call_and_a_post(client, make_user):
    client.force_login(make_user(roles.COORDINATOR))
    assert client.get(reverse("lending:agreements_batch_pdf"))["Location"] == reverse(
        "lending:agreement_list"
    )
    client.post(reverse("lending:agreements_batch_pdf"), {"call": "999999"})
    assert not GeneratedFile.objects.exists()
