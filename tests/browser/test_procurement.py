"""The finance officer enters the seed's broadband procurement end to end, in the browser:
the tender 235583-2012 announced on 07.11.2012 and annulled on 20.11.2012, its re-announcement
460720-2012, the offers, the award and the contract with SCORPION-COMPUTER of 12.12.2012."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lebork_einclusion import demo as core_demo
from procurement.models import Contract, Offer, Procedure, ProcedureEvent, Supplier

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

BROADBAND = (
    "Podłączenie i konfiguracja szerokopasmowego Internetu wraz z dostawą urządzeń sieciowych "
    "oraz zapewnienie dostępu do szerokopasmowego Internetu 75 gospodarstwom domowym "
    "i 7 jednostkom publicznym – beneficjentom projektu"
)


@pytest.fixture
def register_page(browser, live_server, transactional_db):
    """Users and the project only: the procurement register starts empty, so the real BZP
    numbers of the broadband tender are free to be entered. (Transactional tests see what the
    session's demo load committed: emptied here as pytest-django empties it afterwards.)"""
    call_command("flush", interactive=False, verbosity=0)
    core_demo.load(stdout=io.StringIO())
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def submit(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def add_supplier(page, name, nip, regon, street):
    page.get_by_role("link", name="Wykonawcy", exact=True).click()
    page.get_by_role("link", name="Dodaj wykonawcę").click()
    page.get_by_label("Nazwa").fill(name)
    page.get_by_label("NIP").fill(nip)
    page.get_by_label("REGON").fill(regon)
    page.get_by_label("Ulica i numer").fill(street)
    page.get_by_label("Kod pocztowy").fill("84-300")
    page.get_by_label("Miejscowość").fill("Lębork")
    submit(page, "Zapisz")


def record_offer(page, bidder, received_at, price):
    page.get_by_role("link", name="Zarejestruj ofertę").click()
    page.get_by_label("Wykonawca").select_option(label=bidder)
    page.get_by_label("Data i godzina wpływu").fill(received_at)
    page.get_by_label("Cena brutto (zł)").fill(price)
    submit(page, "Zarejestruj ofertę")
    assert page.get_by_role("status").inner_text() == "Oferta została zarejestrowana."


def test_the_finance_officer_enters_the_broadband_procurement(register_page):
    page = register_page
    log_in(page, "finanse")
    page.get_by_role("link", name="Zamówienia", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Postępowania o udzielenie zamówienia"
    )
    assert_accessible(page)

    # The two bidders; a mistyped NIP is refused with its reason and the input is kept.
    page.get_by_role("link", name="Wykonawcy", exact=True).click()
    page.get_by_role("link", name="Dodaj wykonawcę").click()
    page.get_by_label("Nazwa").fill("SCORPION-COMPUTER")
    page.get_by_label("NIP").fill("426-999-48-58")
    page.get_by_label("Ulica i numer").fill("ul. Kościuszki 5")
    page.get_by_label("Kod pocztowy").fill("84-300")
    page.get_by_label("Miejscowość").fill("Lębork")
    submit(page, "Zapisz")
    assert "Błędna suma kontrolna numeru NIP." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Nazwa").input_value() == "SCORPION-COMPUTER"
    assert not Supplier.objects.exists()
    assert_accessible(page)
    page.get_by_label("NIP").fill("426-999-48-57")
    submit(page, "Zapisz")
    assert page.get_by_role("heading", level=1).inner_text() == "SCORPION-COMPUTER"
    add_supplier(
        page, "Sieć Pomorska Przykładowa Sp. z o.o.", "3692799066", "892625350", "ul. Polna 2"
    )

    # The first tender: registered, announced in the BZP.
    page.get_by_role("link", name="Zamówienia", exact=True).click()
    page.get_by_role("link", name="Nowe postępowanie").click()
    page.get_by_label("Znak sprawy").fill("RZP.271.2.2012")
    page.get_by_label("Przedmiot zamówienia").fill(BROADBAND)
    page.get_by_label("Rodzaj zamówienia").select_option(label="usługi")
    page.get_by_label("Tryb").select_option(label="przetarg nieograniczony")
    page.get_by_label("Wartość szacunkowa netto (zł)").fill("243902.44")
    page.get_by_label("Wartość szacunkowa brutto (zł)").fill("300000.00")
    assert_accessible(page)
    submit(page, "Zapisz")
    page.get_by_role("link", name="Ogłoś", exact=True).click()
    page.get_by_label("Numer ogłoszenia").fill("235583-2012")
    page.get_by_label("Data ogłoszenia").fill("2012-11-07")
    page.get_by_label("Termin składania ofert").fill("2012-11-19T10:00")
    assert_accessible(page)
    submit(page, "Ogłoś")
    assert page.get_by_role("status").inner_text() == "Ogłoszenie zostało wprowadzone."
    assert "ogłoszone" in page.locator(".badge").first.inner_text()
    assert_accessible(page)

    # Annulled on 20.11.2012: without a reason the step is refused.
    page.get_by_role("link", name="Unieważnij", exact=True).click()
    page.get_by_label("Data unieważnienia").fill("2012-11-20")
    page.get_by_label("Potwierdzam").check()  # irreversible: the server asks
    submit(page, "Unieważnij")
    assert "Podaj przyczynę unieważnienia" in page.get_by_role("alert").inner_text()
    assert Procedure.objects.get().status == Procedure.Status.ANNOUNCED
    assert_accessible(page)
    page.get_by_label("Przyczyna unieważnienia").fill(
        "Art. 93 ust. 1 pkt 7 Pzp: wada postępowania niemożliwa do usunięcia."
    )
    submit(page, "Unieważnij")
    assert page.get_by_role("status").inner_text() == "Unieważnienie zostało wprowadzone."

    # Announced again the same day as 460720-2012.
    page.get_by_role("link", name="Ogłoś ponownie", exact=True).click()
    page.get_by_label("Znak sprawy nowego postępowania").fill("RZP.271.3.2012")
    page.get_by_label("Numer ogłoszenia").fill("460720-2012")
    page.get_by_label("Data ogłoszenia").fill("2012-11-20")
    page.get_by_label("Termin składania ofert").fill("2012-11-28T10:00")
    submit(page, "Ogłoś ponownie")
    assert page.get_by_role("status").inner_text() == "Nowe ogłoszenie zostało wprowadzone."
    assert "BZP 235583-2012" in page.locator("main").get_by_role("note").inner_text()
    assert_accessible(page)

    # The offers, the opening, the award.
    record_offer(page, "Sieć Pomorska Przykładowa Sp. z o.o.", "2012-11-27T11:20", "296100.00")
    record_offer(page, "SCORPION-COMPUTER", "2012-11-28T08:45", "287340.00")
    page.get_by_role("link", name="Otwórz oferty").click()
    page.get_by_label("Data otwarcia ofert").fill("2012-11-28")
    submit(page, "Wprowadź otwarcie ofert")
    page.get_by_role("link", name="Wybierz ofertę").click()
    winner = Offer.objects.get(bidder__name="SCORPION-COMPUTER")
    page.get_by_label("Wybrana oferta").select_option(value=str(winner.pk))
    page.get_by_label("Data wyboru oferty").fill("2012-12-04")
    page.get_by_label("Potwierdzam").check()
    assert_accessible(page)
    submit(page, "Wybierz ofertę")
    assert page.get_by_role("status").inner_text() == "Wybór oferty został wprowadzony."

    # The contract of 12.12.2012.
    page.get_by_role("link", name="Wprowadź zawartą umowę").click()
    page.get_by_label("Numer umowy").fill("RZP.272.19.2012")
    page.get_by_label("Data zawarcia").fill("2012-12-12")
    page.get_by_label("Wartość netto (zł)").fill("233609.76")
    assert page.get_by_label("Wartość brutto (zł)").input_value() == "287340.00"
    page.get_by_label("Okres obowiązywania od").fill("2012-12-12")
    page.get_by_label("Okres obowiązywania do").fill("2013-12-31")
    page.get_by_label("Potwierdzam").check()
    assert_accessible(page)
    submit(page, "Wprowadź umowę")
    assert page.get_by_role("status").inner_text() == "Umowa została wprowadzona."
    assert page.get_by_role("heading", level=1).inner_text() == "Umowa nr RZP.272.19.2012"
    assert_accessible(page)

    annulled = Procedure.objects.get(announcement_number="235583-2012")
    again = Procedure.objects.get(announcement_number="460720-2012")
    assert annulled.status == Procedure.Status.ANNULLED
    assert str(annulled.annulled_on) == "2012-11-20"
    assert again.reannouncement_of == annulled
    assert again.status == Procedure.Status.CONTRACT_SIGNED
    contract = Contract.objects.get()
    assert (contract.number, str(contract.signed_on)) == ("RZP.272.19.2012", "2012-12-12")
    assert contract.supplier.name == "SCORPION-COMPUTER"
    assert contract.procedure == again
    assert {e.actor.username for e in ProcedureEvent.objects.all()} == {"finanse"}

    # The timeline of the first procedure, as the detail page shows it.
    page.get_by_role("link", name=BROADBAND, exact=True).click()
    page.get_by_role("link", name="BZP 235583-2012").click()
    timeline = page.locator(".timeline").inner_text()
    for line in ("07.11.2012 · ogłoszono", "20.11.2012 · unieważniono", "ogłoszono ponownie"):
        assert line in timeline
    assert_accessible(page)


def test_the_register_pages_are_accessible_with_the_demo(page):
    log_in(page, "audytor")
    for url in ("/procurement/", "/procurement/suppliers/", "/procurement/contracts/"):
        page.goto(url)
        assert_accessible(page)
    procedure = Procedure.objects.get(announcement_number="408664-2012")
    page.goto(procedure.get_absolute_url())
    assert_accessible(page)
    page.goto(procedure.contracts.get().get_absolute_url())
    assert_accessible(page)
