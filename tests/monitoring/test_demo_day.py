"""The demo as it stood on a demo day (issue 14 item 6): every app's demo loader stops at the
office's today (EINCLUSION_DEMO_TODAY, settings.DEMO_TODAY), so a day in 2013 loads the demo of
the project's first months and nothing dated after it."""

import datetime
import io

from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from finance.models import Expenditure, PaymentClaim
from lending.models import (
    AgreementAnnex,
    AssetEvent,
    LoanAgreement,
    Outage,
    OwnershipTransfer,
    Participant,
    PromissoryNote,
    PromissoryNoteStep,
)
from monitoring.models import ChronicleEntry, IndicatorSnapshot, LabReport, MonitoringVisit
from procurement.models import Contract, Procedure, ProcedureEvent
from training.models import TrainingSession

D = datetime.date
DEMO_DAY = D(2013, 6, 3)

# The dates that say when something happened (not the ends of terms or the days planned ahead).
HAPPENED = [
    (Procedure, "announcement_date"),
    (Procedure, "award_date"),
    (ProcedureEvent, "date"),
    (Contract, "signed_on"),
    (Expenditure, "issued_on"),
    (PaymentClaim, "filed_on"),
    (PaymentClaim, "received_on"),
    (TrainingSession, "date"),
    (Participant, "joined_on"),
    (Participant, "ended_on"),
    (LoanAgreement, "signed_on"),
    (LoanAgreement, "handed_over_on"),
    (LoanAgreement, "ended_on"),
    (AgreementAnnex, "signed_on"),
    (AssetEvent, "date"),
    (Outage, "started_on"),
    (OwnershipTransfer, "transferred_on"),
    (PromissoryNote, "released_on"),
    (PromissoryNoteStep, "date"),
    (LabReport, "submitted_on"),
    (ChronicleEntry, "date"),
    (IndicatorSnapshot, "as_of"),
]


def _empty_the_project_tables():
    """The demo's records go (inside the test's transaction: rolled back after it); the users
    stay, the demo finds them."""
    tables = [
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name in django_settings.PROJECT_APPS
        for model in config.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


def test_the_demo_loads_as_it_stood_on_a_day_of_2013(db, settings):
    _empty_the_project_tables()
    settings.DEMO_TODAY = DEMO_DAY
    out = io.StringIO()
    call_command("load_demo", quiet_logins=True, stdout=out)
    later = {
        f"{model.__name__}.{field}": model.objects.filter(**{f"{field}__gt": DEMO_DAY}).count()
        for model, field in HAPPENED
    }
    assert {name: count for name, count in later.items() if count} == {}
    visits_after = MonitoringVisit.objects.filter(visited_at__date__gt=DEMO_DAY)
    assert not visits_after.exists()
    # What happened by then is there: the 75 households (and the one promoted in February
    # 2013) with their agreements, the March round of visits, the first Internet contract;
    # the durability period's tenders (2013 and 2016) and the closure are not.
    assert LoanAgreement.objects.filter(status=LoanAgreement.Status.ACTIVE).count() == 75
    assert Participant.objects.count() == 76
    assert MonitoringVisit.objects.filter(visited_at__month=3).exists()
    assert not Contract.objects.filter(signed_on__year=2016).exists()
    assert not OwnershipTransfer.objects.exists()
