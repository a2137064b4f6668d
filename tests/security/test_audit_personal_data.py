"""Issue 12, item 3: the audit trail never shows the values of personal data, for any role.

Every model with an audit trail that holds personal data (a source of the GDPR registry, or a
field declared with gdpr.hide_in_audit_trail) gets every such field changed in place on a demo
row; the audit page filtered on that record then names each field as changed and shows
"zmieniono (dane osobowe, nie są pokazywane)" instead of the old and the new value.
"""

import contextlib
import datetime
import decimal

import pgtrigger
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from pghistory.models import Event, Events

from lebork_einclusion import gdpr, roles
from recruitment.models import Application, HouseholdMember, ReviewNote

MASK = "zmieniono (dane osobowe, nie są pokazywane)"
NEW_PESEL = "44051401359"
MARKER = "Qx9Sekret"


def _tracked():
    """{tracked model: its event model} for every model with an audit trail."""
    return {
        m.pgh_tracked_model: m
        for m in apps.get_models()
        if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None)
    }


def _declared(label: str, name: str) -> bool:
    """A personal field: as the core declares it (before the fix: the GDPR registry alone)."""
    if hasattr(gdpr, "is_hidden_in_audit_trail"):
        return gdpr.is_hidden_in_audit_trail(label, name)
    source = {s.model.lower(): s for s in gdpr.sources()}.get(label.lower())
    return source is not None and name in source.fields


def _personal_fields(model, event_model):
    label = f"{model._meta.app_label}.{model._meta.object_name}"
    tracked = {f.name for f in event_model._meta.fields if not f.name.startswith("pgh_")}
    return sorted(name for name in tracked if name != "id" and _declared(label, name))


CASES = sorted(
    (
        (f"{model._meta.app_label}.{model._meta.object_name}", fields)
        for model, event_model in _tracked().items()
        if (fields := _personal_fields(model, event_model))
    ),
)


def test_every_source_of_personal_data_with_an_audit_trail_is_covered():
    labels = {label.lower() for label, _ in CASES}
    tracked = {f"{m._meta.app_label}.{m._meta.object_name}".lower() for m in _tracked()}
    for source in gdpr.sources():
        if source.model.lower() in tracked:
            assert source.model.lower() in labels
    assert "recruitment.householdmember" in labels
    assert "recruitment.rankingentry" in labels  # the breakdown names members by PESEL


def _candidates(field, current):
    """Values different from `current`, to try in turn (unique constraints refuse some)."""
    if isinstance(field, models.ForeignKey):
        return list(
            field.related_model._default_manager.exclude(pk=current)
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        )
    if field.choices:
        return [value for value, _ in field.flatchoices if value not in (current, "")]
    if isinstance(field, models.BooleanField):
        return [not current]
    if isinstance(field, models.DateTimeField):
        start = current or datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        return [start + datetime.timedelta(days=1)]
    if isinstance(field, models.DateField):
        return [(current or datetime.date(2020, 1, 1)) + datetime.timedelta(days=1)]
    if isinstance(field, models.DecimalField):
        current = current or decimal.Decimal(0)
        if field.max_digits - field.decimal_places >= 5:
            return [current + decimal.Decimal("1234.56")]
        return [current + 1 if current < 50 else current - 1]
    if isinstance(field, models.IntegerField):
        return [(current or 0) + 1 if (current or 0) < 50 else current - 1]
    if isinstance(field, models.FileField):
        return [f"private/{MARKER}.pdf"]
    if isinstance(field, models.JSONField):
        return [[{"pesel": NEW_PESEL, "points": 1}]]
    if "pesel" in field.name:
        return [NEW_PESEL]
    return [(MARKER + field.name)[: field.max_length or 40]]


def _change(model, pk, field, current) -> bool:
    """Change one field in place (a savepoint per try); True if a value was accepted."""
    for value in _candidates(field, current):
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**{field.attname: value})
        except IntegrityError:
            continue
        return True
    return False


