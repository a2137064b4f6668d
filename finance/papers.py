"""A payment claim's papers: its tables (the list of documents confirming the expenditures, the
summary by task with the co-financing split), as PDF, XLSX and plain data (export_claim)."""

from django.utils.translation import gettext as _

from lebork_einclusion.office_language import in_office_language
from lebork_einclusion.pdf import render_pdf
from lebork_einclusion.tables import workbook_bytes

from .models import PaymentClaim
from .queries import claim_documents, claim_summary


def document_rows(claim: PaymentClaim) -> list[dict]:
    return [
        {
            "position": position,
            "number": document.number,
            "issued_on": document.issued_on,
            "issuer": document.issuer.name,
            "issuer_nip": document.issuer.nip,
            "net": document.net,
            "vat": document.vat,
            "gross": document.gross,
            "eligible": document.eligible,
            "paid_on": document.paid_on,
            "task": document.line.get_task_display(),
            "category": document.line.get_category_display(),
            "contract": document.contract.number if document.contract else "",
        }
        for position, document in enumerate(claim_documents(claim), start=1)
    ]


def snapshot_values(claim: PaymentClaim) -> list:
    """The frozen indicators the claim links (read through the link: monitoring is above
    finance and is never imported)."""
    if claim.indicator_snapshot_id is None:
        return []
    return list(claim.indicator_snapshot.values.order_by("position"))


def claim_context(claim: PaymentClaim) -> dict:
    return {
        "claim": claim,
        "agreement": claim.agreement,
        "documents": document_rows(claim),
        "summary": claim_summary(claim),
        "progress": claim.progress.order_by("task"),
        "snapshot": claim.indicator_snapshot,
        "indicators": snapshot_values(claim),
    }


@in_office_language
def claim_pdf(claim: PaymentClaim) -> bytes:
    return render_pdf("finance/pdf/claim.html", claim_context(claim))


def _document_headers():
    return [
        _("No."),
        _("Document number"),
        _("Date of issue"),
        _("Issuer"),
        _("Issuer's NIP"),
        _("Net (PLN)"),
        _("VAT (PLN)"),
        _("Gross (PLN)"),
        _("Eligible (PLN)"),
        _("Date of payment"),
        _("Task"),
        _("Cost category"),
        _("Contract"),
    ]


DOCUMENT_KEYS = (
    "position",
    "number",
    "issued_on",
    "issuer",
    "issuer_nip",
    "net",
    "vat",
    "gross",
    "eligible",
    "paid_on",
    "task",
    "category",
    "contract",
)


@in_office_language
def claim_workbook(claim: PaymentClaim) -> bytes:
    summary = claim_summary(claim)
    documents = [[row[key] for key in DOCUMENT_KEYS] for row in document_rows(claim)]
    tasks = [
        [row["task_label"], row["gross"], row["eligible"], row["eu"], row["state"]]
        for row in summary["tasks"]
    ]
    total = summary["total"]
    tasks.append([_("Total"), total["gross"], total["eligible"], total["eu"], total["state"]])
    return workbook_bytes(
        [
            (_("Documents"), _document_headers(), documents),
            (
                _("Summary"),
                [
                    _("Task"),
                    _("Gross (PLN)"),
                    _("Eligible (PLN)"),
                    _("EU share (PLN)"),
                    _("State budget share (PLN)"),
                ],
                tasks,
            ),
        ]
    )


def claim_data(claim: PaymentClaim) -> dict:
    """The claim's tables as JSON-serialisable values (amounts and dates as text)."""
    summary = claim_summary(claim)

    def plain(value):
        return "" if value is None else str(value) if not isinstance(value, int) else value

    return {
        "claim": {
            "agreement": claim.agreement.number,
            "number": claim.number,
            "kind": claim.kind,
            "status": claim.status,
            "period_start": str(claim.period_start),
            "period_end": str(claim.period_end),
            "filed_on": plain(claim.filed_on),
            "requested": str(summary["requested"]),
            "amount_received": plain(claim.amount_received),
            "received_on": plain(claim.received_on),
            "indicator_snapshot": claim.indicator_snapshot_id,
        },
        "documents": [
            {key: plain(row[key]) for key in DOCUMENT_KEYS} for row in document_rows(claim)
        ],
        "summary": [
            {
                key: str(row[key])
                for key in ("task", "task_label", "gross", "eligible", "eu", "state")
            }
            for row in summary["tasks"]
        ],
        "total": {key: str(value) for key, value in summary["total"].items()},
    }
