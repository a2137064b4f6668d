"""Training's figures for the project's indicators (the monitoring app reads them from here).

`training_figures(project=None)` returns plain data (dicts, lists, ints, Decimals, floats,
dates) in a fixed number of queries whatever the number of trainees.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from lebork_einclusion.models import Project

from .models import Attendance, Trainee, TrainingGroup, TrainingModule, TrainingSession
from .rules import AGE_BANDS, age_band
from .standings import standing, with_hours

ZERO = Decimal("0")
SEXES = ("F", "M")


def _rate(part, whole) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def _breakdown(keys):
    return {key: {"enrolled": 0, "trained": 0} for key in keys}


def training_figures(project=None) -> dict:
    """People trained by module, sex (PESEL's sex digit) and age band (age on the module's
    first day), hours delivered against planned, completion rate, each group's attendance rate.

    {
      "project_id": 1,
      "totals": {"people_enrolled", "people_trained",
                 "hours_planned", "hours_scheduled", "hours_delivered":
                     {"academic": Decimal, "clock": Decimal} (one sum per unit, never mixed)},
      "modules": [{
          "id", "number", "name", "form" ("classroom" | "e_learning"), "starts_on", "ends_on",
          "hour_unit" ("academic" | "clock": the unit of every hour figure of the module),
          "groups_planned", "hours_planned", "hours_scheduled", "hours_delivered",
          "people_enrolled", "people_trained",
          "completion_rate": trained / enrolled (0-1) or None,
          "by_sex": {"F": {"enrolled", "trained"}, "M": {...}},
          "by_age_band": {"0-17" | "18-24" | "25-44" | "45-64" | "65+": {"enrolled", "trained"}},
          "groups": [{"id", "name", "trainees", "capacity", "hours_planned", "hours_scheduled",
                      "hours_delivered", "attendance_rate": present hours / marked hours (0-1)
                      or None}],
      }],
      "completed": [(module id, person: PESEL or "trainee:<id>", sex)] of every trainee who
                   completed a module, in the order the trainees are read (group, id),
    }

    "Trained" means completed (rules.Standing.completed). Hours are Decimals in the module's
    unit: academic hours (45 minutes) and clock hours are never added together; a session counts as delivered once attendance is recorded for it. People are counted
    once per module and, in the totals, once whatever the number of modules.
    """
    project = project or Project.current()
    units = TrainingModule.HourUnit.values
    result = {
        "project_id": project.pk if project else None,
        "totals": {
            "people_enrolled": 0,
            "people_trained": 0,
            "hours_planned": dict.fromkeys(units, ZERO),
            "hours_scheduled": dict.fromkeys(units, ZERO),
            "hours_delivered": dict.fromkeys(units, ZERO),
        },
        "modules": [],
        "completed": [],
    }
    if project is None:
        return result
    modules = list(TrainingModule.objects.filter(project=project).order_by("number"))
    groups = defaultdict(list)
    for group in TrainingGroup.objects.filter(module__project=project).order_by("pk"):
        groups[group.module_id].append(group)
    scheduled, delivered = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for group_id, hours, marks in (
        TrainingSession.objects.filter(group__module__project=project)
        .annotate(marks=Count("attendance"))
        .values_list("group_id", "hours", "marks")
    ):
        scheduled[group_id] += hours
        if marks:
            delivered[group_id] += hours
    rates = {
        row["session__group_id"]: _rate(row["present"] or ZERO, row["marked"])
        for row in Attendance.objects.filter(session__group__module__project=project)
        .values("session__group_id")
        .annotate(
            present=Sum("session__hours", filter=Q(status=Attendance.Status.PRESENT)),
            marked=Sum("session__hours"),
        )
    }
    trainees, done = defaultdict(list), {}
    for trainee in with_hours(Trainee.objects.filter(module__project=project)):
        trainees[trainee.module_id].append(trainee)
        done[trainee.pk] = standing(trainee).completed
        if done[trainee.pk]:
            person = trainee.person_pesel or f"trainee:{trainee.pk}"
            result["completed"].append((trainee.module_id, person, trainee.sex))

    everyone, trained_anywhere = set(), set()
    for module in modules:
        by_sex = _breakdown(SEXES)
        by_age = _breakdown(code for code, *_rest in AGE_BANDS)
        enrolled = trained = 0
        for trainee in trainees[module.pk]:
            person = trainee.person_pesel or f"trainee:{trainee.pk}"
            enrolled += 1
            everyone.add(person)
            band = by_age[age_band(trainee.age)]
            band["enrolled"] += 1
            if trainee.sex in by_sex:
                by_sex[trainee.sex]["enrolled"] += 1
            if done[trainee.pk]:
                trained += 1
                trained_anywhere.add(person)
                band["trained"] += 1
                if trainee.sex in by_sex:
                    by_sex[trainee.sex]["trained"] += 1
        group_rows = [
            {
                "id": group.pk,
                "name": group.name,
                "trainees": sum(1 for t in trainees[module.pk] if t.group_id == group.pk),
                "capacity": group.capacity,
                "hours_planned": module.planned_hours_per_group,
                "hours_scheduled": scheduled[group.pk],
                "hours_delivered": delivered[group.pk],
                "attendance_rate": rates.get(group.pk),
            }
            for group in groups[module.pk]
        ]
        row = {
            "id": module.pk,
            "number": module.number,
            "name": module.name,
            "form": module.form,
            "hour_unit": module.hour_unit,
            "starts_on": module.starts_on,
            "ends_on": module.ends_on,
            "groups_planned": module.planned_groups,
            "hours_planned": module.hours_planned,
            "hours_scheduled": sum((g["hours_scheduled"] for g in group_rows), ZERO),
            "hours_delivered": sum((g["hours_delivered"] for g in group_rows), ZERO),
            "people_enrolled": enrolled,
            "people_trained": trained,
            "completion_rate": _rate(trained, enrolled),
            "by_sex": by_sex,
            "by_age_band": by_age,
            "groups": group_rows,
        }
        result["modules"].append(row)
        totals = result["totals"]
        for key in ("hours_planned", "hours_scheduled", "hours_delivered"):
            totals[key][module.hour_unit] += row[key]
    result["totals"]["people_enrolled"] = len(everyone)
    result["totals"]["people_trained"] = len(trained_anywhere)
    return result
