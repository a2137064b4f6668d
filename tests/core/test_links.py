"""Row links made from one reverse() per URL name give exactly what {% url %} gives."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from lebork_einclusion.links import id_url

NAMES = ["training:trainee_detail", "lending:participant_detail", "recruitment:application_detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 42, 987654, 2**31 - 1])
def test_a_row_link_is_the_reversed_url(name, pk):
    assert id_url(name, pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_kept_per_prefix():
    plain = id_url("training:trainee_detail", 5)
    set_script_prefix("/urzad/")
    try:
        assert id_url("training:trainee_detail", 5) == "/urzad" + plain
        assert id_url("training:trainee_detail", 5) == reverse("training:trainee_detail", args=[5])
    finally:
        set_script_prefix("/")
    assert id_url("training:trainee_detail", 5) == plain


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        id_url("training:trainee_detail", "5/../../admin")


def test_the_template_filter_gives_what_the_url_tag_gives():
    template = Template(
        "{% load links %}{{ pk|row_url:'training:group_detail' }}|{% url 'training:group_detail' pk %}"
    )
    ours, django = template.render(Context({"pk": 31})).split("|")
    assert ours == django
