"""The duty of §6.7 of the Regulation: a participating household takes part in the training.

Listed for the coordinator (who acts on the lending pages: a reminder, or §7.4 exclusion):
households in which nobody has completed an obligatory module yet, and households whose
trainees missed more of it, without excuse, than the module allows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from lebork_einclusion.models import Project
from lending.models import Participant

from .models import Trainee, TrainingModule
from .rules import format_hours
from .standings import standing, with_hours


@dataclass
class Finding:
    module: TrainingModule
    kind: str  # "not_enrolled" | "not_completed" | "missed"
    text: str
    trainee: Trainee | None = None
    missed: Decimal | None = None


@dataclass
class Household:
    participant: Participant
    findings: list[Finding] = field(default_factory=list)


def households_to_act_on(project=None) -> list[Household]:
    """Active participants with at least one finding, in the order of the main list; four
    queries whatever the number of households."""
    project = project or Project.current()
    if project is None:
        return []
    # A module is a duty when it says so; an e-learning module also when the household's call
    # says so (Call.e_learning_obligatory).
    modules = list(
        TrainingModule.objects.filter(
            Q(obligatory=True) | Q(form=TrainingModule.Form.E_LEARNING), project=project
        ).order_by("number")
    )
    if not modules:
        return []
    places = defaultdict(list)
    for trainee in with_hours(Trainee.objects.filter(module__in=modules)):
        places[(trainee.participant_id, trainee.module_id)].append(trainee)
    participants = (
        Participant.objects.active()
        .select_related("application__call", "signatory")
        .order_by("application__sequence")
    )
    result = []
    for participant in participants:
        household = Household(participant)
        for module in modules:
            if not module.obligatory and not participant.application.call.e_learning_obligatory:
                continue
            trainees = places.get((participant.pk, module.pk), [])
            standings = [(t, standing(t)) for t in trainees]
            if not trainees:
                household.findings.append(
                    Finding(
                        module,
                        "not_enrolled",
                        _("%(module)s: nobody from the household is enrolled.")
                        % {"module": module.name},
                    )
                )
            elif not any(s.completed for _t, s in standings):
                household.findings.append(
                    Finding(
                        module,
                        "not_completed",
                        _("%(module)s: nobody from the household has completed it yet.")
                        % {"module": module.name},
                    )
                )
            for trainee, state in standings:
                if state.missed_too_much:
                    household.findings.append(
                        Finding(
                            module,
                            "missed",
                            _(
                                "%(name)s missed %(missed)s h of %(module)s without excuse; "
                                "%(allowed)s h are allowed."
                            )
                            % {
                                "name": trainee.full_name,
                                "missed": format_hours(state.absent),
                                "module": module.name,
                                "allowed": format_hours(state.allowed_absence),
                            },
                            trainee=trainee,
                            missed=state.absent,
                        )
                    )
        if household.findings:
            result.append(household)
    return result
