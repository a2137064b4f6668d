"""Issue 12, item 9 (unbounded free text): every text field of every model has a length limit,
model validation and the database refuse a longer value, and the audit trail still records
a value of the maximum length. The models are introspected: a new unbounded TextField fails."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, connection, models, transaction
from pghistory.models import Event

from monitoring.models import MonitoringVisit

# The limits of lebork_einclusion/fields.py, spelled out: the tests fail if they change unseen.
NOTE_LENGTH, STATEMENT_LENGTH, DOCUMENT_LENGTH = 2000, 4000, 10_000

PROJECT_APPS = ("core", "recruitment", "procurement", "lending", "training", "monitoring")


def project_models():
    """The apps' own models; the audit trail's event models copy them (checked apart)."""
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, Event) and not model._meta.proxy
    ]


def text_fields():
    return [
        (model, field)
        for model in project_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
    ]


def label(model, field) -> str:
    return f"{model._meta.label}.{field.name}"


def test_every_text_field_of_every_model_has_a_length_limit():
    labels = {label(m, f) for m, f in text_fields()}
    assert len(labels) >= 53  # the introspection sees every app's free text
    assert {
        "monitoring.MonitoringVisit.findings",
        "lending.ExclusionProposal.facts",
        "procurement.Contract.scope",
        "recruitment.ReviewNote.text",
        "training.TrainingModule.certificate_text",
        "core.PrivacyNotice.purposes",
    } <= labels
    unbounded = [label(m, f) for m, f in text_fields() if f.max_length is None]
    assert unbounded == []
    from lebork_einclusion.fields import BoundedTextField

    not_bounded_class = [label(m, f) for m, f in text_fields() if type(f) is not BoundedTextField]
    assert not_bounded_class == []


def test_the_limits_are_the_named_ones():
    from lebork_einclusion import fields

    assert (fields.NOTE_LENGTH, fields.STATEMENT_LENGTH, fields.DOCUMENT_LENGTH) == (
        NOTE_LENGTH,
        STATEMENT_LENGTH,
        DOCUMENT_LENGTH,
    )
    assert MonitoringVisit._meta.get_field("findings").max_length == STATEMENT_LENGTH
    assert MonitoringVisit._meta.get_field("use_note").max_length == NOTE_LENGTH
    assert {f.max_length for _m, f in text_fields()} <= {
        NOTE_LENGTH,
        STATEMENT_LENGTH,
        DOCUMENT_LENGTH,
    }


@pytest.mark.django_db
def test_every_text_column_of_the_apps_is_bounded_in_the_database():
    tables = {model._meta.db_table for model in project_models()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, character_maximum_length "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ANY(%s)",
            [sorted(tables)],
        )
        columns = {(t, c): (kind, length) for t, c, kind, length in cursor.fetchall()}
    unbounded = sorted(f"{t}.{c}" for (t, c), (kind, _n) in columns.items() if kind == "text")
    assert unbounded == []
    for model, field in text_fields():
        assert columns[(model._meta.db_table, field.column)] == (
            "character varying",
            field.max_length,
        ), label(model, field)


@pytest.mark.django_db
def test_the_database_refuses_one_character_more_in_every_text_column():
    """An UPDATE past the form and the model (a bulk or raw write) is refused by the column."""
    tried = 0
    for model, field in text_fields():
        row = model._default_manager.order_by("pk").values_list("pk", field.attname).first()
        if row is None:
            continue
        pk, before = row
        with pytest.raises(DataError), transaction.atomic():
            model._default_manager.filter(pk=pk).update(
                **{field.attname: "x" * (field.max_length + 1)}
            )
        assert model._default_manager.filter(pk=pk).values_list(field.attname, flat=True).get() == (
            before
        )
        tried += 1
    assert tried >= 30  # the demo has rows in most of the tables


@pytest.mark.django_db
def test_model_validation_refuses_an_over_long_finding_in_polish():
    visit = MonitoringVisit.objects.order_by("pk").first()
    visit.findings = "x" * (STATEMENT_LENGTH + 1)
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert refused.value.message_dict["findings"] == [
        "Upewnij się, że ta wartość ma co najwyżej 4000 znaków (obecnie ma 4001)."
    ]


@pytest.mark.django_db
def test_a_finding_of_the_maximum_length_is_kept_and_so_is_its_history():
    visit = MonitoringVisit.objects.order_by("pk").first()
    with pytest.raises(DataError), transaction.atomic():
        MonitoringVisit.objects.filter(pk=visit.pk).update(findings="ż" * (STATEMENT_LENGTH + 1))
    longest = "ż" * STATEMENT_LENGTH  # characters, not bytes: Polish letters count once
    MonitoringVisit.objects.filter(pk=visit.pk).update(findings=longest)
    visit.refresh_from_db()
    assert visit.findings == longest
    event = apps.get_model("monitoring", "MonitoringVisitEvent")
    recorded = event.objects.filter(pgh_obj=visit).order_by("-pgh_id").first()
    assert recorded.findings == longest


def test_the_audit_trail_keeps_plain_text_so_old_history_stays_as_written():
    assert MonitoringVisit._meta.get_field("findings").max_length == STATEMENT_LENGTH
    event = apps.get_model("monitoring", "MonitoringVisitEvent")
    assert event._meta.get_field("findings").max_length is None
    assert event._meta.get_field("findings").db_type(connection) == "text"
