"""What the monitoring forms share: inputs, the staff to choose from, contracts in force."""

import datetime

from django import forms
from django.contrib.auth import get_user_model

from procurement.models import Contract

from .. import schedules

User = get_user_model()
TEXTAREA = {"rows": 3}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def contracts_in_force(month: datetime.date):
    """Contracts whose term covers some of the month (lab supervision is one of them)."""
    return Contract.objects.with_parties().filter(
        term_start__lte=schedules.last_day(month), term_end__gte=month
    )


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract):
        return f"{contract.number} – {contract.supplier.name}"


def staff_users():
    """People who may be made responsible for a follow-up: active staff of the office."""
    from lebork_einclusion import roles

    return (
        User.objects.filter(is_active=True, groups__name__in=roles.MONITORING_STAFF)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()
