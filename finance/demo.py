"""Demo data of finance: the funding agreement of the Lębork project with a budget whose amounts
are MADE UP (the agreement is flagged so, and every finance page and claim says it), the
expenditures the demo's procurement contracts imply (equipment, Internet, training, the labs'
supervisors, promotion, insurance) and three payment claims: an advance (paid), an interim claim
filed in 2013 (paid) and the final claim (corrections requested).

Two documents of July 2013 are in no claim yet (a claim for 01.07–30.09.2013 is still to be
made: the finance officer's to-do). The claims link no indicators snapshot: monitoring, above
finance, loads its demo (and freezes its snapshots) after this one.

Idempotent: nothing is done when the agreement exists. Everything goes through the services.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model

from lebork_einclusion import clock
from procurement.models import Contract, Supplier

from .models import Expenditure, FundingAgreement
from .queries import claim_summary
from .services import agreement as agreement_services
from .services import claims as claim_services
from .services import expenditures as expenditure_services

DATA = Path(__file__).resolve().parent / "demo_data" / "finance.json"
# Supplier keys of procurement's demo_data/suppliers.json -> NIP (suppliers are matched by NIP).
SUPPLIERS = Path(__file__).resolve().parent.parent / "procurement" / "demo_data" / "suppliers.json"


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def load(stdout=None):
    if FundingAgreement.objects.exists():
        return
    data = json.loads(DATA.read_text(encoding="utf-8"))
    officer = get_user_model().objects.get(username="finanse")
    terms = data["agreement"]
    today = clock.today()
    if _day(terms["signed_on"]) > today:
        return
    agreement = agreement_services.do_save_agreement(
        None,
        {
            "number": terms["number"],
            "signed_on": _day(terms["signed_on"]),
            "eligible_from": _day(terms["eligible_from"]),
            "eligible_until": _day(terms["eligible_until"]),
            "eu_rate": Decimal(terms["eu_rate"]),
            "state_rate": Decimal(terms["state_rate"]),
            "vat_eligible": terms["vat_eligible"],
        },
        actor=officer,
    )
    FundingAgreement.objects.filter(pk=agreement.pk).update(amounts_made_up=True)
    agreement.refresh_from_db()
    lines = {}
    for task, category, net, vat, eligible in data["budget"]:
        lines[task, category] = agreement_services.do_add_budget_line(
            agreement, task, category, Decimal(net), Decimal(vat), Decimal(eligible), actor=officer
        )
    nips = {
        key: fields["nip"]
        for key, fields in json.loads(SUPPLIERS.read_text(encoding="utf-8")).items()
    }
    documents = {}
    for number, issuer, contract, issued, paid, net, vat, task, category, text in data[
        "expenditures"
    ]:
        net, vat = Decimal(net), Decimal(vat)
        if _day(issued) > today or not Contract.objects.filter(number=contract).exists():
            continue  # a demo day (EINCLUSION_DEMO_TODAY) before the invoice
        documents[number] = expenditure_services.do_save_expenditure(
            Expenditure(agreement=agreement),
            {
                "number": number,
                "issuer": Supplier.objects.get(nip=nips[issuer]),
                "contract": Contract.objects.get(number=contract),
                "issued_on": _day(issued),
                "paid_on": _day(paid),
                "net": net,
                "vat": vat,
                "gross": net + vat,
                "eligible": net + vat,
                "line": lines[task, category],
                "description": text,
            },
            actor=officer,
        )
    for row in data["claims"]:
        if _day(row["filed_on"]) > today or any(n not in documents for n in row["documents"]):
            continue
        claim = claim_services.do_save_claim(
            None,
            {
                "kind": row["kind"],
                "period_start": _day(row["period"][0]),
                "period_end": _day(row["period"][1]),
                "advance_amount": Decimal(row["advance"]) if "advance" in row else None,
                "problems": row.get("problems", ""),
                "expenditures": [documents[number] for number in row["documents"]],
                "progress": row.get("progress", {}),
            },
            actor=officer,
        )
        claim = claim_services.do_file_claim(claim, filed_on=_day(row["filed_on"]), actor=officer)
        if "corrections" in row:
            claim_services.do_request_corrections(claim, row["corrections"], actor=officer)
            continue
        if _day(row["accepted_on"]) > today:
            continue
        claim = claim_services.do_accept_claim(claim, _day(row["accepted_on"]), actor=officer)
        amount, received_on = row["paid"]
        amount = claim_summary(claim)["requested"] if amount == "requested" else Decimal(amount)
        if _day(received_on) > today:
            continue
        claim_services.do_record_payment(claim, amount, _day(received_on), actor=officer)
    if stdout:
        stdout.write(
            f"finance: agreement {agreement.number}, {len(lines)} budget lines, "
            f"{len(documents)} expenditures, {len(data['claims'])} claims"
        )
