"""The core's own personal data in the registry: staff accounts, the access log, login
records, the public units' contact persons and the files made in the background."""

import datetime

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy

from .registry import CONTACT, DOCUMENTS, IDENTITY, NETWORK, PersonalDataSource, register
from .retention import after_project_retention, overwriting

_STAFF_BASIS = gettext_lazy(
    "Art. 6(1)(c) GDPR: the duty to control access to the system and to keep logs of users' "
    "actions (§20 of the regulation on the National Interoperability Framework, KRI)"
)


def _register_core():
    register(
        PersonalDataSource(
            model="auth.User",
            subjects=gettext_lazy("project staff and recruitment committee members"),
            purpose=gettext_lazy("user accounts: access control and accountability of actions"),
            legal_basis=_STAFF_BASIS,
            fields={
                "username": NETWORK,
                "first_name": IDENTITY,
                "last_name": IDENTITY,
                "email": CONTACT,
            },
            retention=gettext_lazy(
                "while the person works on the project; afterwards the deactivated account is "
                "kept with the project documentation, as the logs refer to it"
            ),
            find=lambda pesel: [],
        )
    )
    register(
        PersonalDataSource(
            model="core.Officeholder",
            subjects=gettext_lazy("the mayor, deputies, treasurers and proxies of the town"),
            purpose=gettext_lazy("naming who signs the papers for the town on their date"),
            legal_basis=gettext_lazy(
                "Art. 6(1)(c) and (e) GDPR: representation of the municipality (art. 31 and 46 "
                "of the act on municipal self-government)"
            ),
            fields={"name": IDENTITY, "authority": DOCUMENTS},
            retention=gettext_lazy("with the papers they signed"),
            find=lambda pesel: [],
        )
    )
    register(
        PersonalDataSource(
            model="core.PersonalDataAccess",
            subjects=gettext_lazy("project staff and recruitment committee members"),
            purpose=gettext_lazy("log of who viewed PESEL, income or disability data"),
            legal_basis=_STAFF_BASIS,
            fields={"user": IDENTITY},
            find=lambda pesel: [],
        )
    )
    register(
        PersonalDataSource(
            model="axes.AccessLog",
            subjects=gettext_lazy("users logging in"),
            purpose=gettext_lazy("security of the system: successful logins"),
            legal_basis=_STAFF_BASIS,
            fields={"username": NETWORK, "ip_address": NETWORK, "user_agent": NETWORK},
            retention=gettext_lazy("one year"),
            find=lambda pesel: [],
            expired=lambda today: _older_than_a_year("axes.AccessLog", "attempt_time", today),
            anonymise=lambda obj, actor: obj.delete(),
        )
    )
    register(
        PersonalDataSource(
            model="axes.AccessAttempt",
            subjects=gettext_lazy("users logging in"),
            purpose=gettext_lazy("security of the system: failed logins and lockouts"),
            legal_basis=_STAFF_BASIS,
            fields={"username": NETWORK, "ip_address": NETWORK, "user_agent": NETWORK},
            retention=gettext_lazy("one year"),
            find=lambda pesel: [],
            expired=lambda today: _older_than_a_year("axes.AccessAttempt", "attempt_time", today),
            anonymise=lambda obj, actor: obj.delete(),
        )
    )

    _register_core_public_units()
    _register_generated_files()
    _register_archived_papers()


def _register_core_public_units():
    from ..models import PublicUnit

    register(
        PersonalDataSource(
            model="core.PublicUnit",
            subjects=gettext_lazy("contact persons in the public units"),
            purpose=gettext_lazy("contact with the units that received computer labs"),
            legal_basis=gettext_lazy(
                "Art. 6(1)(e) GDPR: a task in the public interest (the project agreement)"
            ),
            fields={"contact_person": IDENTITY, "phone": CONTACT},
            find=lambda pesel: [],
            expired=after_project_retention(
                lambda: PublicUnit.objects.exclude(contact_person="", phone="")
            ),
            anonymise=overwriting(contact_person="", phone=""),
        )
    )


def _register_generated_files():
    """Files made in the background (all agreements of a call as one PDF, sign-in sheets,
    protocols) copy PESEL numbers, names and addresses out of the records: kept a couple of
    days (GENERATED_FILES_KEEP_DAYS), then removed by `clear_generated_files` and by retention."""
    from ..models import GeneratedFile
    from ..uploads import delete_on_commit

    def expired(today: datetime.date):
        cutoff = today - datetime.timedelta(days=settings.GENERATED_FILES_KEEP_DAYS)
        return GeneratedFile.objects.filter(created_at__date__lt=cutoff)

    def delete(generated, actor):
        delete_on_commit(generated.file)
        generated.delete()

    register(
        PersonalDataSource(
            model="core.GeneratedFile",
            subjects=gettext_lazy("applicants, household members, borrowers and trainees"),
            purpose=gettext_lazy(
                "documents printed in the background for the staff (agreements of a whole "
                "call, sign-in sheets, certificates, visit protocols)"
            ),
            legal_basis=gettext_lazy(
                "as the records the documents are printed from (Art. 6(1)(c) and (e) GDPR)"
            ),
            fields={"file": DOCUMENTS},
            retention=gettext_lazy(
                "a few days (the setting GENERATED_FILES_KEEP_DAYS); never in backups"
            ),
            find=lambda pesel: [],
            expired=expired,
            anonymise=delete,
        )
    )


def _register_archived_papers():
    """Papers archived as signed hold what the paper holds (names, PESEL, addresses): kept
    as long as the paper's own records (the project's retention), then deleted with their
    files; a legal hold on anyone the paper names keeps it."""
    from ..models import ArchivedPaper
    from ..uploads import delete_on_commit
    from .registry import source_for

    def pesels(paper):
        source = source_for(f"{paper.content_type.app_label}.{paper.content_type.model}")
        model = paper.content_type.model_class()
        record = model._default_manager.filter(pk=paper.object_id).first() if model else None
        return source.subject_pesels(record) if source and record else []

    def delete(paper, actor):
        delete_on_commit(paper.file, paper.scan)
        paper.delete()

    register(
        PersonalDataSource(
            model="core.ArchivedPaper",
            subjects=gettext_lazy("borrowers, applicants, household members and trainees"),
            purpose=gettext_lazy(
                "papers kept exactly as they became binding (agreements, declarations, "
                "protocols, letters, certificates) with the scans of the signed papers"
            ),
            legal_basis=gettext_lazy(
                "as the records the papers belong to (Art. 6(1)(b), (c) and (e) GDPR)"
            ),
            fields={"file": DOCUMENTS, "scan": DOCUMENTS},
            retention=gettext_lazy("the retention of the paper's own records"),
            find=lambda pesel: [],
            pesels=pesels,
            expired=after_project_retention(lambda: ArchivedPaper.objects.all()),
            anonymise=delete,
        )
    )


def _older_than_a_year(model: str, field_name: str, today: datetime.date):
    cutoff = today - datetime.timedelta(days=365)
    return apps.get_model(model).objects.filter(**{f"{field_name}__date__lt": cutoff})


_register_core()
