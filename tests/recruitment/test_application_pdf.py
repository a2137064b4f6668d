"""The printed application: household, members, criteria, documents and the GDPR clause; and
the clause on the entry form."""

from io import BytesIO

from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion import roles
from lebork_einclusion.models import PersonalDataAccess, PrivacyNotice
from recruitment.models import Application


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split()
    )


def test_the_printed_application_holds_the_household_and_the_clause(client, make_user, db):
    user = make_user(roles.ASSISTANT)
    client.force_login(user)
    application = Application.objects.get(number="2012/001")
    response = client.get(reverse("recruitment:application_pdf", args=[application.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="wniosek-2012-001.pdf"'
    text = pdf_text(response.content)
    assert "Formularz zgłoszeniowy nr 2012/001" in text
    for member in application.members.all():
        assert f"{member.first_name} {member.last_name}" in text
        assert member.pesel in text
    for document in application.documents.all():
        assert document.get_doc_type_display()[:30] in text
    assert "Informacja o przetwarzaniu danych osobowych" in text
    assert PrivacyNotice.current().dpo_contact[:30] in text
    assert PersonalDataAccess.objects.filter(
        user=user, view_name="recruitment:application_pdf", object_id=str(application.pk)
    ).exists()


def test_finance_may_not_print_an_application(client, make_user, db):
    client.force_login(make_user(roles.FINANCE))
    application = Application.objects.get(number="2012/001")
    assert (
        client.get(reverse("recruitment:application_pdf", args=[application.pk])).status_code == 403
    )


def test_the_entry_form_shows_the_information_clause(client, make_user, db):
    client.force_login(make_user(roles.ASSISTANT))
    page = client.get(reverse("recruitment:application_new")).content.decode()
    assert "gdpr-clause" in page
    assert PrivacyNotice.current().controller.split()[0] in page
