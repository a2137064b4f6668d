"""Every edit page of every app (SECURITY.md, Access and Data):
- ModelForms list their fields (ASVS 15.3.3): the form posted back as the browser would send it,
  plus fields it does not show (`status`, `approved_by`, `created_by`, `verified_at`,
  `anonymised_at`, ...), saves and changes none of those columns anywhere;
- a stale form never overwrites (ASVS 2.3.3): a version older or newer than the record's is
  refused with the conflict message, keeps what the user typed and writes nothing.

Generic over the URL list of the role x URL matrix: every `*_edit` URL the coordinator may post
to; the columns watched are those of every model of the project that a person may not set
through a form (statuses, who-did-it and when-it-happened fields, non-editable fields).
"""

import datetime
import html
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from lebork_einclusion import roles
from tests.crawl import forms_of
from tests.url_samples import SAMPLES, all_url_names

EDIT_PAGES = [
    name
    for name, _has_args in all_url_names()
    if name.endswith("_edit") and roles.COORDINATOR in roles.ACCESS[name].change
]
NOT_WATCHED = {"id", "version", "updated_at", "updated_by"}  # a save moves these legitimately
STATUS = "ended"
WHEN = datetime.datetime(2031, 1, 2, 3, 4, tzinfo=datetime.UTC)


def _procedure_in_preparation():
    """The demo's procedures are past editing: a new one, as the register page makes it."""
    from decimal import Decimal

    from procurement.models import Procedure
    from procurement.services import procedures

    procedure = procedures.do_register_procedure(
        actor=get_user_model().objects.get(username="koordynator"),
        registered_on=datetime.date(2024, 2, 20),
        reference="RZP.271.98.2024",
        subject="Dostawa drukarek",
        kind=Procedure.Kind.SUPPLIES,
        procedure_type=Procedure.ProcedureType.OPEN_TENDER,
        estimated_value_net=Decimal("8130.08"),
        estimated_value_gross=Decimal("10000.00"),
    )
    return procedure


def _offer_to_evaluate():
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from procurement.models import Supplier
    from procurement.services import procedures

    actor = get_user_model().objects.get(username="koordynator")
    announced = procedures.do_announce(
        _procedure_in_preparation(),
        announcement_number="900098-2024",
        announcement_date=datetime.date(2024, 3, 1),
        offers_deadline=datetime.datetime(2024, 3, 11, 10, tzinfo=ZoneInfo("Europe/Warsaw")),
        actor=actor,
    )
    offer = procedures.do_record_offer(
        announced,
        bidder=Supplier.objects.order_by("pk").first(),
        received_at=datetime.datetime(2024, 3, 8, 12, tzinfo=ZoneInfo("Europe/Warsaw")),
        price=Decimal("9500.00"),
        actor=actor,
    )
    procedures.do_open_offers(announced, opened_on=datetime.date(2024, 3, 11), actor=actor)
    return offer


# Edit pages whose demo sample is past the step where it can be edited.
EDITABLE = {
    "procurement:procedure_edit": lambda: {"pk": _procedure_in_preparation().pk},
    "procurement:offer_edit": lambda: {"pk": _offer_to_evaluate().pk},
    # Finance: a claim with corrections requested and a document in no claim (a filed claim
    # and its documents are refused).
    "finance:claim_edit": lambda: {"pk": _finance_pk("PaymentClaim", status="corrections")},
    "finance:expenditure_edit": lambda: {"pk": _finance_pk("Expenditure", claim__isnull=True)},
}


def _finance_pk(model, **filters):
    return apps.get_model("finance", model).objects.filter(**filters).order_by("pk").first().pk


def _watched():
    """model -> names of the columns no form may set."""
    found = {}
    for model in apps.get_models():
        if model._meta.app_config.name not in settings.PROJECT_APPS:
            continue
        if hasattr(model, "pgh_obj_model") or model._meta.db_table.endswith("event"):
            continue  # audit trail rows
        names = [
            field.name
            for field in model._meta.concrete_fields
            if field.name not in NOT_WATCHED
            and (
                field.name == "status"
                or field.name.endswith(("_by", "_at", "_on_record"))
                or not field.editable
            )
        ]
        if names:
            found[model] = names
    return found


def _injected(form_names: set[str], watched, intruder) -> dict:
    """A value for every watched column name the form does not have."""
    values = {}
    for model, names in watched.items():
        for name in names:
            if name in form_names or name in values:
                continue
            field = model._meta.get_field(name)
            if name == "status":
                values[name] = STATUS
            elif isinstance(field, models.ForeignKey):
                values[name] = str(intruder.pk)
            elif isinstance(field, models.DateTimeField):
                values[name] = WHEN.strftime("%Y-%m-%d %H:%M")
            elif isinstance(field, models.DateField):
                values[name] = WHEN.date().isoformat()
            elif isinstance(field, models.BooleanField):
                values[name] = "on"
            elif isinstance(field, models.IntegerField | models.DecimalField):
                values[name] = "987654"
            else:
                values[name] = "INJECTED"
    return values


