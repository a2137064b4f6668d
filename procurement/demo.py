"""Demo data of procurement: every procedure of the project page (seeds/000_…txt, DOMAIN.md's
"Procurement" table) with its real BZP numbers and dates, the annulment of 235583-2012 and its
re-announcement as 460720-2012, and the contracts with their real signing dates.

Made up (the demo banner says so): case references, estimated values, prices, scores, the dates
not on the project page (deadlines, openings, awards, terms), the reason for the annulment, the
suppliers' NIP/REGON (valid checksums) and addresses, and every bidder that did not win. The
requests for quotation for stickers, conference gifts and the insurance got made-up winners and
contracts too. So did the durability period's procurement (all made up): the Internet for
2014-2016 and 2017-2018 (two open tenders won by Sieć Pomorska) and the equipment's insurance
renewed every year until 31.12.2018; after the durability end no contract covers the Internet.

Idempotent: a procedure whose case reference exists is left alone; suppliers are matched by NIP.
Everything goes through the same services as the pages, so the timelines are complete.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from lebork_einclusion import clock

from .models import Procedure, Supplier
from .services import procedures

WARSAW = ZoneInfo("Europe/Warsaw")

# Contract numbers other apps' demos link to (lending: equipment, Internet, insurance;
# training: the training firm's contract).
EQUIPMENT_CONTRACT = "RZP.272.14.2012"
INTERNET_CONTRACT = "RZP.272.19.2012"
TRAINING_CONTRACT = "RZP.272.15.2012"
INSURANCE_CONTRACT = "PTU/2012/11/0457"
LAB_SUPERVISION_CONTRACT = "RZP.272.1.2013"
# The durability period (2014-2018): the Internet after the first contract ended on 31.12.2013,
# by open tenders (art. 142 ust. 1 Pzp: a services contract runs 4 years at most, so two
# contracts), and the equipment's insurance renewed each year by a request for quotation; in
# the order of their terms. Lending's demo moves the connections and the equipment onto each.
INTERNET_CONTRACTS_DURABILITY = ("RZP.272.24.2013", "RZP.272.31.2016")
INSURANCE_RENEWALS = (
    "PTU/2013/11/1184",
    "PTU/2014/11/1327",
    "PTU/2015/11/1402",
    "PTU/2016/11/1519",
    "PTU/2017/11/1655",
)

# The procedures and suppliers (demo_data/*.json). Each procedure: what the office registered,
# its announcement, offers [supplier, received, gross price, score or null], and either the
# award and contract or the annulment (and its re-announcement).
DATA = Path(__file__).resolve().parent / "demo_data"


def _data(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def d(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def at(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%d.%m.%Y %H:%M").replace(tzinfo=WARSAW)


def money(text: str) -> Decimal:
    return Decimal(text)


def _suppliers() -> dict[str, Supplier]:
    found = {}
    for key, fields in _data("suppliers.json").items():
        fields = dict(fields)
        supplier, _created = Supplier.objects.get_or_create(nip=fields.pop("nip"), defaults=fields)
        found[key] = supplier
    return found


def _run(procedure, spec, suppliers, actor):
    """Take a registered procedure through its announced steps, up to the office's today (a
    demo day, EINCLUSION_DEMO_TODAY): a step dated after it is not made, nor any after it."""
    today = clock.today()
    number, day, deadline = spec["announcement"]
    if d(day) > today:
        return procedure
    if procedure.status == Procedure.Status.IN_PREPARATION:
        procedure = procedures.do_announce(
            procedure,
            announcement_number=number,
            announcement_date=d(day),
            offers_deadline=at(deadline),
            actor=actor,
        )
    offers = {}
    if d(spec["opened_on"]) > today:
        return procedure
    for key, received, price, score in spec["offers"]:
        offers[key] = procedures.do_record_offer(
            procedure,
            bidder=suppliers[key],
            received_at=at(received),
            price=money(price),
            score=money(score) if score else None,
            criteria=f"cena {score.replace('.', ',')} pkt" if score else "",
            actor=actor,
        )
    procedure = procedures.do_open_offers(procedure, opened_on=d(spec["opened_on"]), actor=actor)
    if "annulment" in spec:
        day, reason = spec["annulment"]
        if d(day) > today:
            return procedure
        return procedures.do_annul(procedure, annulled_on=d(day), reason=reason, actor=actor)
    winner, day, justification = spec["award"]
    if d(day) > today:
        return procedure
    procedure = procedures.do_award(
        procedure,
        offer=offers[winner],
        award_date=d(day),
        justification=justification,
        actor=actor,
    )
    contract = spec["contract"]
    if d(contract["signed_on"]) > today:
        return procedure
    procedures.do_sign_contract(
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
    for spec in _data("procedures.json"):
        if Procedure.objects.filter(reference=spec["reference"]).exists():
            continue
        if d(spec["registered_on"]) > clock.today():
            continue
        procedure = procedures.do_register_procedure(
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
        if (
            again
            and procedure.status == Procedure.Status.ANNULLED
            and d(again["announcement"][1]) <= clock.today()
        ):
            number, day, deadline = again["announcement"]
            fresh = procedures.do_reannounce(
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