def _make(label):
    """A row for the sources the demo leaves empty."""
    user = get_user_model().objects.order_by("pk").first()
    if label == "recruitment.ReviewNote":
        application = Application.objects.order_by("pk").first()
        return ReviewNote.objects.create(application=application, author=user, text="Notatka")
    if label == "lending.DamageClaim":
        from lending.models import DamageClaim, LoanItem

        item = LoanItem.objects.select_related("agreement", "asset").order_by("pk").first()
        return DamageClaim.objects.create(
            asset=item.asset,
            agreement=item.agreement,
            kind=DamageClaim.Kind.values[0],
            description="Pęknięty ekran",
            occurred_on=datetime.date(2024, 5, 1),
            opened_by=user,
        )
    if label == "core.ArchivedPaper":
        from lebork_einclusion import archive
        from lending import papers
        from lending.models import LoanAgreement

        agreement = LoanAgreement.objects.filter(signed_on__isnull=False).order_by("pk").first()
        return archive.store(
            agreement, papers.AGREEMENT, lambda draft: b"%PDF-1.4 signed", actor=user
        )
    return None


def _protecting_triggers(model):
    return [
        f"{m._meta.label}:{t.name}"
        for m, t in pgtrigger.registered()
        if m is model and "pghistory" not in type(t).__module__
    ]


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.AUDITOR])
@pytest.mark.parametrize(("label", "fields"), CASES, ids=[label for label, _ in CASES])
def test_the_audit_trail_masks_every_personal_field(client_as, label, fields, role):
    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first() or _make(label)
    assert obj is not None, f"the demo has no {label}"
    old = {name: getattr(obj, model._meta.get_field(name).attname) for name in fields}
    events_before = Events.objects.tracks(obj).count()
    protecting = _protecting_triggers(model)  # never empty: ignore() alone ignores them all
    with pgtrigger.ignore(*protecting) if protecting else contextlib.nullcontext():
        changed = [
            name
            for name in fields
            if _change(model, obj.pk, model._meta.get_field(name), old[name])
        ]
    assert changed, f"nothing of {label} could be changed"
    # A model whose trail records inserts only (the frozen lists) has no change to mask.
    updates_recorded = Events.objects.tracks(obj).count() > events_before

    client = client_as(role)
    response = client.get(reverse("core:audit_log"), {"model": label, "object_id": obj.pk})
    assert response.status_code == 200
    page = response.content.decode()
    for name in changed if updates_recorded else ():
        # Named as the screens name the field (its verbose name, in Polish), value masked.
        with translation.override("pl"):
            shown = escape(capfirst(str(model._meta.get_field(name).verbose_name)))
        assert f"<strong>{shown}</strong>: <em>{MASK}</em>" in page, (label, name)
    assert MARKER not in page
    assert NEW_PESEL not in page
    for value in old.values():
        if isinstance(value, str) and len(value) >= 5:
            assert value not in page, (label, value)
        if isinstance(value, decimal.Decimal) and value:
            assert f"{value}" not in page, (label, value)


def test_a_pesel_and_an_income_changed_through_the_orm_are_never_shown(coordinator_client):
    member = HouseholdMember.objects.order_by("pk").first()
    old_pesel = member.pesel
    member.pesel = NEW_PESEL
    member.save(update_fields=["pesel"])
    application = Application.objects.order_by("pk").first()
    application.monthly_net_income = decimal.Decimal("7654.32")
    application.save(update_fields=["monthly_net_income"])

    for label in ("recruitment.HouseholdMember", "recruitment.Application"):
        page = coordinator_client.get(reverse("core:audit_log"), {"model": label}).content.decode()
        assert MASK in page
        assert old_pesel not in page
        assert NEW_PESEL not in page
        assert "7654.32" not in page
        assert "7654,32" not in page

    # The history on the application's own page masks them too.
    page = coordinator_client.get(
        reverse("recruitment:application_detail", args=[member.application_id])
    ).content.decode()
    assert f"<strong>PESEL</strong>: <em>{MASK}</em>" in page
    assert NEW_PESEL not in page.split("history-heading")[-1]


def test_fields_without_personal_data_still_show_their_values(coordinator_client):
    from lebork_einclusion.models import Project

    Project.objects.update(measure="8.3 audyt")
    page = coordinator_client.get(
        reverse("core:audit_log"), {"model": "core.Project"}
    ).content.decode()
    assert "8.3 audyt" in page
