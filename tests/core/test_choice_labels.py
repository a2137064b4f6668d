"""get_<field>_display() of the project's models reads the labels once per field and language
(lebork_einclusion.models.choice_label), with Django's answers."""

from django.db import models
from django.utils import translation

from lending.models import LoanAgreement, PromissoryNote


def django_display(instance, name):
    """Django's own get_<field>_display()."""
    return models.Model._get_FIELD_display(instance, instance._meta.get_field(name))


def test_the_labels_are_djangos_in_each_language(db):
    for language, expected in (("pl", "obowiązuje"), ("en", "in force")):
        agreement = LoanAgreement.objects.select_related("note").get(number="UU/2012/001")
        with translation.override(language):
            assert agreement.get_status_display().startswith(expected)
            for status in LoanAgreement.Status.values:
                agreement.status = status
                assert agreement.get_status_display() == django_display(agreement, "status")
            for status in PromissoryNote.Status.values:
                agreement.note.status = status
                assert agreement.note.get_status_display() == django_display(
                    agreement.note, "status"
                )


def test_a_value_outside_the_choices_is_shown_as_it_is(db):
    agreement = LoanAgreement(status="no-such-status")
    assert agreement.get_status_display() == "no-such-status"
    assert agreement.get_status_display() == django_display(agreement, "status")