def _took_injected_value(field, before, after, injected: str, intruder) -> bool:
    if before == after:
        return False
    if field.name == "status":
        return after == STATUS
    if isinstance(field, models.ForeignKey):
        return after == intruder.pk
    if isinstance(field, models.DateTimeField):
        return after is not None and after.date() == WHEN.date()
    if isinstance(field, models.DateField):
        return after == WHEN.date()
    return str(after) in {injected, "987654", "True"} and str(before) != str(after)


def _snapshot(watched):
    return {
        model: {row[0]: row[1:] for row in model._default_manager.values_list("pk", *names)}
        for model, names in watched.items()
    }


def test_every_app_has_edit_pages_here():
    assert {name.split(":")[0] for name in EDIT_PAGES} >= {
        "core",
        "recruitment",
        "procurement",
        "lending",
        "training",
        "monitoring",
    }


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_posting_fields_the_form_does_not_show_changes_nothing(client, make_user, name):
    coordinator = make_user(roles.COORDINATOR)
    intruder = get_user_model().objects.get(username="komisja3")
    client.force_login(coordinator)
    samples = {**SAMPLES, **EDITABLE}
    url = reverse(name, kwargs=samples[name]() if name in samples else {})
    page = client.get(url)
    assert page.status_code == 200, (name, page.status_code)
    posts = [form for form in forms_of(page.content.decode()) if form.method == "post"]
    form = max(posts, key=lambda f: len(f.names))  # the page's main form
    watched = _watched()
    injected = _injected(set(form.names), watched, intruder)
    assert len(injected) > 10 and "approved_by" not in form.names
    before = _snapshot(watched)
    response = client.post(url, {**form.data(), **injected})
    # The form as the page rendered it saves: the injected fields went through a real save.
    assert response.status_code == 302, (name, response.status_code)
    after = _snapshot(watched)
    changed = []
    for model, rows in after.items():
        names = watched[model]
        for pk, values in rows.items():
            old = before[model].get(pk)
            if old is None:
                continue
            for field_name, was, now in zip(names, old, values, strict=True):
                if field_name in injected and _took_injected_value(
                    model._meta.get_field(field_name), was, now, injected[field_name], intruder
                ):
                    changed.append(f"{model._meta.label}.{field_name} #{pk}: {was!r} -> {now!r}")
    assert changed == [], f"{name} let a posted field through: {changed}"


# --- concurrent edits ------------------------------------------------------------------------------


CONFLICT = re.compile("Someone else saved this|Ktoś inny zapisał")


def _audit_events() -> int:
    from pghistory.models import Events

    return Events.objects.count()


@pytest.mark.parametrize("stale", [-1, +1], ids=["older", "newer"])
@pytest.mark.parametrize("name", EDIT_PAGES)
def test_a_save_from_a_stale_form_is_refused_with_a_message_and_changes_nothing(
    client, make_user, name, stale
):
    """Optimistic locking on every edit page (SECURITY.md, ASVS 2.3.3): a form whose version is
    not the record's (someone saved in between, or the field was forged) is refused with the
    conflict message, keeps the user's input and writes nothing (no audit event at all)."""
    client.force_login(make_user(roles.COORDINATOR))
    samples = {**SAMPLES, **EDITABLE}
    url = reverse(name, kwargs=samples[name]() if name in samples else {})
    page = client.get(url)
    posts = [form for form in forms_of(page.content.decode()) if form.method == "post"]
    form = max(posts, key=lambda f: len(f.names))
    if "version" not in form.names:
        pytest.skip(f"{name}: a single settings record without a version field")
    data = form.data()
    data["version"] = [str(int(data["version"][0]) + stale)]
    # The user's own change: the last free-text field (notes; a signed contract's terms above it
    # are locked).
    typed = next((n for n in reversed(form.names) if form.types[n] == "textarea"), None)
    if typed:
        data[typed] = [data[typed][0] + " Moja zmiana."]
    events = _audit_events()
    response = client.post(url, data)
    assert response.status_code == 200, (name, response.status_code)
    assert _audit_events() == events
    content = response.content.decode()
    # The conflict message (not a field error), and what the user typed is still in the form.
    assert CONFLICT.search(html.unescape(content)), name
    assert "is-invalid" not in content
    if typed:
        assert "Moja zmiana." in content
