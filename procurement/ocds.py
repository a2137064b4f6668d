"""The procedures as an Open Contracting Data Standard (OCDS) 1.1 release package.

One release per procedure, describing its current state: tender, award, contract (with its
amendments) and the parties with their roles. A re-announcement is a new contracting process
(its own ocid) that points at the annulled one through `relatedProcesses`. The published schema
this output is checked against is in `ocds_schema/` (tests/procurement/test_ocds.py).
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone

from lebork_einclusion import clock
from lebork_einclusion.models import Project

from .models import Contract, Offer, Procedure

OCDS_VERSION = "1.1"
# An ocid starts with a prefix the Open Contracting Partnership registers for the publisher.
# The town has none yet: the placeholder keeps the output valid but must be replaced before the
# data is published (settings.OCDS_PREFIX, from the environment's EINCLUSION_OCDS_PREFIX).
PLACEHOLDER_PREFIX = "ocds-000000"
CURRENCY = "PLN"
WARSAW = ZoneInfo("Europe/Warsaw")
BUYER_ID = "buyer"

S = Procedure.Status
TENDER_STATUS = {
    S.IN_PREPARATION: "planning",
    S.ANNOUNCED: "active",
    S.OFFERS_OPENED: "active",
    S.AWARDED: "complete",
    S.CONTRACT_SIGNED: "complete",
    S.ANNULLED: "cancelled",
}
METHOD = {
    # A request for quotation below the Pzp threshold goes to suppliers the office chooses.
    Procedure.ProcedureType.OPEN_TENDER: "open",
    Procedure.ProcedureType.REQUEST_FOR_QUOTATION: "limited",
}
METHOD_DETAILS = {
    Procedure.ProcedureType.OPEN_TENDER: "Przetarg nieograniczony",
    Procedure.ProcedureType.REQUEST_FOR_QUOTATION: "Zapytanie ofertowe",
}
CATEGORY = {Procedure.Kind.SUPPLIES: "goods", Procedure.Kind.SERVICES: "services"}


def prefix() -> str:
    return getattr(settings, "OCDS_PREFIX", PLACEHOLDER_PREFIX)


def ocid(procedure: Procedure) -> str:
    return f"{prefix()}-{procedure.pk}"


def export_queryset():
    """Procedures with everything a release needs, in a fixed number of queries."""
    return (
        Procedure.objects.select_related("winning_offer__bidder", "reannouncement_of")
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.select_related("bidder")),
            Prefetch(
                "contracts",
                queryset=Contract.objects.select_related("supplier").prefetch_related(
                    "amendments", "attachments"
                ),
            ),
            "reannouncements",
        )
        .annotate(last_change=Max("timeline__recorded_at"))
        .order_by("pk")
    )


def _moment(value) -> str | None:
    """OCDS dates are date-times with a time zone; a day is its midnight in Warsaw."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, WARSAW).isoformat()
    return datetime.datetime.combine(value, datetime.time(), tzinfo=WARSAW).isoformat()


def _amount(value: Decimal) -> dict:
    return {"amount": float(value), "currency": CURRENCY}


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _address(street="", postal_code="", city="") -> dict:
    return _drop_empty(
        {
            "streetAddress": street,
            "postalCode": postal_code,
            "locality": city,
            "countryName": "Polska",
        }
    )


def _buyer_party(project: Project | None) -> dict:
    name = project.owner_name if project else "Zamawiający"
    party = {"id": BUYER_ID, "name": name, "roles": ["buyer", "procuringEntity"]}
    if project:
        found = re.search(
            r"^(?P<street>.*?),?\s*(?P<postal>\d{2}-\d{3})\s+(?P<city>.+)$", project.owner_address
        )
        if found:
            party["address"] = _address(found["street"], found["postal"], found["city"])
        else:
            party["address"] = _address(project.owner_address)
    return party


def _supplier_id(supplier) -> str:
    return f"PL-NIP-{supplier.nip}"


