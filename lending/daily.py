"""Lending's daily tasks (see lebork_einclusion.daily): what the end dates mean for the day.

What is truthful, and so what the job does and does not do:

- An agreement whose term (as its annexes left it) is over is no longer in force from the next
  day on: `queries.agreements_in_force_on` and the pages ("po terminie — wymaga decyzji") say
  so from the end date alone, with no write. Its status is NOT changed here: ending it is the
  coordinator's decision (an annex, the return of the equipment, or at the end of the
  durability period the transfer for ownership), and a household whose set is still at home
  has not returned it. The job plans the return (each item still out is due back 14 days after
  the end) and reports how many such agreements wait for a decision, those past the
  durability end counted apart.
- Notes whose obligations have ended (agreement over, equipment back or handed over, no claim
  open) are listed by number of notes: the office returns or destroys each with its protocol.

Every task is idempotent: a second run on the same day plans nothing and reports the same
lists. Reports carry counts only, never names.
"""

import datetime

from lebork_einclusion.daily import daily_task
from lebork_einclusion.models import Project

from .queries import agreements_to_decide
from .services.agreements import do_plan_returns, notes_to_release


@daily_task("lending_agreements_past_their_end")
def agreements_past_their_end(day: datetime.date) -> str:
    """Plan the returns of agreements past their end; list those awaiting a decision."""
    planned = do_plan_returns(day, actor=None)
    waiting = agreements_to_decide(day)
    past_end = waiting.filter(ends_on__lt=day)
    project = Project.current()
    beyond = past_end.count() if project is not None and day > project.durability_end else 0
    return (
        f"{planned} returns planned; {past_end.count()} agreements past their end not ended "
        f"(not ended by this job: the coordinator decides), {beyond} of them past the "
        f"durability end without a transfer or return; "
        f"{waiting.count() - past_end.count()} ending within 90 days without a decision"
    )


@daily_task("lending_notes_due_back")
def notes_due_back(day: datetime.date) -> str:
    """The promissory notes whose obligations have ended: to return or destroy (§6.8)."""
    return f"{notes_to_release().count()} promissory notes to return or destroy"
