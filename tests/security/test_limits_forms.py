"""Issue 12, item 9 (unbounded free text): every textarea of every form has a length limit (its
`maxlength` and the server's check), and an over-long text is refused with the Polish message
next to its field while nothing is saved. The visit's findings are the attack of the issue
(a 4 MB finding, then a protocol PDF rendered for half a minute)."""

import importlib
import inspect
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import PrivacyNotice
from lending.models import ExclusionProposal, Participant
from monitoring.models import MonitoringVisit, PlannedVisit
from tests.monitoring.conftest import visit_data, visit_state

# The limits of lebork_einclusion/fields.py, spelled out: the tests fail if they change unseen.
NOTE_LENGTH, STATEMENT_LENGTH, DOCUMENT_LENGTH = 2000, 4000, 10_000

FORM_MODULES = (
    "lebork_einclusion.forms",
    "recruitment.forms",
    "procurement.forms",
    "lending.forms",
    "training.forms",
    "monitoring.forms.common",
    "monitoring.forms.labs",
    "monitoring.forms.snapshots",
    "monitoring.forms.chronicle",
    "monitoring.forms.visits",
    "monitoring.forms.plans",
    "monitoring.forms.follow_ups",
)


def message(limit: int) -> str:
    return f"Upewnij się, że ta wartość ma co najwyżej {limit} znaków (obecnie ma {limit + 1})."


def field_block(page: str, name: str) -> str:
    """The markup of one field: from its wrapper to the next field's."""
    start = page.index(f'id="div_id_{name}"')
    following = page.find('id="div_id_', start + 1)
    return page[start : following if following != -1 else len(page)]


def form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


def test_every_textarea_of_every_form_has_a_length_limit():
    unbounded = []
    seen = 0
    for cls in form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field.widget, forms.Textarea):
                seen += 1
                if getattr(field, "max_length", None) is None:
                    unbounded.append(f"{cls.__module__}.{cls.__name__}.{name}")
                else:
                    assert field.widget.attrs["maxlength"] == str(field.max_length)
    assert seen >= 40
    assert unbounded == []


# --- the visit form (the attack) -----------------------------------------------------


@pytest.fixture
def officer_phone(client, db):
    client.force_login(get_user_model().objects.get(username="monitoring"))
    return client


@pytest.fixture
def planned(db):
    return (
        PlannedVisit.objects.filter(status="planned", participant__status="active")
        .select_related("participant__application")
        .order_by("due_on", "pk")
        .first()
    )


def test_the_visit_form_offers_at_most_the_limit(officer_phone, planned):
    page = officer_phone.get(
        reverse("monitoring:visit_new", args=[planned.participant.pk])
    ).content.decode()
    assert re.search(rf'<textarea name="findings"[^>]*maxlength="{STATEMENT_LENGTH}"', page)


def test_a_four_megabyte_finding_is_refused_next_to_the_field_and_nothing_is_saved(
    officer_phone, planned
):
    household = planned.participant
    before = visit_state()
    data = visit_data(household, planned=planned, findings="x" * (4 * 1024 * 1024))
    response = officer_phone.post(
        reverse("monitoring:visit_new", args=[household.pk]) + f"?planned={planned.pk}", data
    )
    assert response.status_code in (200, 400)
    errors = response.context["errors"]
    assert {
        "field": "id_findings",
        "label": "Ustalenia",
        "message": f"Upewnij się, że ta wartość ma co najwyżej {STATEMENT_LENGTH} znaków "
        f"(obecnie ma {4 * 1024 * 1024}).",
    } in errors
    assert visit_state() == before
    assert not MonitoringVisit.objects.filter(key=data["key"]).exists()


def test_a_finding_one_character_too_long_is_refused_and_one_of_the_limit_is_kept(
    officer_phone, planned
):
    household = planned.participant
    url = reverse("monitoring:visit_new", args=[household.pk]) + f"?planned={planned.pk}"
    too_long = visit_data(household, planned=planned, findings="ż" * (STATEMENT_LENGTH + 1))
    response = officer_phone.post(url, too_long)
    assert message(STATEMENT_LENGTH) in [e["message"] for e in response.context["errors"]]
    assert not MonitoringVisit.objects.filter(key=too_long["key"]).exists()
    longest = visit_data(household, planned=planned, findings="ż" * STATEMENT_LENGTH)
    officer_phone.post(url, longest)
    assert MonitoringVisit.objects.get(key=longest["key"]).findings == "ż" * STATEMENT_LENGTH


# --- a model form (core) and a plain form (lending) ---------------------------------------------


def test_the_information_clause_refuses_an_over_long_text_next_to_the_field(client_as):
    office = client_as(roles.COORDINATOR)
    url = reverse("core:privacy_notice_edit")
    notice = PrivacyNotice.current()
    fields = office.get(url).context["form"].fields
    data = {f: getattr(notice, f) for f in fields if f != "original"}  # the signed start values
    data.update(purposes="x" * (DOCUMENT_LENGTH + 1))
    response = office.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["purposes"] == [message(DOCUMENT_LENGTH)]
    assert message(DOCUMENT_LENGTH) in field_block(response.content.decode(), "purposes")
    assert PrivacyNotice.current().purposes == notice.purposes
    assert PrivacyNotice.current().version == notice.version


def test_an_exclusion_proposal_refuses_over_long_facts_next_to_the_field(client_as):
    office = client_as(roles.COORDINATOR)
    participant = Participant.objects.filter(status="active").order_by("pk").first()
    proposals = ExclusionProposal.objects.count()
    response = office.post(
        reverse("lending:exclusion_propose", args=[participant.pk]),
        {"facts": "x" * (STATEMENT_LENGTH + 1), "proposed_on": "2013-04-10"},
    )
    assert response.status_code == 200
    block = field_block(response.content.decode(), "facts")
    assert f'maxlength="{STATEMENT_LENGTH}"' in block
    assert message(STATEMENT_LENGTH) in block
    assert ExclusionProposal.objects.count() == proposals
