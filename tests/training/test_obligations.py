"""§6.7: the training is a participant's duty; the e-learning module is one when the call says so
(Call.e_learning_obligatory), whatever the module's own flag."""

import pytest

from recruitment.models import Call
from training.models import TrainingModule
from training.obligations import households_to_act_on

pytestmark = pytest.mark.django_db


def e_learning_findings():
    module = TrainingModule.objects.get(project_id=1, form="e_learning")
    assert not module.obligatory  # the demo's module does not say so itself
    return [
        finding
        for household in households_to_act_on()
        for finding in household.findings
        if finding.module == module
    ]


def test_the_e_learning_module_is_no_duty_unless_the_call_says_so():
    assert Call.objects.get(code="2012").e_learning_obligatory is False
    assert e_learning_findings() == []


def test_when_the_call_says_so_households_without_the_e_learning_are_listed():
    Call.objects.filter(code="2012").update(e_learning_obligatory=True)
    findings = e_learning_findings()
    assert findings
    assert {f.kind for f in findings} <= {"not_enrolled", "not_completed", "missed"}
