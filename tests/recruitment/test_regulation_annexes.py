"""Annexes 1-8 of the Regulation (§5.3): blank forms from the call's page, pre-filled drafts
from an application's page, in the Regulation's Polish wording whatever the screen language."""

import re
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion import roles
from lebork_einclusion.models import ArchivedPaper, PersonalDataAccess
from recruitment import domain
from recruitment.annexes import ANNEXES
from recruitment.models import Application, ApplicationDocument, Call, HouseholdMember


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def polish_amount(value: Decimal) -> str:
    """1450.5 -> "1 450,50" (grouped by spaces, decimal comma), written out independently."""
    whole, fraction = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{' '.join(groups)},{fraction}"


# Each annex: its title as §5.3 names it and phrases of the Regulation the form must carry.
EXPECTED = {
    1: ["Deklaracja uczestnictwa w Projekcie", "§ 4 ust. 2 pkt 4", "umowę użyczenia"],
    2: ["Formularz zgłoszeniowy", "kserokopię dowodu osobistego", "Rodzinne domy dziecka",
        "systemu świadczeń z funduszu alimentacyjnego", "05.09.2012"],
    3: ["Rekomendacja do udziału w projekcie", "Uzasadnienie rekomendacji",
        "podpis osoby rekomendującej"],
    4: ["Dokument potwierdzający otrzymywanie stypendium szkolnego w roku szkolnym 2011/2012",
        "art. 90b ust. 1, 3 i 4"],
    5: ["Oświadczenie o dochodach netto oraz liczbie osób pozostających we wspólnym "
        "gospodarstwie domowym", "odpowiedzialności karnej"],
    6: ["Zaświadczenie z Miejskiego Ośrodka Pomocy Społecznej",
        "w ramach systemu świadczeń rodzinnych i świadczeń z funduszu alimentacyjnego",
        "art. 5 ust. 1 i 2 ustawy z dnia 28 listopada 2003 r. o świadczeniach rodzinnych"],
    7: ["Zaświadczenie z Miejskiego Ośrodka Pomocy Społecznej",
        "w ramach systemu pomocy społecznej", "art. 8 ust. 1 pkt 1 i 2"],
    8: ["Oświadczenie o niekorzystaniu ze środków publicznych na zakup sprzętu komputerowego "
        "lub Internetu"],
}  # fmt: skip


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.fixture
def application(db):
    return Application.objects.get(number="2012/001")


def applicant_of(application) -> HouseholdMember:
    return application.members.get(role=domain.APPLICANT)


def other_applicant(application) -> HouseholdMember:
    """The applicant of another household, with a surname nobody in this one has."""
    surnames = application.members.values_list("last_name", flat=True)
    return (
        HouseholdMember.objects.filter(role=domain.APPLICANT)
        .exclude(application=application)
        .exclude(last_name__in=list(surnames))
        .order_by("pk")
        .first()
    )


def test_the_table_holds_annexes_one_to_eight():
    assert sorted(ANNEXES) == list(range(1, 9))


@pytest.mark.parametrize("number", range(1, 9))
def test_a_blank_annex_carries_its_title_and_the_regulations_wording(client_as, call, number):
    response = client_as(roles.ASSISTANT).get(
        reverse("recruitment:annex_blank_pdf", args=[call.pk, number])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="zalacznik-{number}.pdf"'
    text = pdf_text(response.content)
    assert f"Załącznik nr {number} do Regulaminu rekrutacji i uczestnictwa" in text
    assert "Nr 77/2012 z dnia 31.07.2012" in text
    for phrase in EXPECTED[number]:
        assert phrase in text, (number, phrase)
    assert "……………" in text  # dotted lines to fill in by hand
    assert "wypełniony danymi z wniosku" not in text


def test_a_blank_annex_prints_in_polish_on_an_english_screen(client_as, call):
    client = client_as(roles.ASSISTANT)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("recruitment:annex_list", args=[call.pk])).content.decode()
    assert "Annexes to the Regulation" in page
    assert "Participation declaration" in page
    text = pdf_text(client.get(reverse("recruitment:annex_blank_pdf", args=[call.pk, 1])).content)
    assert "Deklaracja uczestnictwa w Projekcie" in text
    assert "Strona 1 z 1" in text


