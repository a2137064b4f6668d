"""Concrete arguments for every URL that takes some, built from the demo data.

The role x URL matrix (tests/core/test_access_matrix.py) opens every URL of the project; a URL
with arguments needs an entry here, or the matrix test fails and says which one.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from lebork_einclusion.models import GeneratedFile, PublicUnit
from lebork_einclusion.roles import UNCHECKED_NAMESPACES
from procurement.models import Contract, ContractAttachment, Offer, Procedure, Supplier
from recruitment.models import Application, ApplicationDocument, Call, CommitteeMeeting


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def _demo_call():
    return _first(Call, code="2012")


def _demo_application():
    return _first(Application, number="2012/001")


def _document_with_scan():
    from django.core.files.base import ContentFile

    document = (
        ApplicationDocument.objects.filter(application__number="2012/001").order_by("pk").first()
    )
    document.scan.save("skan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"pk": document.pk}


def _participant():
    from lending.models import Participant

    return {"pk": Participant.objects.order_by("pk").values_list("pk", flat=True).first()}


# URL name -> function returning the kwargs for reverse().
def _generated_file():
    """A finished file made by a superuser, so that every role's access follows the table only
    where the object check allows it: other users' files answer 404 (tested separately)."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    owner, _ = get_user_model().objects.get_or_create(username="sample-owner")
    generated = GeneratedFile(title="x", filename="x.txt", created_by=owner, status="done")
    generated.file.save("x.txt", ContentFile(b"x"), save=False)
    generated.save()
    return {"pk": generated.pk}


def _demo_call():
    return _first(Call, code="2012")


def _demo_application():
    return _first(Application, number="2012/001")


