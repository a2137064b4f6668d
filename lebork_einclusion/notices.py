"""Starting texts of the information clause and the accessibility statement.

They are the municipality's documents, in Polish, and the coordinator edits them on their pages
(the data protection officer should confirm the clause before the first call). Until someone
saves them, the public pages show these texts.
"""

import datetime

PRIVACY_NOTICE = {
    "controller": (
        "Gmina Miasto Lębork reprezentowana przez Burmistrza Miasta Lęborka, "
        "Urząd Miejski w Lęborku, ul. Armii Krajowej 14, 84-300 Lębork."
    ),
    "controller_contact": "tel. 59 000 00 00, e-mail: sekretariat@um.lebork.example",
    "dpo_contact": (
        "Inspektor ochrony danych: e-mail iod@um.lebork.example, "
        "pisemnie na adres Urzędu Miejskiego w Lęborku, ul. Armii Krajowej 14, 84-300 Lębork."
    ),
    "purposes": (
        "Przeprowadzenie rekrutacji i realizacja projektu „Przeciwdziałanie wykluczeniu "
        "cyfrowemu na terenie Gminy Miasto Lębork” (Program Operacyjny Innowacyjna Gospodarka, "
        "działanie 8.3): ocena wniosków, zawarcie i wykonanie umów użyczenia sprzętu i weksli, "
        "szkolenia, wizyty monitorujące w okresie trwałości projektu, rozliczenie i kontrola "
        "projektu oraz archiwizacja jego dokumentacji."
    ),
    "legal_basis": (
        "Art. 6 ust. 1 lit. c RODO – obowiązek prawny wynikający z przepisów o realizacji "
        "programów współfinansowanych ze środków Unii Europejskiej, z umowy o dofinansowanie "
        "oraz z przepisów o narodowym zasobie archiwalnym i archiwach; art. 6 ust. 1 lit. e "
        "RODO – zadanie realizowane w interesie publicznym (przeciwdziałanie wykluczeniu "
        "cyfrowemu mieszkańców); art. 6 ust. 1 lit. b RODO – zawarcie i wykonanie umowy "
        "użyczenia."
    ),
    "health_data_basis": (
        "Dane o niepełnosprawności (orzeczenia) są danymi o zdrowiu. Przetwarzamy je na "
        "podstawie art. 9 ust. 2 lit. a RODO – wyraźnej zgody wyrażonej we wniosku, gdy osoba "
        "ubiega się o punkty za kryterium niepełnosprawności – a dokumentację złożoną w "
        "rekrutacji przechowujemy do celów kontroli projektu na podstawie art. 9 ust. 2 lit. g "
        "RODO w związku z przepisami o rozliczaniu środków Unii Europejskiej."
    ),
    "recipients": (
        "Instytucje uczestniczące we wdrażaniu i kontroli Programu Operacyjnego Innowacyjna "
        "Gospodarka oraz inne organy uprawnione do kontroli projektu; wykonawcy dostarczający "
        "sprzęt, dostęp do Internetu i szkolenia – w zakresie niezbędnym do wykonania umów; "
        "podmioty świadczące Administratorowi usługi informatyczne i archiwizacyjne na "
        "podstawie umów powierzenia przetwarzania danych."
    ),
    "retention": (
        "Dane przechowujemy przez czas realizacji projektu i jego trwałości, a następnie przez "
        "okres przechowywania dokumentacji projektu wymagany umową o dofinansowanie i "
        "przepisami o archiwizacji; potem dane są anonimizowane."
    ),
    "rights": (
        "Przysługuje Pani/Panu prawo dostępu do swoich danych i otrzymania ich kopii, ich "
        "sprostowania, ograniczenia przetwarzania, a w przypadkach przewidzianych prawem – "
        "usunięcia danych i wniesienia sprzeciwu. Zgodę na przetwarzanie danych o zdrowiu "
        "można wycofać w dowolnym momencie; nie wpływa to na zgodność z prawem przetwarzania "
        "dokonanego przed jej wycofaniem."
    ),
    "complaint": (
        "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych "
        "Osobowych, ul. Stawki 2, 00-193 Warszawa."
    ),
    "requirement": (
        "Podanie danych jest dobrowolne, ale niezbędne do udziału w rekrutacji i w projekcie. "
        "Podanie danych o niepełnosprawności jest dobrowolne i wpływa wyłącznie na przyznanie "
        "punktów za to kryterium."
    ),
    "automated_decisions": (
        "Dane nie służą do zautomatyzowanego podejmowania decyzji, w tym profilowania: system "
        "podlicza punkty, a o zakwalifikowaniu decyduje komisja rekrutacyjna."
    ),
}


def accessibility_statement_defaults(today: datetime.date) -> dict:
    return {
        "entity": "Urząd Miejski w Lęborku",
        "site_name": "aplikacji internetowej Biuro projektu eInclusion",
        "site_url": "https://einclusion.lebork.example/",
        "published_on": today,
        "updated_on": today,
        "status": "partial",
        "non_accessible": (
            "Dokumenty PDF przygotowane do druku (umowy użyczenia, deklaracje wekslowe, "
            "listy obecności, zaświadczenia) nie mają struktury znaczników; te same dane są "
            "dostępne na stronach aplikacji."
        ),
        "exemptions": (
            "Skany dokumentów dołączane do wniosków (orzeczenia, zaświadczenia): treści "
            "pochodzące od osób trzecich, niewytworzone przez Urząd."
        ),
        "prepared_on": today,
        "reviewed_on": today,
        "method": "self",
        "auditor": "",
        "keyboard_shortcuts": (
            "Aplikację można obsługiwać wyłącznie klawiaturą: klawisz Tab przechodzi do "
            "kolejnych elementów, a pierwszy link na każdej stronie („Przejdź do treści "
            "głównej”) pomija menu. Aplikacja nie definiuje własnych skrótów klawiaturowych; "
            "działają standardowe skróty przeglądarki."
        ),
        "contact_person": "Maria Przykładowa",
        "contact_email": "dostepnosc@um.lebork.example",
        "contact_phone": "59 000 00 00",
        "architecture": (
            "Urząd Miejski w Lęborku, ul. Armii Krajowej 14, 84-300 Lębork. Opis dostępności "
            "budynku (wejścia, pochylnie, windy, toalety, miejsca parkingowe dla osób z "
            "niepełnosprawnościami, pętla indukcyjna, wstęp z psem asystującym) podaje "
            "deklaracja dostępności Urzędu; projekt obsługuje interesantów w tym budynku."
        ),
        "sign_language": (
            "Osoby uprawnione mogą skorzystać z pomocy tłumacza polskiego języka migowego "
            "(PJM), systemu językowo-migowego (SJM) lub sposobu komunikowania się osób "
            "głuchoniewidomych (SKOGN), zgłaszając to co najmniej 3 dni robocze przed wizytą."
        ),
        "mobile_apps": "Projekt nie udostępnia aplikacji mobilnych.",
    }