def test_the_calls_page_lists_the_eight_annexes_in_polish(client_as, call):
    client = client_as(roles.COMMITTEE)
    detail = client.get(reverse("recruitment:call_detail", args=[call.pk])).content.decode()
    assert reverse("recruitment:annex_list", args=[call.pk]) in detail
    page = client.get(reverse("recruitment:annex_list", args=[call.pk])).content.decode()
    assert "Załączniki do Regulaminu" in page
    for number in ANNEXES:
        assert reverse("recruitment:annex_blank_pdf", args=[call.pk, number]) in page
    assert "Pre-filled" not in page and "Wypełniony" not in page


def test_the_pre_filled_income_statement_holds_the_households_data(client_as, application):
    client = client_as(roles.ASSISTANT)
    archived = ArchivedPaper.objects.count()
    response = client.get(reverse("recruitment:annex_filled_pdf", args=[application.pk, 5]))
    assert response["Content-Disposition"] == ('attachment; filename="zalacznik-5-2012-001.pdf"')
    text = pdf_text(response.content)
    applicant = applicant_of(application)
    assert f"{applicant.first_name} {applicant.last_name}" in text
    assert applicant.pesel in text
    assert application.address in text
    members = list(application.members.all())
    for member in members:
        assert f"{member.first_name} {member.last_name}" in text
    income = application.monthly_net_income
    assert f"wynosi {polish_amount(income)} zł" in text
    per_person = income / len(members)
    assert f"kwotę {polish_amount(per_person)} zł" in text
    assert f"składa się z {len(members)} osób" in text
    assert "wypełniony danymi z wniosku nr 2012/001" in text
    other = other_applicant(application)
    assert other.last_name not in text and other.pesel not in text
    # A draft: rendered live, never archived; the access to personal data is logged.
    assert ArchivedPaper.objects.count() == archived
    assert PersonalDataAccess.objects.filter(
        user=client.user, view_name="recruitment:annex_filled_pdf", object_id=str(application.pk)
    ).exists()


@pytest.mark.parametrize("number", range(1, 9))
def test_every_pre_filled_annex_names_the_applicant_and_no_other(client_as, application, number):
    response = client_as(roles.COORDINATOR).get(
        reverse("recruitment:annex_filled_pdf", args=[application.pk, number])
    )
    text = pdf_text(response.content)
    assert EXPECTED[number][0] in text
    applicant = applicant_of(application)
    if number == 4:  # the scholarship confirmation names the pupils, one page each
        pupils = application.members.filter(school_scholarship=True)
        for pupil in pupils:
            assert f"{pupil.first_name} {pupil.last_name}" in text
        assert text.count("Dokument potwierdzający otrzymywanie stypendium szkolnego") == max(
            1, pupils.count()
        )
    elif number != 3:  # the recommendation names the household, not its PESEL
        assert applicant.pesel in text
    assert application.address in text
    other = other_applicant(application)
    assert other.pesel not in text and other.last_name not in text


def test_the_application_form_ticks_what_the_application_claims(client_as, db):
    application = Application.objects.filter(social_assistance=True, alimony_fund=False).first()
    text = pdf_text(
        client_as(roles.ASSISTANT)
        .get(reverse("recruitment:annex_filled_pdf", args=[application.pk, 2]))
        .content
    )
    assert "☒ 1) Gospodarstwo domowe spełniające kryterium dochodowe" in text
    assert "☐ 2a) Gospodarstwo domowe" in text
    assert "posiada komputer: ☐ tak ☒ nie" in text
    blank = pdf_text(
        client_as(roles.ASSISTANT)
        .get(reverse("recruitment:annex_blank_pdf", args=[application.call_id, 2]))
        .content
    )
    assert "☒" not in blank


def test_the_mops_certificate_leaves_the_mops_findings_blank(client_as, db):
    application = Application.objects.filter(social_assistance=True).first()
    text = pdf_text(
        client_as(roles.ASSISTANT)
        .get(reverse("recruitment:annex_filled_pdf", args=[application.pk, 7]))
        .content
    )
    assert applicant_of(application).pesel in text
    assert "☒" not in text  # the office does not certify for MOPS


def test_the_application_page_links_to_its_pre_filled_annexes(client_as, application):
    client = client_as(roles.ASSISTANT)
    detail = client.get(reverse("recruitment:application_detail", args=[application.pk]))
    url = reverse("recruitment:application_annexes", args=[application.pk])
    assert url in detail.content.decode()
    page = client.get(url).content.decode()
    for number in ANNEXES:
        assert reverse("recruitment:annex_filled_pdf", args=[application.pk, number]) in page
    assert applicant_of(application).pesel not in page


