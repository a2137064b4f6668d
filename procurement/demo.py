"""Demo data of procurement: every procedure of the project page (seeds/000_…txt, DOMAIN.md's
"Procurement" table) with its real BZP numbers and dates, the annulment of 235583-2012 and its
re-announcement as 460720-2012, and the contracts with their real signing dates.

Made up (the demo banner says so): case references, estimated values, prices, scores, the dates
not on the project page (deadlines, openings, awards, terms), the reason for the annulment, the
suppliers' NIP/REGON (valid checksums) and addresses, and every bidder that did not win. The
requests for quotation for stickers, conference gifts and the insurance got made-up winners and
contracts too.

Idempotent: a procedure whose case reference exists is left alone; suppliers are matched by NIP.
Everything goes through the same services as the pages, so the timelines are complete.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from . import services
from .models import Procedure, Supplier

WARSAW = ZoneInfo("Europe/Warsaw")

# Contract numbers other apps' demos link to (lending: equipment, Internet, insurance;
# training: the training firm's contract).
EQUIPMENT_CONTRACT = "RZP.272.14.2012"
INTERNET_CONTRACT = "RZP.272.19.2012"
TRAINING_CONTRACT = "RZP.272.15.2012"
INSURANCE_CONTRACT = "PTU/2012/11/0457"
LAB_SUPERVISION_CONTRACT = "RZP.272.1.2013"

# key: (name, NIP, REGON, street, postal code, city, contact person, phone)
SUPPLIERS = {
    "maxto": (
        "MAXTO Sp. z o.o. S.K.A.",
        "1753590892",
        "457146379",
        "ul. Przemysłowa 12",
        "30-701",
        "Kraków",
        "Adam Nowicki",
        "12 345 67 89",
    ),
    "scorpion": (
        "SCORPION-COMPUTER",
        "4269994857",
        "949036003",
        "ul. Kościuszki 5",
        "84-300",
        "Lębork",
        "Robert Lis",
        "59 862 11 22",
    ),
    "dwcom": (
        "DWCom s.c.",
        "6256352678",
        "194826880",
        "ul. Wojska Polskiego 20",
        "84-300",
        "Lębork",
        "Dariusz Wrona",
        "59 862 33 44",
    ),
    "ap_edukacja": (
        "AP Edukacja",
        "5729650776",
        "492271278",
        "ul. Grunwaldzka 100",
        "80-244",
        "Gdańsk",
        "Agnieszka Pawlak",
        "58 345 66 77",
    ),
    "stickers": (
        "Drukarnia Przykładowa Sp. z o.o.",
        "7020185029",
        "080918610",
        "ul. Drukarska 3",
        "76-200",
        "Słupsk",
        "Halina Drukarz",
        "59 841 00 01",
    ),
    "gifts": (
        "Upominki Przykładowe s.c.",
        "8803536882",
        "344928052",
        "ul. Handlowa 8",
        "84-300",
        "Lębork",
        "Marek Upominek",
        "59 862 55 66",
    ),
    "insurer": (
        "Przykładowe Towarzystwo Ubezpieczeń S.A.",
        "6160914806",
        "204610746",
        "ul. Polisowa 1",
        "00-001",
        "Warszawa",
        "Biuro obsługi klienta",
        "22 600 00 00",
    ),
    "komputer_serwis": (
        "Komputer-Serwis Przykładowy Sp. z o.o.",
        "7093262623",
        "286987384",
        "ul. Serwisowa 14",
        "81-001",
        "Gdynia",
        "",
        "",
    ),
    "siec_pomorska": (
        "Sieć Pomorska Przykładowa Sp. z o.o.",
        "3692799066",
        "892625350",
        "ul. Światłowodowa 2",
        "80-001",
        "Gdańsk",
        "",
        "",
    ),
    "szkolenia": (
        "Szkolenia Przykładowe Sp. z o.o.",
        "7345797810",
        "310842532",
        "ul. Szkoleniowa 9",
        "76-200",
        "Słupsk",
        "",
        "",
    ),
}

BROADBAND = (
    "Podłączenie i konfiguracja szerokopasmowego Internetu wraz z dostawą urządzeń sieciowych "
    "oraz zapewnienie dostępu do szerokopasmowego Internetu 75 gospodarstwom domowym "
    "i 7 jednostkom publicznym – beneficjentom projektu"
)

OPEN = Procedure.ProcedureType.OPEN_TENDER
RFQ = Procedure.ProcedureType.REQUEST_FOR_QUOTATION
SUPPLIES = Procedure.Kind.SUPPLIES
SERVICES = Procedure.Kind.SERVICES


def d(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%d.%m.%Y %H:%M").replace(tzinfo=WARSAW)


def money(text: str) -> Decimal:
    return Decimal(text)


# Each procedure: what the office registered, its announcement, offers (supplier, received,
# gross price, score or None), and either the award and contract or the annulment.
PROCEDURES = [
    {
        "reference": "RZP.271.1.2012",
        "subject": "Dostawa sprzętu komputerowego i jego serwis",
        "description": (
            "160 zestawów komputerowych z oprogramowaniem: 75 dla gospodarstw domowych "
            "i 85 dla 7 jednostek publicznych, z instalacją i serwisem."
        ),
        "kind": SUPPLIES,
        "procedure_type": OPEN,
        "estimated": ("325203.25", "400000.00"),
        "registered_on": "10.10.2012",
        "announcement": ("408664-2012", "19.10.2012", "29.10.2012 10:00"),
        "opened_on": "29.10.2012",
        "offers": [
            ("komputer_serwis", "26.10.2012 13:40", "398850.00", "97.64"),
            ("maxto", "29.10.2012 09:12", "389420.00", "100.00"),
        ],
        "award": ("maxto", "06.11.2012", "Oferta z najniższą ceną (cena 100%)."),
        "contract": {
            "number": EQUIPMENT_CONTRACT,
            "signed_on": "14.11.2012",
            "value": ("316601.63", "389420.00"),
            "term": ("14.11.2012", "31.12.2018"),
            "scope": (
                "Dostawa 160 zestawów komputerowych z oprogramowaniem (75 dla gospodarstw "
                "domowych, 85 dla 7 jednostek publicznych), instalacja u użytkowników i serwis "
                "gwarancyjny do końca okresu trwałości projektu."
            ),
        },
    },
    {
        "reference": "RZP.271.2.2012",
        "subject": BROADBAND,
        "kind": SERVICES,
        "procedure_type": OPEN,
        "estimated": ("243902.44", "300000.00"),
        "registered_on": "31.10.2012",
        "announcement": ("235583-2012", "07.11.2012", "19.11.2012 10:00"),
        "opened_on": "19.11.2012",
        "offers": [
            ("siec_pomorska", "16.11.2012 12:10", "297500.00", None),
            ("scorpion", "19.11.2012 08:30", "292000.00", None),
        ],
        "annulment": (
            "20.11.2012",
            "Art. 93 ust. 1 pkt 7 ustawy Pzp: postępowanie obarczone niemożliwą do usunięcia "
            "wadą – sprzeczne wymagania SIWZ co do minimalnej przepustowości łączy.",
        ),
        "reannouncement": {
            "reference": "RZP.271.3.2012",
            "announcement": ("460720-2012", "20.11.2012", "28.11.2012 10:00"),
            "opened_on": "28.11.2012",
            "offers": [
                ("siec_pomorska", "27.11.2012 11:20", "296100.00", "97.04"),
                ("scorpion", "28.11.2012 08:45", "287340.00", "100.00"),
            ],
            "award": ("scorpion", "04.12.2012", "Oferta z najniższą ceną (cena 100%)."),
            "contract": {
                "number": INTERNET_CONTRACT,
                "signed_on": "12.12.2012",
                "value": ("233609.76", "287340.00"),
                "term": ("12.12.2012", "31.12.2013"),
                "scope": (
                    "Podłączenie i konfiguracja szerokopasmowego Internetu z dostawą urządzeń "
                    "sieciowych; dostęp do Internetu dla 75 gospodarstw domowych i 7 jednostek "
                    "publicznych do końca realizacji projektu."
                ),
            },
        },
    },
    {
        "reference": "RZP.271.4.2012",
        "subject": "Opiekunowie sal komputerowych w jednostkach podległych",
        "description": (
            "Opieka nad pracowniami komputerowymi w 6 szkołach i w Środowiskowym Domu "
            "Samopomocy: udostępnianie sal według harmonogramu, pomoc użytkownikom."
        ),
        "kind": SERVICES,
        "procedure_type": OPEN,
        "estimated": ("81300.81", "100000.00"),
        "registered_on": "05.12.2012",
        "announcement": ("510054-2012", "13.12.2012", "21.12.2012 10:00"),
        "opened_on": "21.12.2012",
        "offers": [
            ("komputer_serwis", "20.12.2012 14:30", "98400.00", "92.68"),
            ("dwcom", "21.12.2012 09:05", "91200.00", "100.00"),
        ],
        "award": ("dwcom", "07.01.2013", "Oferta z najniższą ceną (cena 100%)."),
        "contract": {
            "number": LAB_SUPERVISION_CONTRACT,
            "signed_on": "14.01.2013",
            "value": ("74146.34", "91200.00"),
            "term": ("15.01.2013", "31.12.2013"),
            "scope": "Opieka nad salami komputerowymi w 7 jednostkach podległych.",
        },
    },
    {
        "reference": "ZO.1.2012",
        "subject": "Przeprowadzenie szkoleń z podstawowej obsługi komputera i Internetu",
        "description": "Moduł 1: 96 godzin szkolenia, 8 grup po 12 godzin.",
        "kind": SERVICES,
        "procedure_type": RFQ,
        # Training is exempt from VAT: net and gross are the same.
        "estimated": ("34000.00", "34000.00"),
        "registered_on": "25.10.2012",
        "announcement": ("", "29.10.2012", "06.11.2012 12:00"),
        "opened_on": "06.11.2012",
        "offers": [
            ("ap_edukacja", "05.11.2012 10:15", "31680.00", "100.00"),
            ("szkolenia", "06.11.2012 09:40", "33600.00", "94.29"),
        ],
        "award": ("ap_edukacja", "08.11.2012", "Oferta z najniższą ceną (cena 100%)."),
        "contract": {
            "number": TRAINING_CONTRACT,
            "signed_on": "14.11.2012",
            "value": ("31680.00", "31680.00"),
            "term": ("19.11.2012", "07.12.2012"),
            "scope": (
                "Szkolenia z podstawowej obsługi komputera i Internetu: 96 godzin "
                "(8 grup × 12 godzin), 19.11–07.12.2012."
            ),
        },
    },
    {
        "reference": "ZO.2.2012",
        "subject": "Wykonanie naklejek informacyjnych promujących projekt",
        "kind": SUPPLIES,
        "procedure_type": RFQ,
        "estimated": ("1626.02", "2000.00"),
        "registered_on": "05.11.2012",
        "announcement": ("", "07.11.2012", "09.11.2012 12:00"),
        "opened_on": "09.11.2012",
        "offers": [("stickers", "08.11.2012 14:20", "1476.00", None)],
        "award": ("stickers", "12.11.2012", "Jedyna oferta, w kwocie przeznaczonej na zamówienie."),
        "contract": {
            "number": "RZP.272.16.2012",
            "signed_on": "13.11.2012",
            "value": ("1200.00", "1476.00"),
            "term": ("13.11.2012", "23.11.2012"),
            "scope": "Naklejki informacyjne z logotypami programu na sprzęt komputerowy.",
        },
    },
    {
        "reference": "ZO.3.2012",
        "subject": "Upominki dla uczestników konferencji otwierającej projekt",
        "kind": SUPPLIES,
        "procedure_type": RFQ,
        "estimated": ("2439.02", "3000.00"),
        "registered_on": "12.11.2012",
        "announcement": ("", "13.11.2012", "13.11.2012 12:00"),
        "opened_on": "13.11.2012",
        "offers": [("gifts", "13.11.2012 11:30", "2583.00", None)],
        "award": ("gifts", "13.11.2012", "Jedyna oferta, w kwocie przeznaczonej na zamówienie."),
        "contract": {
            "number": "RZP.272.17.2012",
            "signed_on": "13.11.2012",
            "value": ("2100.00", "2583.00"),
            "term": ("13.11.2012", "14.11.2012"),
            "scope": "Upominki z logotypami projektu dla uczestników konferencji 14.11.2012.",
        },
    },
    {
        "reference": "ZO.4.2012",
        "subject": "Ubezpieczenie sprzętu komputerowego zakupionego w ramach projektu",
        "kind": SERVICES,
        "procedure_type": RFQ,
        # Insurance is exempt from VAT.
        "estimated": ("9000.00", "9000.00"),
        "registered_on": "20.11.2012",
        "announcement": ("", "21.11.2012", "28.11.2012 12:00"),
        "opened_on": "28.11.2012",
        "offers": [("insurer", "27.11.2012 09:50", "7840.00", None)],
        "award": ("insurer", "29.11.2012", "Jedyna oferta, w kwocie przeznaczonej na zamówienie."),
        "contract": {
            "number": INSURANCE_CONTRACT,
            "signed_on": "30.11.2012",
            "value": ("7840.00", "7840.00"),
            "term": ("01.12.2012", "30.11.2013"),
            "scope": (
                "Ubezpieczenie 160 zestawów komputerowych od kradzieży, zniszczenia "
                "i uszkodzenia, u użytkowników i w jednostkach publicznych."
            ),
        },
    },
]


def _suppliers() -> dict[str, Supplier]:
    found = {}
    for key, (name, nip, regon, street, postal, city, contact, phone) in SUPPLIERS.items():
        supplier, _created = Supplier.objects.get_or_create(
            nip=nip,
            defaults={
                "name": name,
                "regon": regon,
                "street": street,
                "postal_code": postal,
                "city": city,
                "contact_person": contact,
                "phone": phone,
            },
        )
        found[key] = supplier
    return found


def _run(procedure, spec, suppliers, actor):
    """Take a registered procedure through its announced steps."""
    number, day, deadline = spec["announcement"]
    if procedure.status == Procedure.Status.IN_PREPARATION:
        procedure = services.do_announce(
            procedure,
            announcement_number=number,
            announcement_date=d(day),
            offers_deadline=at(deadline),
            actor=actor,
        )
    offers = {}
    for key, received, price, score in spec["offers"]:
        offers[key] = services.do_record_offer(
            procedure,
            bidder=suppliers[key],
            received_at=at(received),
            price=money(price),
            score=money(score) if score else None,
            criteria=f"cena {score.replace('.', ',')} pkt" if score else "",
            actor=actor,
        )
    procedure = services.do_open_offers(procedure, opened_on=d(spec["opened_on"]), actor=actor)
    if "annulment" in spec:
        day, reason = spec["annulment"]
        return services.do_annul(procedure, annulled_on=d(day), reason=reason, actor=actor)
    winner, day, justification = spec["award"]
    procedure = services.do_award(
        procedure,
        offer=offers[winner],
        award_date=d(day),
        justification=justification,
        actor=actor,
    )
    contract = spec["contract"]
    services.do_sign_contract(
        procedure,
        number=contract["number"],
        signed_on=d(contract["signed_on"]),
        value_net=money(contract["value"][0]),
        value_gross=money(contract["value"][1]),
        scope=contract["scope"],
        term_start=d(contract["term"][0]),
        term_end=d(contract["term"][1]),
        manager="Maria Rozliczeniowa",
        actor=actor,
    )
    return procedure


def load(stdout=None):
    actor = get_user_model().objects.filter(username="finanse").first()
    suppliers = _suppliers()
    before = Procedure.objects.count()
    for spec in PROCEDURES:
        if Procedure.objects.filter(reference=spec["reference"]).exists():
            continue
        procedure = services.do_register_procedure(
            actor=actor,
            registered_on=d(spec["registered_on"]),
            reference=spec["reference"],
            subject=spec["subject"],
            description=spec.get("description", ""),
            kind=spec["kind"],
            procedure_type=spec["procedure_type"],
            estimated_value_net=money(spec["estimated"][0]),
            estimated_value_gross=money(spec["estimated"][1]),
        )
        procedure = _run(procedure, spec, suppliers, actor)
        again = spec.get("reannouncement")
        if again:
            number, day, deadline = again["announcement"]
            fresh = services.do_reannounce(
                procedure,
                reference=again["reference"],
                announcement_number=number,
                announcement_date=d(day),
                offers_deadline=at(deadline),
                actor=actor,
            )
            _run(fresh, again, suppliers, actor)
    if stdout:
        stdout.write(
            f"procurement: {Procedure.objects.count()} procedures "
            f"({Procedure.objects.count() - before} added), "
            f"{Supplier.objects.count()} suppliers"
        )
