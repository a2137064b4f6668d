"""lebork_einclusion.forms.QuickSelect draws the HTML of Django's Select templates."""

import pytest
from django import forms
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.forms import AuditFilterForm, QuickSelect

CHOICES = [
    ("", "all"),
    ("lending.Participant", 'Uczestnik <b>"&"</b>'),
    ("Sprzęt", [(1, "zestaw"), (2, "router")]),
    (3, "trzeci"),
]


@pytest.mark.parametrize("value", [None, "", "lending.Participant", 2, "3", "<x>"])
@pytest.mark.parametrize(
    "attrs", [{"class": "form-select"}, {"class": "a", "required": True, "disabled": False}]
)
def test_the_html_is_djangos(value, attrs):
    quick = QuickSelect(attrs=attrs, choices=CHOICES).render("model", value, {"id": "id_model"})
    django = forms.Select(attrs=attrs, choices=CHOICES).render("model", value, {"id": "id_model"})
    assert quick == django


def test_a_multiple_select_is_djangos_too():
    class Quick(QuickSelect):
        allow_multiple_selected = True

    values = ["lending.Participant", 1]
    quick = Quick(choices=CHOICES).render("m", values, {"multiple": True})
    assert quick == forms.SelectMultiple(choices=CHOICES).render("m", values, {"multiple": True})


def test_the_audit_trail_filter_keeps_its_choice(client, make_user):
    client.force_login(make_user(roles.AUDITOR))
    form = AuditFilterForm(model_choices=[("lending.Participant", "uczestnik")])
    assert isinstance(form.fields["model"].widget, QuickSelect)
    page = client.get(reverse("core:audit_log"), {"model": "lending.Connection"}).content
    assert b'<select name="model" class="form-select" id="id_model">' in page
    assert b'<option value="lending.Connection" selected>' in page