@pytest.mark.parametrize(
    ("url_name", "refused"),
    [
        ("recruitment:annex_filled_pdf", roles.COMMITTEE),
        ("recruitment:annex_filled_pdf", roles.FINANCE),
        ("recruitment:application_annexes", roles.MONITORING),
        ("recruitment:annex_blank_pdf", roles.FINANCE),
        ("recruitment:annex_list", roles.MONITORING),
    ],
)
def test_a_role_without_access_is_refused(client_as, application, url_name, refused):
    of_call = url_name in ("recruitment:annex_blank_pdf", "recruitment:annex_list")
    pk = application.call_id if of_call else application.pk
    args = [pk] if url_name.endswith(("list", "annexes")) else [pk, 1]
    assert client_as(refused).get(reverse(url_name, args=args)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, application):
    for url in (
        reverse("recruitment:annex_filled_pdf", args=[application.pk, 1]),
        reverse("recruitment:annex_blank_pdf", args=[application.call_id, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_an_unknown_application_or_annex_is_not_found(client_as, application):
    client = client_as(roles.COORDINATOR)
    missing = Application.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("recruitment:annex_filled_pdf", args=[missing, 1])).status_code == 404
    assert client.get(reverse("recruitment:application_annexes", args=[missing])).status_code == 404
    assert (
        client.get(reverse("recruitment:annex_filled_pdf", args=[application.pk, 9])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("recruitment:annex_blank_pdf", args=[application.call_id, 0])
        ).status_code
        == 404
    )


def test_queries_are_bounded(client_as, db):
    """The session and the user's roles, the application, the access log, the project, the
    Regulation's order, the members, the privacy notice: the same number for a household of one
    or of many (no query per member)."""
    client = client_as(roles.ASSISTANT)
    by_size = Application.objects.annotate(size=Count("members")).order_by("size", "pk")
    smallest, largest = by_size.first(), by_size.last()
    assert smallest.size < largest.size
    counts = []
    for application in (smallest, largest):
        url = reverse("recruitment:annex_filled_pdf", args=[application.pk, 2])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("recruitment:annex_blank_pdf", args=[smallest.call_id, 2]))
    assert len(queries) <= 13


def test_the_scholarship_confirmation_is_one_page_per_pupil(client_as, db):
    application = (
        Application.objects.annotate(
            pupils=Count("members", filter=Q(members__school_scholarship=True))
        )
        .filter(pupils__gte=2)
        .first()
        or Application.objects.filter(members__school_scholarship=True).first()
    )
    pupils = list(application.members.filter(school_scholarship=True))
    others = application.members.filter(school_scholarship=False)
    response = client_as(roles.ASSISTANT).get(
        reverse("recruitment:annex_filled_pdf", args=[application.pk, 4])
    )
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == len(pupils)
    for page, pupil in zip(reader.pages, pupils, strict=True):
        text = " ".join(page.extract_text().split())
        assert f"uczennica {pupil.first_name} {pupil.last_name}, PESEL {pupil.pesel}" in text
    text = pdf_text(response.content)
    for other in others:
        assert other.pesel not in text


def test_the_income_per_person_is_rounded_to_the_grosz(client_as, db):
    """1 000,00 zł for 3 persons is 333,33 zł; 1 001,00 zł is 333,67 zł (half up, not cut)."""
    application = Application.objects.annotate(size=Count("members")).filter(size=3).first()
    client = client_as(roles.ASSISTANT)
    url = reverse("recruitment:annex_filled_pdf", args=[application.pk, 5])
    for income, expected in (("1000.00", "333,33"), ("1001.00", "333,67")):
        Application.objects.filter(pk=application.pk).update(monthly_net_income=Decimal(income))
        text = pdf_text(client.get(url).content)
        assert f"kwotę {expected} zł" in text


def test_the_application_page_says_which_annexes_were_handed_in(client_as, application):
    declaration = application.documents.get(doc_type=domain.PARTICIPATION_DECLARATION)
    ApplicationDocument.objects.filter(pk=declaration.pk).update(verified_at=None)
    recorded = set(application.documents.values_list("doc_type", flat=True))
    page = (
        client_as(roles.ASSISTANT)
        .get(reverse("recruitment:application_annexes", args=[application.pk]))
        .content.decode()
    )
    states = {}
    for row in page.split("<tr>")[2:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        states[int(cells[0])] = cells[2].strip()
    assert states[1] == "złożony, jeszcze niezweryfikowany"
    for number, annex in ANNEXES.items():
        if annex.document not in recorded:
            assert states[number] == "nie złożono"
    assert "nie złożono" in states.values()
