"""The project's indicators: targets from the project record beside live figures from the apps.

Monitoring is the top layer, so this is the one place that reads every app's figures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lebork_einclusion.models import Project, PublicUnit


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    target: int | None
    value: int | None  # None: the app that measures it has no data yet
    unit: str

    @property
    def percent(self) -> int | None:
        if self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target)


def live_indicators(project: Project) -> list[Indicator]:
    return [
        Indicator(
            "households",
            _("Households with a computer and Internet"),
            project.target_households,
            None,
            _("households"),
        ),
        Indicator(
            "public_units",
            _("Public units registered"),
            project.target_public_units,
            PublicUnit.objects.count(),
            _("units"),
        ),
        Indicator(
            "people_trained", _("People trained"), project.target_people_trained, None, _("people")
        ),
        Indicator(
            "training_hours",
            _("Training hours delivered"),
            project.target_training_hours,
            None,
            _("hours"),
        ),
    ]
