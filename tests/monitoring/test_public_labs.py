"""The labs' hours published without login, and the poster: units, addresses, hours; nothing
personal (the units' contact people and phones stay inside the office)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion.models import PublicUnit
from monitoring.models import LabSchedule

CONTACT = "Zenobia Kontaktowa-Testowa"
PHONE = "59 999 88 77"


@pytest.fixture
def unit_with_contact(db):
    unit = PublicUnit.objects.get(short_name="SP3")
    unit.contact_person = CONTACT
    unit.phone = PHONE
    unit.save()
    return unit


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_anyone_sees_the_month_without_logging_in(client, unit_with_contact):
    response = client.get(reverse("monitoring:public_labs_month", args=[2013, 3]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sale komputerowe dostępne dla uczących się: marzec 2013" in page
    for unit in PublicUnit.objects.all():
        assert unit.name in page
        assert unit.street in page
    assert "wtorek, 05.03.2013" in page
    assert "14:00–16:00" in page
    assert CONTACT not in page
    assert PHONE not in page


def test_the_public_page_shows_no_staff_and_no_contract(client, unit_with_contact):
    schedule = (
        LabSchedule.objects.select_related("updated_by", "contract__supplier")
        .filter(month__year=2013, month__month=3)
        .first()
    )
    page = client.get(reverse("monitoring:public_labs_month", args=[2013, 3])).content.decode()
    assert schedule.updated_by.last_name not in page
    assert schedule.contract.number not in page


def test_a_month_without_hours_says_so(client, db):
    page = client.get(reverse("monitoring:public_labs_month", args=[2014, 3])).content.decode()
    assert page.count("Godziny na ten miesiąc nie zostały jeszcze opublikowane.") == 7


def test_the_public_page_opens_on_the_latest_published_month(client, db):
    response = client.get(reverse("monitoring:public_labs"))
    assert response.context["month"].isoformat() == "2013-10-01"


def test_the_public_page_keeps_its_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("monitoring:public_labs_month", args=[2013, 3]))


def test_the_poster_of_one_unit_has_its_name_address_and_hours(client, unit_with_contact):
    response = client.get(
        reverse("monitoring:public_lab_poster", args=[2013, 3]), {"unit": unit_with_contact.pk}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Sala komputerowa dostępna dla" in text
    assert "Szkoła Podstawowa nr 3 w Lęborku" in text
    assert "ul. Szkolna 3, 84-300 Lębork" in text
    assert "Godziny otwarcia: marzec 2013" in text
    assert "wtorek, 05.03.2013 14:00–16:00" in text
    assert "Gimnazjum nr 1" not in text
    assert CONTACT not in text
    assert PHONE not in text


def test_the_poster_of_all_units_has_a_page_each(client, db):
    response = client.get(reverse("monitoring:public_lab_poster", args=[2013, 7]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 7
    assert "Wakacje z Internetem" in reader.pages[0].extract_text()


def test_no_poster_for_a_month_without_hours(client, db):
    assert client.get(reverse("monitoring:public_lab_poster", args=[2014, 3])).status_code == 404
    response = client.get(reverse("monitoring:public_lab_poster", args=[2013, 3]), {"unit": "x"})
    assert response.status_code == 404
