"""Demo data of lending: the 75 households of the demo main list take part from 14.11.2012 (the
opening conference); MAXTO delivers 160 computer sets under the equipment contract (75 for the
households, 85 for the seven units' labs); each household signs its loan agreement with a blank
promissory note and gets its set at home between late November and early December 2012;
SCORPION-COMPUTER connects the households and the units after its contract of 12.12.2012.
In February 2013 one household resigns: the first on the reserve list takes its place (version 2
of the lists), gets the returned set under a new agreement and its own connection. The
Internet and the insurance are procured again for 2014-2018. Run by monitoring's demo, in time
order with its visits: the exclusion of 2014 (the household that lent its set to a neighbour
again) with a promotion from the reserve list (replace_excluded), the annexes extending each
agreement in force to the durability end (extend_to_durability_end), and the closure on
02.01.2019, the first working day after the durability end (close_durability): most households
keep their equipment for ownership, every tenth returns it in January 2019, the notes go back
or are destroyed.

Made up (the demo banner says so): models, serial and inventory numbers, dates not on the
project page, the resignation and everything about it. Idempotent: nothing is added when the
equipment contract already has assets. Everything goes through the services, as the pages do.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from lebork_einclusion import archive, clock
from lebork_einclusion.models import Project, PublicUnit
from procurement.demo import (
    EQUIPMENT_CONTRACT,
    INSURANCE_CONTRACT,
    INSURANCE_RENEWALS,
    INTERNET_CONTRACT,
    INTERNET_CONTRACTS_DURABILITY,
)
from procurement.models import Contract
from recruitment.models import Call
from recruitment.services import do_add_notification

from . import queries
from .models import (
    Asset,
    Connection,
    ConnectionPeriod,
    LoanAgreement,
    Outage,
    Participant,
    ParticipationEnd,
    PromissoryNote,
    ServiceRecord,
)
from .services import agreements, annexes, connections, equipment, participation, transfers

JOINED = datetime.date(2012, 11, 14)
DELIVERED = datetime.date(2012, 11, 23)
PREPARED = datetime.date(2012, 11, 26)  # the agreements printed with the delivered serials
LABS_EQUIPPED = datetime.date(2012, 12, 17)
MODEL = (
    'MAXTO Profi i3 (Intel Core i3-2120, 4 GB RAM, 500 GB) z monitorem LCD 21,5", '
    "Windows 7 Professional, pakiet biurowy"
)
# The 160 sets cost 389 420.00 PLN gross: 2433.875 PLN each, so half are priced a grosz up.
PRICES = (Decimal("2433.88"), Decimal("2433.87"))
HOUSEHOLD_SETS = 75
# Sets per unit's lab (85 in all), by the units' short names.
LAB_SETS = {"SP3": 12, "SP5": 12, "SP8": 12, "ZS3": 13, "G1": 12, "G2": 12, "ŚDS": 12}
# Signing days at the project office; each set is installed at home the next working day.
SIGNING_DAYS = [
    datetime.date(2012, 11, 27),
    datetime.date(2012, 11, 28),
    datetime.date(2012, 11, 29),
    datetime.date(2012, 11, 30),
    datetime.date(2012, 12, 3),
    datetime.date(2012, 12, 4),
    datetime.date(2012, 12, 5),
    datetime.date(2012, 12, 6),
]
INSTALLATION_DAYS = [datetime.date(2012, 12, 17) + datetime.timedelta(days=d) for d in range(10)]
TECHNOLOGY = "ADSL/radiowy, 2 Mb/s, router Wi-Fi"
# The provider's network devices (its contract includes their delivery): one per household and
# one per unit, delivered before the installations.
ROUTERS_DELIVERED = datetime.date(2012, 12, 14)
ROUTER_MODEL = "TP-Link TL-WR740N, router Wi-Fi 150 Mb/s z modemem ADSL"
ROUTER_PRICE = Decimal("119.00")
RESIGNING = 44  # the 45th household in registration order resigns
# The durability period: each agreement is extended by an annex signed a month before its 3-year
# term ends, to the durability end (31.12.2018).
ANNEX_REASON = (
    "Zachowanie trwałości projektu: sprzęt i dostęp do Internetu pozostają u uczestnika do końca "
    "okresu trwałości projektu."
)


def _next_working_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def serial(n: int) -> str:
    return f"MX1211{n:04d}"


def delivery_rows() -> list[dict]:
    """The supplier's delivery list as tables.read_table() returns it."""
    return [
        {
            "_row": n + 1,
            "rodzaj": "zestaw komputerowy",
            "marka i model": MODEL,
            "numer seryjny": serial(n),
            "numer inwentarzowy": f"UM/8.3/2012/{n:03d}",
            "wartość": str(PRICES[n % 2]),
            "gwarancja do": "31.12.2018",
        }
        for n in range(1, HOUSEHOLD_SETS + sum(LAB_SETS.values()) + 1)
    ]