def _supplier_party(supplier, roles: set[str]) -> dict:
    party = {
        "id": _supplier_id(supplier),
        "name": supplier.name,
        "additionalIdentifiers": [{"scheme": "PL-NIP", "id": supplier.nip}],
        "address": _address(supplier.street, supplier.postal_code, supplier.city),
        "roles": sorted(roles),
    }
    if supplier.regon:
        party["identifier"] = {
            "scheme": "PL-REGON",
            "id": supplier.regon,
            "legalName": supplier.name,
        }
    contact = _drop_empty(
        {
            "name": supplier.contact_person,
            "telephone": supplier.phone,
            "email": supplier.email,
        }
    )
    if contact:
        party["contactPoint"] = contact
    return party


def _reference(supplier) -> dict:
    return {"id": _supplier_id(supplier), "name": supplier.name}


def _tags(procedure: Procedure, contracts: list[Contract]) -> list[str]:
    if procedure.status == S.IN_PREPARATION:
        return ["planning"]
    if procedure.status == S.ANNULLED:
        return ["tenderCancellation"]
    tags = ["tender"]
    if procedure.winning_offer_id:
        tags.append("award")
    if contracts:
        tags.append("contract")
        if any(c.amendments.all() for c in contracts):
            tags.append("contractAmendment")
    return tags


def _tender(procedure: Procedure, offers: list[Offer], buyer: dict) -> dict:
    criteria = [f"cena {procedure.price_weight}%"]
    if procedure.other_criteria:
        criteria.append(procedure.other_criteria)
    tender = {
        "id": procedure.announcement_number or procedure.reference or str(procedure.pk),
        "title": procedure.subject,
        "description": procedure.description,
        "status": TENDER_STATUS[procedure.status],
        "procuringEntity": {"id": BUYER_ID, "name": buyer["name"]},
        "value": _amount(procedure.estimated_value_gross),
        "procurementMethod": METHOD[procedure.procedure_type],
        "procurementMethodDetails": METHOD_DETAILS[procedure.procedure_type],
        "mainProcurementCategory": CATEGORY[procedure.kind],
        "awardCriteria": "priceOnly" if procedure.price_weight == 100 else "ratedCriteria",
        "awardCriteriaDetails": "; ".join(criteria),
        "submissionMethod": ["written"],
    }
    if procedure.announcement_date:
        tender["tenderPeriod"] = _drop_empty(
            {
                "startDate": _moment(procedure.announcement_date),
                "endDate": _moment(procedure.offers_deadline),
            }
        )
    if procedure.status != S.IN_PREPARATION:
        tender["numberOfTenderers"] = len(offers)
        tender["tenderers"] = [_reference(o.bidder) for o in offers]
    documents = []
    if procedure.terms_of_reference:
        documents.append(
            {
                "id": "siwz",
                "documentType": "biddingDocuments",
                "title": "Specyfikacja istotnych warunków zamówienia (SIWZ)",
                "language": "pl",
            }
        )
    if procedure.announcement_number:
        documents.append(
            {
                "id": "bzp",
                "documentType": "tenderNotice",
                "title": f"Ogłoszenie o zamówieniu w BZP nr {procedure.announcement_number}",
                "datePublished": _moment(procedure.announcement_date),
                "language": "pl",
            }
        )
    if procedure.status == S.ANNULLED:
        documents.append(
            {
                "id": "annulment",
                "documentType": "cancellationDetails",
                "title": "Informacja o unieważnieniu postępowania",
                "description": procedure.annulment_reason,
                "datePublished": _moment(procedure.annulled_on),
                "language": "pl",
            }
        )
    if documents:
        tender["documents"] = documents
    return _drop_empty(tender)


def _award(procedure: Procedure) -> dict:
    offer = procedure.winning_offer
    return _drop_empty(
        {
            "id": f"{procedure.pk}-award",
            "title": procedure.subject,
            "description": procedure.award_justification,
            "status": "cancelled" if procedure.status == S.ANNULLED else "active",
            "date": _moment(procedure.award_date),
            "value": _amount(offer.price),
            "suppliers": [_reference(offer.bidder)],
        }
    )