def _document_with_scan():
    from django.core.files.base import ContentFile

    document = (
        ApplicationDocument.objects.filter(application__number="2012/001").order_by("pk").first()
    )
    document.scan.save("skan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"pk": document.pk}


def _legal_hold():
    from lebork_einclusion.models import LegalHold

    hold = LegalHold.objects.create(
        object_type="core.publicunit", object_id=str(_first(PublicUnit)), reason="sample"
    )
    return {"pk": hold.pk}


def _staff_account():
    """A demo account other than the one making the request (deactivating it is rolled back)."""
    from django.contrib.auth import get_user_model

    return {"pk": get_user_model().objects.get(username="komisja3").pk}


def _procedure_with_document():
    """A demo procedure with its terms of reference (SIWZ) uploaded."""
    from django.core.files.base import ContentFile

    procedure = Procedure.objects.order_by("pk").first()
    procedure.terms_of_reference.save("siwz.pdf", ContentFile(b"%PDF-1.4 siwz"), save=True)
    return {"pk": procedure.pk}


def _contract_attachment():
    from django.core.files.base import ContentFile

    attachment = ContractAttachment(contract=Contract.objects.order_by("pk").first(), title="x")
    attachment.file.save("umowa.pdf", ContentFile(b"%PDF-1.4 umowa"), save=True)
    return {"pk": attachment.pk}


def _participant():
    from lending.models import Participant

    return {"pk": Participant.objects.order_by("pk").values_list("pk", flat=True).first()}


def _monitoring_first(model_name: str):
    from django.apps import apps

    return _first(apps.get_model("monitoring", model_name))


# URL name -> function returning the kwargs for reverse().
SAMPLES = {
    "lending:participant_detail": _participant,
    "core:public_unit_edit": lambda: {"pk": _first(PublicUnit)},
    "core:generated_file": _generated_file,
    "core:generated_file_download": _generated_file,
    "core:generated_file_status": _generated_file,
    # --- recruitment ---
    "recruitment:application_detail": lambda: {"pk": _demo_application()},
    "recruitment:application_edit": lambda: {"pk": _demo_application()},
    "recruitment:application_review": lambda: {"pk": _demo_application()},
    "recruitment:call_detail": lambda: {"pk": _demo_call()},
    "recruitment:call_edit": lambda: {"pk": _demo_call()},
    "recruitment:call_import": lambda: {"pk": _demo_call()},
    "recruitment:document_scan": _document_with_scan,
    "recruitment:letter_pdf": lambda: {"pk": _demo_application()},
    "recruitment:letters_pdf": lambda: {"pk": _demo_call(), "number": 1},
    "recruitment:meeting_edit": lambda: {
        "pk": _demo_call(),
        "meeting_pk": _first(CommitteeMeeting),
    },
    "recruitment:meeting_list": lambda: {"pk": _demo_call()},
    "recruitment:meeting_new": lambda: {"pk": _demo_call()},
    "recruitment:notification_new": lambda: {"pk": _demo_application()},
    "recruitment:protocol_pdf": lambda: {"pk": _demo_call(), "number": 1},
    "recruitment:ranking": lambda: {"pk": _demo_call()},
    "recruitment:ranking_export": lambda: {"pk": _demo_call(), "fmt": "json"},
    "recruitment:results": lambda: {"pk": _demo_call()},
    "recruitment:results_pdf": lambda: {"pk": _demo_call()},
    "recruitment:version_detail": lambda: {"pk": _demo_call(), "number": 1},
    "core:legal_hold_release": _legal_hold,
    "core:user_deactivate": _staff_account,
    "core:user_reset_two_factor": _staff_account,
    # --- procurement ---
    "procurement:contract_amend": lambda: {"pk": _first(Contract)},
    "procurement:contract_attachment": _contract_attachment,
    "procurement:contract_attachment_new": lambda: {"pk": _first(Contract)},
    "procurement:contract_detail": lambda: {"pk": _first(Contract)},
    "procurement:contract_edit": lambda: {"pk": _first(Contract)},
    "procurement:offer_edit": lambda: {"pk": _first(Offer)},
    "procurement:offer_new": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_announce": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_annul": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_award": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_detail": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_document": _procedure_with_document,
    "procurement:procedure_edit": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_open_offers": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_reannounce": lambda: {"pk": _first(Procedure)},
    "procurement:procedure_sign_contract": lambda: {"pk": _first(Procedure)},
    "procurement:supplier_detail": lambda: {"pk": _first(Supplier)},
    "procurement:supplier_edit": lambda: {"pk": _first(Supplier)},
    # --- monitoring ---
    "monitoring:chronicle_edit": lambda: {"pk": _monitoring_first("ChronicleEntry")},
    "monitoring:durability_pdf": lambda: {"number": 1},
    "monitoring:lab_report": lambda: {"unit": _first(PublicUnit), "year": 2013, "month": 3},
    "monitoring:lab_schedule": lambda: {"unit": _first(PublicUnit), "year": 2013, "month": 3},
    "monitoring:public_lab_poster": lambda: {"year": 2013, "month": 3},
    "monitoring:public_labs_month": lambda: {"year": 2013, "month": 3},
    "monitoring:snapshot_detail": lambda: {"pk": _monitoring_first("IndicatorSnapshot")},
    "monitoring:snapshot_pdf": lambda: {"pk": _monitoring_first("IndicatorSnapshot")},
    "monitoring:snapshot_xlsx": lambda: {"pk": _monitoring_first("IndicatorSnapshot")},
}

# URLs whose object check answers 404 to users who are not its owner: the matrix accepts 404
# there for roles the table lets in (the object rule is tested beside the view).
OWNER_ONLY = {"core:generated_file", "core:generated_file_download", "core:generated_file_status"}


def all_url_names() -> list[tuple[str, bool]]:
    """(namespaced URL name, takes arguments) for every named URL outside UNCHECKED_NAMESPACES."""
    found: list[tuple[str, bool]] = []

    def walk(patterns, namespace, has_args):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                if ns in UNCHECKED_NAMESPACES:
                    continue
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(entry.url_patterns, full, has_args or bool(entry.pattern.converters))
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, has_args or bool(entry.pattern.converters)))

    walk(get_resolver().url_patterns, "", False)
    return sorted(set(found))
