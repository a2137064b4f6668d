"""Concrete arguments for every URL that takes some, built from the demo data.

The role x URL matrix (tests/core/test_access_matrix.py) opens every URL of the project; a URL
with arguments needs an entry here, or the matrix test fails and says which one.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from lebork_einclusion.models import GeneratedFile, Officeholder, PublicUnit
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


def _archived_paper():
    from lebork_einclusion import archive
    from lending.models import LoanAgreement

    agreement = LoanAgreement.objects.order_by("pk").first()
    paper = archive.store(
        agreement, "lending.handover", lambda draft: b"%PDF-1.4 sample", actor=None
    )
    return {"pk": paper.pk}


def _finance_claim():
    from finance.models import PaymentClaim

    return _first(PaymentClaim)


def _finance_expenditure():
    from finance.models import Expenditure

    return _first(Expenditure)


def _expenditure_with_scan():
    from django.core.files.base import ContentFile

    from finance.models import Expenditure

    expenditure = Expenditure.objects.order_by("pk").first()
    expenditure.scan.save("skan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"pk": expenditure.pk}


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


def _monitoring_first(model_name: str, **filters):
    from django.apps import apps

    return _first(apps.get_model("monitoring", model_name), **filters)


# --- lending: demo records, or records made through the services (rolled back with the test) ---


def _lending_actor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="koordynator")


def _lending_participant():
    from lending.models import Participant

    return {"pk": Participant.objects.active().order_by("pk").values_list("pk", flat=True)[0]}


def _lending_agreement():
    from lending.models import LoanAgreement

    return {"pk": LoanAgreement.objects.filter(status="active").order_by("pk")[0].pk}


def _lending_asset():
    from lending.models import Asset

    return {"pk": Asset.objects.filter(status="lent").order_by("pk")[0].pk}


def _lending_unit_asset():
    from lending.models import Asset

    return {"pk": Asset.objects.filter(status="at_unit").order_by("pk")[0].pk}


def _lending_note():
    from lending.models import PromissoryNote

    return {"pk": PromissoryNote.objects.order_by("pk")[0].pk}


def _lending_annex():
    from lending.models import AgreementAnnex

    return {"pk": AgreementAnnex.objects.order_by("pk")[0].pk}


def _lending_transfer():
    import datetime

    from lending.models import LoanAgreement
    from lending.services.transfers import do_transfer_ownership

    agreement = LoanAgreement.objects.filter(status="active").order_by("-pk")[0]
    transfer = do_transfer_ownership(
        agreement, datetime.date(2019, 1, 2), "Zarządzenie Burmistrza.", actor=_lending_actor()
    )
    return {"pk": transfer.pk}


def _lending_released_note():
    import datetime

    from lending.models import Asset, LoanAgreement, PromissoryNote
    from lending.services import agreements

    agreement = LoanAgreement.objects.filter(status="active").order_by("-pk")[0]
    actor = _lending_actor()
    agreements.do_end_agreement(agreement, datetime.date(2016, 1, 4), "Koniec.", actor=actor)
    assets = Asset.objects.filter(loan_items__agreement=agreement)
    agreements.do_record_return(
        agreement, [(a, "worn", "") for a in assets], datetime.date(2016, 1, 5), actor=actor
    )
    note = PromissoryNote.objects.get(agreement=agreement)
    agreements.do_release_note(
        note, "returned", datetime.date(2016, 1, 6), "Zwrócony.", actor=actor
    )
    return {"pk": note.pk}


def _lending_connection():
    from lending.models import Connection

    return {"pk": Connection.objects.filter(status="active").order_by("pk")[0].pk}


def _lending_end():
    from lending.models import ParticipationEnd

    return {"pk": ParticipationEnd.objects.order_by("pk")[0].pk}


def _lending_claim():
    from lending.models import Asset
    from lending.services import do_open_damage_claim

    asset = Asset.objects.filter(status="lent").order_by("pk")[0]
    return {"pk": do_open_damage_claim(asset, "Pęknięta obudowa.", actor=_lending_actor()).pk}


def _lending_service():
    from lending.models import Asset
    from lending.services import do_record_service

    asset = Asset.objects.filter(status="at_unit").order_by("pk")[0]
    return {"pk": do_record_service(asset, "Naprawa.", taken_away=True, actor=_lending_actor()).pk}


def _lending_outage():
    import datetime

    from lending.models import Connection
    from lending.services import do_report_outage

    connection = Connection.objects.filter(status="active").order_by("pk")[0]
    outage = do_report_outage(
        connection, datetime.date(2013, 3, 1), "Brak sieci.", actor=_lending_actor()
    )
    return {"pk": outage.pk}


def _lending_proposal():
    from lending.models import Participant
    from lending.services import do_propose_exclusion

    participant = Participant.objects.active().order_by("-pk")[0]
    return {"pk": do_propose_exclusion(participant, "Sprzęt sprzedany.", actor=_lending_actor()).pk}


def _archived_paper():
    from lebork_einclusion import archive
    from lending.models import LoanAgreement

    agreement = LoanAgreement.objects.order_by("pk").first()
    paper = archive.store(
        agreement, "lending.handover", lambda draft: b"%PDF-1.4 sample", actor=None
    )
    return {"pk": paper.pk}


# URL name -> function returning the kwargs for reverse().
SAMPLES = {
    "lending:participant_detail": _participant,
    "core:public_unit_edit": lambda: {"pk": _first(PublicUnit)},
    "core:officeholder_edit": lambda: {"pk": _first(Officeholder)},
    "core:archived_paper": _archived_paper,
    "core:archived_paper_pdf": _archived_paper,
    "core:archived_paper_scan": _archived_paper,
    "core:generated_file": _generated_file,
    "core:generated_file_download": _generated_file,
    "core:generated_file_status": _generated_file,
    "core:generated_file_retry": _generated_file,
    # --- recruitment ---
    "recruitment:annex_blank_pdf": lambda: {"pk": _demo_call(), "number": 1},
    "recruitment:annex_filled_pdf": lambda: {"pk": _demo_application(), "number": 1},
    "recruitment:annex_list": lambda: {"pk": _demo_call()},
    "recruitment:application_annexes": lambda: {"pk": _demo_application()},
    "recruitment:application_detail": lambda: {"pk": _demo_application()},
    "recruitment:application_edit": lambda: {"pk": _demo_application()},
    "recruitment:application_review": lambda: {"pk": _demo_application()},
    "recruitment:application_withdraw": lambda: {"pk": _demo_application()},
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
    # --- finance ---
    "finance:claim_detail": lambda: {"pk": _finance_claim()},
    "finance:claim_edit": lambda: {"pk": _finance_claim()},
    "finance:claim_pdf": lambda: {"pk": _finance_claim()},
    "finance:claim_step": lambda: {"pk": _finance_claim(), "action": "accept"},
    "finance:claim_xlsx": lambda: {"pk": _finance_claim()},
    "finance:expenditure_edit": lambda: {"pk": _finance_expenditure()},
    "finance:expenditure_scan": _expenditure_with_scan,
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
    "monitoring:visit_calendar_pdf": lambda: {"year": 2013, "month": 4},
    "monitoring:lab_report": lambda: {"unit": _first(PublicUnit), "year": 2013, "month": 3},
    "monitoring:lab_schedule": lambda: {"unit": _first(PublicUnit), "year": 2013, "month": 3},
    "monitoring:public_lab_poster": lambda: {"year": 2013, "month": 3},
    "monitoring:public_labs_month": lambda: {"year": 2013, "month": 3},
    "monitoring:snapshot_detail": lambda: {"pk": _monitoring_first("IndicatorSnapshot")},
    "monitoring:snapshot_pdf": lambda: {"pk": _monitoring_first("IndicatorSnapshot")},
    "monitoring:snapshot_xlsx": lambda: {"pk": _monitoring_first("IndicatorSnapshot")},
    "monitoring:follow_up_edit": lambda: {"pk": _monitoring_first("FollowUp")},
    "monitoring:follow_up_new": lambda: {"participant": _visited_household()},
    "monitoring:household_visits": lambda: {"participant": _visited_household()},
    "monitoring:planned_edit": lambda: {"pk": _monitoring_first("PlannedVisit", status="planned")},
    "monitoring:visit_detail": lambda: {"pk": _monitoring_first("MonitoringVisit")},
    "monitoring:visit_new": lambda: {"participant": _visited_household()},
    "monitoring:visit_pdf": lambda: {"pk": _monitoring_first("MonitoringVisit")},
    "monitoring:visit_photo": lambda: {"pk": _monitoring_first("VisitPhoto")},
    "monitoring:visit_rule": lambda: {"call": _demo_call()},
    "monitoring:visit_signature": lambda: {"pk": _signed_visit()},
    # April 2013 has no visit: a POST answers at once instead of printing March's round.
    "monitoring:visits_month_pdf": lambda: {"year": 2013, "month": 4},
    # --- training ---
    "training:group_add_members": lambda: {"pk": _training_group()},
    "training:group_add_newcomer": lambda: {"pk": _training_group()},
    "training:group_certificates_pdf": lambda: {"pk": _small_training()["group"]},
    "training:group_detail": lambda: {"pk": _training_group()},
    "training:group_edit": lambda: {"pk": _training_group()},
    "training:group_new": lambda: {"module_pk": _training_module(1)},
    "training:group_register_pdf": lambda: {"pk": _small_training()["group"]},
    "training:group_register_xlsx": lambda: {"pk": _training_group()},
    "training:group_sheets_pdf": lambda: {"pk": _small_training()["group"]},
    "training:module_certificates": lambda: {"pk": _small_training()["module"]},
    "training:module_detail": lambda: {"pk": _training_module(1)},
    "training:module_edit": lambda: {"pk": _training_module(1)},
    "training:module_sheets": lambda: {"pk": _small_training()["module"]},
    "training:progress_import": lambda: {"pk": _training_module(2)},
    "training:session_attendance": lambda: {"pk": _training_session()},
    "training:session_delete": lambda: {"pk": _small_training()["session"]},
    "training:session_desk": lambda: {"pk": _training_session()},
    "training:session_detail": lambda: {"pk": _training_session()},
    "training:session_edit": lambda: {"pk": _small_training()["session"]},
    "training:session_new": lambda: {"group_pk": _training_group()},
    "training:session_scan": lambda: {"pk": _training_session()},
    "training:session_sheet_pdf": lambda: {"pk": _training_session()},
    "training:trainee_certificate_pdf": lambda: {"pk": _training_trainee()},
    "training:trainee_detail": lambda: {"pk": _training_trainee()},
    "training:trainee_login": lambda: {"pk": _training_trainee(module=2)},
    "training:trainee_remove": lambda: {"pk": _small_training()["trainee"]},
    "training:trainee_certificate_issue": lambda: {"pk": _training_trainee()},
    # --- recruitment (printed application) ---
    "recruitment:application_pdf": lambda: {"pk": _demo_application()},
    # --- lending ---
    "lending:agreement_new": _lending_participant,
    "lending:connection_new": _lending_participant,
    "lending:exclusion_propose": _lending_participant,
    "lending:participant_end": _lending_participant,
    "lending:agreement_cancel": _lending_agreement,
    "lending:agreement_detail": _lending_agreement,
    "lending:agreement_end": _lending_agreement,
    "lending:agreement_handover": _lending_agreement,
    "lending:agreement_pdf": _lending_agreement,
    "lending:agreement_return": _lending_agreement,
    "lending:agreement_sign": _lending_agreement,
    "lending:agreement_transfer": _lending_agreement,
    "lending:annex_new": _lending_agreement,
    "lending:annex_sign": _lending_annex,
    "lending:annex_pdf": _lending_annex,
    "lending:transfer_pdf": _lending_transfer,
    "lending:declaration_pdf": _lending_agreement,
    "lending:handover_pdf": _lending_agreement,
    "lending:return_pdf": _lending_agreement,
    "lending:asset_damage": _lending_asset,
    "lending:asset_detail": _lending_asset,
    "lending:asset_edit": _lending_asset,
    "lending:asset_service": _lending_asset,
    "lending:asset_write_off": _lending_asset,
    "lending:asset_unit_return": _lending_unit_asset,
    "lending:claim_settle": _lending_claim,
    "lending:connection_detail": _lending_connection,
    "lending:connection_status": _lending_connection,
    "lending:exclusion_decide": _lending_proposal,
    "lending:note_release": _lending_note,
    "lending:note_notice": _lending_note,
    "lending:note_fill_in": _lending_note,
    "lending:note_protocol_pdf": _lending_released_note,
    "lending:outage_close": _lending_outage,
    "lending:outage_new": _lending_connection,
    "lending:participation_end_detail": _lending_end,
    "lending:service_complete": _lending_service,
    "lending:unit_connection_new": lambda: {"pk": _first(PublicUnit)},
}


def _training_module(number):
    from training.models import TrainingModule

    return _first(TrainingModule, number=number)


def _training_group():
    from training.models import TrainingGroup

    return _first(TrainingGroup, module__number=1)


def _training_session():
    """A demo session of module 1 (its signed sheet is attached)."""
    from training.models import TrainingSession

    return _first(TrainingSession, group__module__number=1)


def _training_trainee(module=1):
    """A demo trainee who completed the module (a certificate can be printed)."""
    from training.models import Attendance, Trainee

    missed = Attendance.objects.exclude(status="present").values("trainee_id")
    return (
        Trainee.objects.filter(module__number=module)
        .exclude(pk__in=missed)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _small_training():
    """A module with one group, one session and one trainee without attendance: the PDFs and
    the steps that change it stay quick for every role of the matrix."""
    import datetime

    from lending.models import Participant
    from training.models import Trainee, TrainingGroup, TrainingModule, TrainingSession

    module, _ = TrainingModule.objects.get_or_create(
        project_id=1,
        number=99,
        defaults={
            "name": "Próbny",
            "planned_hours_per_group": 2,
            "starts_on": datetime.date(2024, 1, 1),
            "ends_on": datetime.date(2024, 1, 31),
            "certificate_text": "x",
        },
    )
    group, _ = TrainingGroup.objects.get_or_create(
        module=module, name="P", defaults={"trainer": "T", "room": "R"}
    )
    session, _ = TrainingSession.objects.get_or_create(
        group=group,
        date=datetime.date(2024, 1, 10),
        defaults={
            "starts_at": datetime.time(10),
            "ends_at": datetime.time(11, 30),
            "hours": 2,
            "topic": "x",
            "trainer": "T",
            "room": "R",
        },
    )
    participant = Participant.objects.order_by("pk").first()
    trainee, _ = Trainee.objects.get_or_create(
        module=module,
        member=participant.signatory,
        defaults={
            "group": group,
            "participant": participant,
            "sex": "F",
            "age": 40,
            "enrolled_on": datetime.date(2024, 1, 2),
        },
    )
    return {"module": module.pk, "group": group.pk, "session": session.pk, "trainee": trainee.pk}


# URLs whose object check answers 404 to users who are not its owner: the matrix accepts 404
# there for roles the table lets in (the object rule is tested beside the view).
OWNER_ONLY = {
    "core:generated_file",
    "core:generated_file_download",
    "core:generated_file_retry",
    "core:generated_file_status",
}


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


# --- monitoring: sample records of the demo ---


def _visited_household():
    """A household taking part, visited in the demo's March 2013 round."""
    from monitoring.models import MonitoringVisit

    return (
        MonitoringVisit.objects.filter(participant__status="active")
        .order_by("pk")
        .values_list("participant_id", flat=True)
        .first()
    )


def _signed_visit():
    from monitoring.models import MonitoringVisit

    return (
        MonitoringVisit.objects.exclude(signature="")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
