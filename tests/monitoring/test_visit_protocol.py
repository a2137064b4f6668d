"""The visit protocol (protokół z wizyty monitorującej): one visit, or all of a month's visits
in one PDF made in the background; read back with pypdf."""

import contextlib
import datetime
import io
import uuid

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lebork_einclusion import roles
from lebork_einclusion.models import GeneratedFile
from lending.services import lent_assets
from monitoring import papers, visits
from monitoring.models import MonitoringVisit
from monitoring.services.visits import CheckInput, do_record_visit


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_one_visit_s_protocol_holds_the_serials_findings_photos_and_signatures(client_as):
    visit = MonitoringVisit.objects.exclude(signature="").filter(photos__isnull=False).first()
    response = client_as(roles.AUDITOR).get(reverse("monitoring:visit_pdf", args=[visit.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    assert "Protokół z wizyty monitorującej" in text
    assert f"Gospodarstwo domowe {visit.participant.application.number}" in text
    for check in visit.checks.all():
        assert check.serial_number in text
    assert "uszkodzony" in text and "pionowe pasy na ekranie" in text
    assert "Uszkodzony monitor zestawu" in text
    assert "Przekazać monitor do serwisu gwarancyjnego MAXTO" in text
    assert f"Beneficjent (lub członek gospodarstwa domowego): {visit.signed_by}" in text
    assert "Specjalista ds. monitoringu: Ewa Wizytacyjna" in text
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 3  # two photos' thumbnails and the signature
    assert "Strona 1 z" in text


def test_the_protocol_escapes_what_was_typed_and_fetches_nothing_else(officer, household):
    visit, _created = do_record_visit(
        household,
        key=uuid.uuid4(),
        actor=officer,
        visited_at=timezone.make_aware(datetime.datetime(2013, 4, 10, 9)),
        outcome="made",
        checks=[CheckInput(a.serial_number, "present") for a in lent_assets(household)],
        connection_working=True,
        not_sold=True,
        not_lent=True,
        lawful_use=True,
        findings='<img src="file:///etc/passwd"> <b>pogrubione</b>',
    )
    fetcher = papers.VisitFileFetcher()
    context = papers._protocol_context(
        visits.with_details(MonitoringVisit.objects.filter(pk=visit.pk)).get(),
        fetcher,
        None,
        timezone.localtime(),
    )
    from lebork_einclusion.pdf import render_pdf

    text = pdf_text(render_pdf("monitoring/pdf/visit.html", context, fetcher=fetcher))
    assert '<img src="file:///etc/passwd">' in text
    assert fetcher.refused == []
    assert all(not url.startswith("file:") for url in fetcher.served)


def test_a_month_of_protocols_is_made_in_the_background_as_one_pdf(officer_phone):
    response = officer_phone.post(reverse("monitoring:visits_month_pdf", args=[2013, 3]))
    generated = GeneratedFile.objects.get(filename="protokoly-wizyt-2013-03.pdf")
    assert response["Location"] == reverse("core:generated_file", args=[generated.pk])
    assert generated.status == "done" and generated.done == generated.total == 69
    with generated.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert text.count("Protokół z wizyty monitorującej") == 69
    march = MonitoringVisit.objects.filter(visited_at__year=2013, visited_at__month=3)
    for number in march.values_list("participant__application__number", flat=True):
        assert f"Gospodarstwo domowe {number}" in text
    assert "nikogo nie zastano" in text


def test_a_month_without_visits_says_so(officer_phone):
    # The demo's rounds are in the spring (and a few in the summer): none in January 2014.
    response = officer_phone.post(
        reverse("monitoring:visits_month_pdf", args=[2014, 1]), follow=True
    )
    assert "W miesiącu styczeń 2014 nie przeprowadzono wizyt." in response.content.decode()
    assert not GeneratedFile.objects.filter(filename="protokoly-wizyt-2014-01.pdf").exists()


def test_the_visit_page_shows_what_the_protocol_prints(officer_phone):
    visit = MonitoringVisit.objects.exclude(exclusion_proposal=None).first()
    page = officer_phone.get(reverse("monitoring:visit_detail", args=[visit.pk])).content.decode()
    assert "naruszone" in page
    assert "wniosek o wykluczenie gospodarstwa do decyzji koordynatora" in page
    assert reverse("monitoring:visit_pdf", args=[visit.pk]) in page


def test_the_protocol_is_archived_when_the_visit_is_recorded_and_served_as_signed(
    officer, household, client_as, django_capture_on_commit_callbacks
):
    import hashlib

    from lebork_einclusion import archive
    from recruitment.models import Application

    with django_capture_on_commit_callbacks(execute=True):
        visit, _created = do_record_visit(
            household,
            key=uuid.uuid4(),
            actor=officer,
            visited_at=timezone.make_aware(datetime.datetime(2013, 4, 10, 9)),
            outcome="made",
            checks=[CheckInput(a.serial_number, "present") for a in lent_assets(household)],
            connection_working=True,
            not_sold=True,
            not_lent=True,
            lawful_use=True,
            findings="Sprzęt w dobrym stanie, używany codziennie.",
        )
    stored = archive.find(visit, papers.VISIT_PROTOCOL)
    assert stored is not None and stored.archived_by == officer
    content = archive.stored_bytes(stored)
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    assert "Sprzęt w dobrym stanie" in pdf_text(content) and "PROJEKT" not in pdf_text(content)
    MonitoringVisit.objects.filter(pk=visit.pk).update(findings="Dopisane po wizycie.")
    Application.objects.filter(pk=household.application_id).update(street="ul. Zupełnie Nowa")
    response = client_as(roles.AUDITOR).get(reverse("monitoring:visit_pdf", args=[visit.pk]))
    assert response.content == content
    assert response["X-Content-SHA256"] == stored.sha256
    live = pdf_text(papers.visit_pdf(visits.with_details(MonitoringVisit.objects).get(pk=visit.pk)))
    assert "Dopisane po wizycie." in live  # a fresh rendering would print the change


def test_a_refused_visit_archives_nothing(officer, household, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from lebork_einclusion.models import ArchivedPaper

    before = ArchivedPaper.objects.count()
    with django_capture_on_commit_callbacks(execute=True), contextlib.suppress(ValidationError):
        do_record_visit(
            household,
            key=uuid.uuid4(),
            actor=officer,
            visited_at=None,
            outcome="made",
        )
    assert ArchivedPaper.objects.count() == before
