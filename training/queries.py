"""The reads of training that other apps may use (monitoring: indicators, chronicle, §6.7).

Gathered here from the modules that compute them, so that another app imports this module and
training's models only; the writes are training.services' `do_*` functions.
"""

from .figures import training_figures
from .obligations import households_to_act_on
from .rules import format_hours
from .sessions_due import sessions_on, sessions_without_attendance
from .standings import standing, with_hours

__all__ = [
    "format_hours",
    "households_to_act_on",
    "sessions_on",
    "sessions_without_attendance",
    "standing",
    "training_figures",
    "with_hours",
]