def router_serial(n: int) -> str:
    return f"SC1212{n:04d}"


def router_rows() -> list[dict]:
    """The provider's delivery list of network devices, as tables.read_table() returns it."""
    return [
        {
            "_row": n + 1,
            "rodzaj": "router",
            "marka i model": ROUTER_MODEL,
            "numer seryjny": router_serial(n),
            "numer inwentarzowy": f"UM/8.3/2012/R{n:03d}",
            "wartość": str(ROUTER_PRICE),
            "gwarancja do": "31.12.2015",
        }
        for n in range(1, HOUSEHOLD_SETS + len(LAB_SETS) + 1)
    ]


def issuer_document(index: int) -> dict:
    """A made-up identity card number for the promissory-note declaration."""
    return {"issuer_document_type": "id_card", "issuer_document_number": f"AWX{100000 + index}"}


def _participants(call, coordinator):
    if not Participant.objects.filter(application__call=call).exists():
        for application in queries.main_list_applications(call).order_by("sequence"):
            participation.do_enrol(application, JOINED, actor=coordinator)
    return list(
        Participant.objects.filter(application__call=call).order_by("application__sequence")
    )


def load(stdout=None):
    # Hundreds of papers nobody opens: each is archived on its first opening instead.
    with archive.suspended():
        _load(stdout)