def _contract(procedure: Procedure, contract: Contract, today: datetime.date) -> dict:
    status = "active" if contract.term_end >= today else "terminated"
    data = {
        "id": contract.number,
        "awardID": f"{procedure.pk}-award",
        "title": f"Umowa nr {contract.number}",
        "description": contract.scope,
        "status": status,
        "period": {
            "startDate": _moment(contract.term_start),
            "endDate": _moment(contract.term_end),
        },
        "value": _amount(contract.value_gross),
        "dateSigned": _moment(contract.signed_on),
        "documents": [
            _drop_empty(
                {
                    "id": f"attachment-{attachment.pk}",
                    "documentType": "contractAnnexe"
                    if attachment.amendment_id
                    else "contractSigned",
                    "title": attachment.title,
                    "datePublished": _moment(attachment.uploaded_at),
                }
            )
            for attachment in contract.attachments.all()
        ],
        "amendments": [
            _drop_empty(
                {
                    "id": amendment.number,
                    "date": _moment(amendment.signed_on),
                    "rationale": amendment.description,
                    "description": f"Aneks nr {amendment.number}",
                }
            )
            for amendment in contract.amendments.all()
        ],
    }
    return _drop_empty(data)


def release(procedure: Procedure, *, buyer: dict, today: datetime.date | None = None) -> dict:
    today = today or clock.today()
    offers = list(procedure.offers.all())
    contracts = list(procedure.contracts.all())
    roles: dict[int, tuple] = {}
    for offer in offers:
        roles.setdefault(offer.bidder_id, (offer.bidder, set()))[1].add("tenderer")
    if procedure.winning_offer_id:
        bidder = procedure.winning_offer.bidder
        roles.setdefault(bidder.pk, (bidder, set()))[1].add("supplier")
    for contract in contracts:
        roles.setdefault(contract.supplier_id, (contract.supplier, set()))[1].add("supplier")
    tender = _tender(procedure, offers, buyer)
    last_change = max(
        filter(
            None,
            [
                getattr(procedure, "last_change", None),
                procedure.created_at,
                *(a.uploaded_at for c in contracts for a in c.attachments.all()),
            ],
        )
    )
    data = {
        "ocid": ocid(procedure),
        "id": f"{ocid(procedure)}-{timezone.localtime(last_change, WARSAW):%Y%m%dT%H%M%S.%f}",
        "date": _moment(last_change),
        "tag": _tags(procedure, contracts),
        "initiationType": "tender",
        "language": "pl",
        "parties": [buyer] + [_supplier_party(s, r) for s, r in roles.values()],
        "buyer": {"id": BUYER_ID, "name": buyer["name"]},
        "tender": tender,
    }
    if procedure.winning_offer_id:
        data["awards"] = [_award(procedure)]
    if contracts and procedure.winning_offer_id:
        data["contracts"] = [_contract(procedure, c, today) for c in contracts]
    related = []
    if procedure.reannouncement_of_id:
        earlier = procedure.reannouncement_of
        related.append(
            {
                "id": "1",
                "relationship": ["unsuccessfulProcess"],
                "title": earlier.subject,
                "scheme": "ocid",
                "identifier": ocid(earlier),
            }
        )
    if related:
        data["relatedProcesses"] = related
    return data


def release_package(procedures, *, uri: str, published_date=None) -> dict:
    """The release package of `procedures` (use `export_queryset()` to build them)."""
    procedures = list(procedures)
    buyer = _buyer_party(Project.current())
    if published_date is None:
        changes = [p.last_change for p in procedures if getattr(p, "last_change", None)]
        published_date = max(changes) if changes else timezone.now()
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": _moment(published_date),
        "publisher": {"name": buyer["name"]},
        "releases": [release(p, buyer=buyer) for p in procedures],
    }