def _load(stdout=None):
    call = Call.objects.filter(code="2012").first()
    if call is None:
        return
    coordinator = get_user_model().objects.get(username="koordynator")
    participants = _participants(call, coordinator)
    supply = Contract.objects.filter(number=EQUIPMENT_CONTRACT).first()
    internet = Contract.objects.filter(number=INTERNET_CONTRACT).first()
    if supply is None or internet is None or Asset.objects.filter(contract=supply).exists():
        return
    insurance = Contract.objects.filter(number=INSURANCE_CONTRACT).first()
    assets = equipment.do_import_delivery(
        delivery_rows(), supply, DELIVERED, insurance_contract=insurance, actor=coordinator
    )
    assets.sort(key=lambda asset: asset.serial_number)
    household_sets, lab_sets = assets[:HOUSEHOLD_SETS], assets[HOUSEHOLD_SETS:]
    routers = equipment.do_import_delivery(
        router_rows(), internet, ROUTERS_DELIVERED, actor=coordinator
    )
    routers.sort(key=lambda asset: asset.serial_number)
    household_routers, unit_routers = routers[:HOUSEHOLD_SETS], routers[HOUSEHOLD_SETS:]

    # The labs of the seven units.
    start = 0
    for number, (short_name, count) in enumerate(LAB_SETS.items()):
        unit = PublicUnit.objects.get(short_name=short_name)
        equipment.do_place_in_unit(
            [*lab_sets[start : start + count], unit_routers[number]],
            unit,
            LABS_EQUIPPED,
            actor=coordinator,
        )
        start += count
        connections.do_connect(
            unit,
            internet,
            datetime.date(2012, 12, 17),
            technology="światłowód, 20 Mb/s",
            actor=coordinator,
        )

    # One agreement, one note, one set and one connection per household.
    for index, (participant, asset, router) in enumerate(
        zip(participants, household_sets, household_routers, strict=False)
    ):
        signed = SIGNING_DAYS[index * len(SIGNING_DAYS) // len(participants)]
        agreement = agreements.do_create_agreement(
            participant, [asset], PREPARED, actor=coordinator
        )
        agreements.do_sign_agreement(agreement, signed, actor=coordinator, **issuer_document(index))
        agreements.do_hand_over(agreement, _next_working_day(signed), actor=coordinator)
        installed = INSTALLATION_DAYS[index % len(INSTALLATION_DAYS)]
        connections.do_connect(
            participant, internet, installed, technology=TECHNOLOGY, actor=coordinator
        )
        # The provider's router comes with the connection and is lent under the agreement.
        agreements.do_lend_network_device(agreement, router, installed, actor=coordinator)

    _life(participants, lab_sets, coordinator)
    _resignation(participants[RESIGNING], internet, coordinator)
    _internet_through_durability(coordinator)
    if stdout:
        stdout.write(
            f"lending: {Asset.objects.count()} assets, "
            f"{Participant.objects.count()} participants, one resignation promoted from the "
            "reserve list"
        )


def _life(participants, lab_sets, coordinator):
    """A few things that happen in the first months: an outage, a warranty repair."""
    connection = queries.active_connection(participants[3])
    outage = connections.do_report_outage(
        connection,
        datetime.date(2013, 1, 8),
        "Brak dostępu do Internetu od rana; router nie łączy się z siecią.",
        actor=coordinator,
    )
    connections.do_close_outage(
        outage,
        datetime.date(2013, 1, 9),
        "Wymiana zasilacza routera przez dostawcę.",
        actor=coordinator,
    )
    equipment.do_record_service(
        lab_sets[0],
        "Wymiana uszkodzonego dysku twardego w ramach gwarancji.",
        kind=ServiceRecord.Kind.WARRANTY,
        started_on=datetime.date(2013, 1, 21),
        completed_on=datetime.date(2013, 1, 24),
        actor=coordinator,
    )


def _resignation(participant, internet, coordinator):
    """§7: a household resigns in writing; the first on the reserve list takes its place."""
    end = participation.do_end_participation(
        participant,
        ParticipationEnd.Kind.RESIGNATION,
        datetime.date(2013, 2, 11),
        "Wyjazd rodziny za granicę na stałe (pismo z 04.02.2013).",
        statement_on=datetime.date(2013, 2, 4),
        return_due_on=datetime.date(2013, 2, 25),
        actor=coordinator,
    )
    agreement = end.agreement
    lent = sorted(queries.lent_assets(participant), key=lambda asset: asset.kind)
    agreements.do_record_return(
        agreement,
        [
            (asset, Asset.Condition.WORN, "Kompletny, ślady normalnego użytkowania.")
            for asset in lent
        ],
        datetime.date(2013, 2, 15),
        actor=coordinator,
    )
    agreements.do_release_note(
        PromissoryNote.objects.get(agreement=agreement),
        PromissoryNote.Status.RETURNED,
        datetime.date(2013, 2, 18),
        "Weksel zwrócony wystawcy za pokwitowaniem w Biurze Projektu; protokół nr 1/2013.",
        actor=coordinator,
    )
    promoted = end.promoted
    do_add_notification(
        promoted.application,
        "phone",
        datetime.date(2013, 2, 12),
        "Awans z listy rezerwowej; umówiono podpisanie umowy.",
        actor=coordinator,
    )
    new = agreements.do_create_agreement(
        promoted, lent, datetime.date(2013, 2, 18), actor=coordinator
    )
    agreements.do_sign_agreement(
        new, datetime.date(2013, 2, 20), actor=coordinator, **issuer_document(RESIGNING + 100)
    )
    agreements.do_hand_over(new, datetime.date(2013, 2, 21), actor=coordinator)
    connections.do_connect(
        promoted, internet, datetime.date(2013, 2, 26), technology=TECHNOLOGY, actor=coordinator
    )


def extend_to_durability_end(coordinator):
    """Each agreement in force is extended by an annex to the durability end, drafted six weeks
    and signed a month before its 3-year term ends, as the town did (late 2015, and 2017 for
    the household promoted in 2014). Run by monitoring's demo after the exclusion of 2014 (no
    annex for an agreement ended before it). An annex dated after the office's today (a demo
    day, EINCLUSION_DEMO_TODAY) is not made: the demo lives up to that day; an agreement
    already extended is left alone."""
    today = clock.today()
    end = Project.current().durability_end
    in_force = (
        LoanAgreement.objects.filter(status=LoanAgreement.Status.ACTIVE)
        .exclude(annexes__isnull=False)
        .order_by("participant__application__sequence")
    )
    for agreement in in_force:
        signed = agreement.ends_on - datetime.timedelta(days=30)
        if signed > today:
            continue
        annex = annexes.do_draft_annex(
            agreement,
            end,
            ANNEX_REASON,
            agreement.ends_on - datetime.timedelta(days=44),
            actor=coordinator,
        )
        annexes.do_sign_annex(annex, signed, actor=coordinator)


# --- the Internet and the insurance through the durability period (2014-2018) -----------------

# A few outages a year: (year's index in the order of open connections, start, end or None,
# description, resolution). Households are picked among the connections open when this runs;
# the units by their short names. The unit's outage of 29.06-01.07.2016 and the household's of
# 28.06-02.07.2013 are open at the end of 30.06 of their years (the indicators' test says so).
HOUSEHOLD_OUTAGES = [
    (0, "28.06.2013", "02.07.2013", "Uszkodzony kabel od anteny po burzy.", "Wymiana kabla."),
    (5, "14.03.2014", "17.03.2014", "Brak sygnału po zmianie dostawcy.", "Nowa konfiguracja."),
    (12, "22.10.2014", "23.10.2014", "Router nie uruchamia się.", "Wymiana zasilacza."),
    (20, "09.02.2015", "11.02.2015", "Bardzo wolne łącze wieczorami.", "Zmiana kanału radiowego."),
    (27, "18.08.2015", "19.08.2015", "Brak Internetu po burzy.", "Wymiana routera."),
    (33, "05.04.2016", "06.04.2016", "Zerwane połączenie co kilka minut.", "Wymiana anteny."),
    (40, "12.01.2017", "16.01.2017", "Brak sygnału po przejęciu sieci.", "Nowa konfiguracja."),
    (52, "27.09.2017", "28.09.2017", "Router nie łączy się z siecią.", "Reset i aktualizacja."),
    (60, "06.03.2018", "08.03.2018", "Brak dostępu do Internetu.", "Naprawa linii u dostawcy."),
    (68, "19.11.2018", "20.11.2018", "Uszkodzony zasilacz routera.", "Wymiana zasilacza."),
]
UNIT_OUTAGES = [
    ("SP5", "29.06.2016", "01.07.2016", "Awaria łącza światłowodowego w szkole.", "Spaw włókna."),
    ("G1", "03.05.2018", "04.05.2018", "Brak Internetu w pracowni.", "Wymiana przełącznika."),
]


def _day(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def _internet_through_durability(coordinator):
    """The first Internet contract ended on 31.12.2013: the town procured the Internet for
    2014-2016 and 2017-2018 (procurement's demo) and the connections moved onto each contract
    on its first day; the insurance was renewed every year; a few outages a year. No contract
    pays for the Internet after 31.12.2018 (the durability end): the connections stay on record,
    and the pages say no contract covers them.
    Idempotent: nothing happens once the connections were moved off the first contract."""
    today = clock.today()
    # A contract procurement's demo has not signed by the office's today (a demo day) is not
    # there: the connections move onto those there are, on their first day if it has come.
    contracts = [
        contract
        for contract in (
            Contract.objects.filter(number=number).first()
            for number in INTERNET_CONTRACTS_DURABILITY
        )
        if contract is not None and contract.term_start <= today
    ]
    first = Contract.objects.filter(number=INTERNET_CONTRACT).first()
    if first is None:
        return
    if contracts and ConnectionPeriod.objects.filter(contract=contracts[0]).exists():
        return
    if Outage.objects.filter(description=HOUSEHOLD_OUTAGES[0][3]).exists():
        return
    durability_start = datetime.date(2014, 1, 1)
    _outages(coordinator, until=durability_start)
    previous = first
    for contract in contracts:
        connections.do_move_connections(previous, contract, contract.term_start, actor=coordinator)
        previous = contract
    insurance = Contract.objects.filter(number=INSURANCE_CONTRACT).first()
    for number in INSURANCE_RENEWALS:
        renewal = Contract.objects.filter(number=number).first()
        if insurance and renewal:
            equipment.do_renew_insurance(insurance, renewal, actor=coordinator)
            insurance = renewal
    if contracts:
        _outages(coordinator, since=durability_start)


def _outages(coordinator, *, since=None, until=None):
    def wanted(start):
        return (since is None or start >= since) and (until is None or start < until)

    households = list(
        Connection.objects.filter(participant__isnull=False)
        .exclude(status=Connection.Status.ENDED)
        .order_by("installed_on", "pk")
    )
    picks = [(households[i % len(households)], *rest) for i, *rest in HOUSEHOLD_OUTAGES]
    for short_name, *rest in UNIT_OUTAGES:
        unit = Connection.objects.filter(public_unit__short_name=short_name).exclude(
            status=Connection.Status.ENDED
        )
        picks.extend((connection, *rest) for connection in unit[:1])
    today = clock.today()
    for connection, start, end, description, resolution in picks:
        if not wanted(_day(start)) or _day(start) > today:
            continue
        outage = connections.do_report_outage(
            connection, _day(start), description, actor=coordinator
        )
        if end and _day(end) <= today:
            connections.do_close_outage(outage, _day(end), resolution, actor=coordinator)


# --- the replacement of 2014 and the closure at the durability end (run by monitoring's demo) --
# Monitoring's demo records its visits against what each household holds when it records them,
# so these steps run from there, in time order with the visits (monitoring is the top layer).

EXCLUSION_DECIDED_AFTER = 14  # days from the visit to the coordinator's decision


def replace_excluded(proposal, day: datetime.date, coordinator):
    """§7.4: the coordinator accepts the proposal to exclude a household (its visit found the
    set lent outside the household again), the set and the router come back, the note goes
    back to the issuer, and the first on the reserve list takes the place under a new agreement
    with the returned equipment, its connection on the provider's contract of that day and an
    annex to the durability end. Steps dated after the office's today are not made."""
    today = clock.today()
    returned = day + datetime.timedelta(days=7)
    if returned + datetime.timedelta(days=21) > today:
        return None
    participation.do_decide_exclusion(
        proposal,
        True,
        "Ponowne użyczenie zestawu osobie spoza gospodarstwa domowego mimo pouczenia z 2013 r. "
        "(§ 6 ust. 4 umowy, § 7 ust. 4 regulaminu).",
        decided_on=day,
        return_due_on=day + datetime.timedelta(days=14),
        actor=coordinator,
    )
    end = ParticipationEnd.objects.get(exclusion_proposal=proposal)
    agreement = end.agreement
    lent = sorted(queries.lent_assets(end.participant), key=lambda asset: asset.kind)
    agreements.do_record_return(
        agreement,
        [(asset, Asset.Condition.WORN, "Zwrot po wykluczeniu z projektu.") for asset in lent],
        returned,
        actor=coordinator,
    )
    agreements.do_release_note(
        PromissoryNote.objects.get(agreement=agreement),
        PromissoryNote.Status.RETURNED,
        returned + datetime.timedelta(days=3),
        "Weksel zwrócony wystawcy za pokwitowaniem w Biurze Projektu; protokół nr 2/2014.",
        actor=coordinator,
    )
    promoted = end.promoted
    if promoted is None:
        return end
    do_add_notification(
        promoted.application,
        "phone",
        day + datetime.timedelta(days=1),
        "Awans z listy rezerwowej; umówiono podpisanie umowy.",
        actor=coordinator,
    )
    new = agreements.do_create_agreement(
        promoted, lent, returned + datetime.timedelta(days=3), actor=coordinator
    )
    signed = _next_working_day(returned + datetime.timedelta(days=4))
    agreements.do_sign_agreement(new, signed, actor=coordinator, **issuer_document(RESIGNING + 200))
    agreements.do_hand_over(new, _next_working_day(signed), actor=coordinator)
    installed = _next_working_day(_next_working_day(signed) + datetime.timedelta(days=2))
    durability_contracts = [
        contract
        for contract in (
            Contract.objects.filter(number=number).first()
            for number in INTERNET_CONTRACTS_DURABILITY
        )
        if contract is not None
    ]
    contract = next(c for c in durability_contracts if c.term_start <= installed <= c.term_end)
    connections.do_connect(promoted, contract, installed, technology=TECHNOLOGY, actor=coordinator)
    # The other connections moved onto the next contract on its first day (lending's demo, run
    # earlier): this one follows when that day has come.
    for later in durability_contracts[durability_contracts.index(contract) + 1 :]:
        if later.term_start <= today:
            connections.do_move_connections(contract, later, later.term_start, actor=coordinator)
            contract = later
    return end


# The closure, on the first working day after the durability end (31.12.2018: the agreements,
# extended to it by their annexes, are in force to its end, and the last durability report
# counts them): by the mayor's decision most households keep their equipment for ownership; the
# households that asked to give it back (every tenth in registration order) return it in the
# first days of January 2019. The notes of the households who keep their
# equipment go back to them at the signing of the transfer protocol, except those of the
# households who did not come to collect them: destroyed by a commission. The notes of the
# returning households are returned once their equipment is back.
CLOSURE_BASIS = (
    "Zarządzenie nr 312/2018 Burmistrza Miasta Lęborka z dnia 14.12.2018 r. w sprawie "
    "przekazania na własność uczestnikom projektu sprzętu komputerowego po okresie trwałości."
)
CLOSURE_DAY = datetime.date(2019, 1, 2)  # 01.01 is a public holiday
RETURN_REASON = "Koniec okresu trwałości projektu; uczestnik wybrał zwrot sprzętu (pismo)."
RETURN_DUE = datetime.date(2019, 1, 15)
RETURN_DAYS = [datetime.date(2019, 1, 4), datetime.date(2019, 1, 8), datetime.date(2019, 1, 10)]
NOTES_DESTROYED_ON = datetime.date(2019, 1, 31)


def close_durability(coordinator):
    """The end of the durability period, through lending's services; steps dated after the
    office's today are left for the pages (the "Terminy" page lists what is still to do).
    Idempotent: agreements already transferred or ended are not touched again."""
    today = clock.today()
    end = CLOSURE_DAY
    if today < end:
        return 0, 0
    in_force = list(
        LoanAgreement.objects.filter(status=LoanAgreement.Status.ACTIVE).order_by(
            "participant__application__sequence"
        )
    )
    returning = []
    transferred = 0
    for index, agreement in enumerate(in_force):
        note = PromissoryNote.objects.filter(agreement=agreement).first()
        if index % 10 == 9:
            agreements.do_end_agreement(
                agreement, end, RETURN_REASON, return_due_on=RETURN_DUE, actor=coordinator
            )
            returning.append(agreement)
            continue
        transfers.do_transfer_ownership(agreement, end, CLOSURE_BASIS, actor=coordinator)
        transferred += 1
        if note is None:
            continue
        if index % 10 == 4:  # not collected: destroyed by the commission at the end of January
            if today >= NOTES_DESTROYED_ON:
                agreements.do_release_note(
                    note,
                    PromissoryNote.Status.DESTROYED,
                    NOTES_DESTROYED_ON,
                    "Weksel niezgłoszony do odbioru zniszczony komisyjnie (niszczarka) w "
                    "obecności dwóch pracowników Biura Projektu; protokół zniszczenia nr 1/2019.",
                    actor=coordinator,
                )
        else:
            agreements.do_release_note(
                note,
                PromissoryNote.Status.RETURNED,
                end,
                f"Weksel zwrócony wystawcy przy podpisaniu protokołu przekazania sprzętu na "
                f"własność; protokół zwrotu nr {index + 1}/2018.",
                actor=coordinator,
            )
    for number, agreement in enumerate(returning):
        day = RETURN_DAYS[number % len(RETURN_DAYS)]
        if day > today:
            continue
        lent = sorted(queries.lent_assets(agreement.participant), key=lambda asset: asset.kind)
        agreements.do_record_return(
            agreement,
            [(asset, Asset.Condition.WORN, "Zwrot po okresie trwałości.") for asset in lent],
            day,
            actor=coordinator,
        )
        note = PromissoryNote.objects.filter(agreement=agreement).first()
        if note is not None:
            agreements.do_release_note(
                note,
                PromissoryNote.Status.RETURNED,
                day,
                f"Weksel zwrócony wystawcy po zwrocie sprzętu; protokół zwrotu nr {number + 1}/2019.",
                actor=coordinator,
            )
    return transferred, len(returning)


def reject_exclusion(proposal, day: datetime.date, reason: str, coordinator):
    """The coordinator rejects a proposal to exclude a household (the set came back)."""
    if day <= clock.today():
        participation.do_decide_exclusion(
            proposal, False, reason, decided_on=day, actor=coordinator
        )
