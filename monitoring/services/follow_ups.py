"""Follow-up actions set at a visit or by hand, and their closing.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service

from ..models import (
    FollowUp,
)
from .errors import raise_errors

# --- follow-up actions -------------------------------------------------------------------------


def follow_up_errors(*, what, responsible, due_on, status, outcome, closed_on, created_on) -> dict:
    errors = {}
    if not (what or "").strip():
        errors["what"] = _("Say what is to be done.")
    if responsible is None or not responsible.is_active:
        errors["responsible"] = _("Choose who is responsible.")
    if due_on is None:
        errors["due_on"] = _("Enter the date.")
    if status != FollowUp.Status.OPEN:
        if not (outcome or "").strip():
            errors["outcome"] = _("Say how it ended.")
        if closed_on is None:
            errors["closed_on"] = _("Enter the day it was closed.")
        elif closed_on > clock.today():
            errors["closed_on"] = _("The date cannot be in the future.")
        elif created_on and closed_on < created_on:
            errors["closed_on"] = _("It cannot be closed before it was set (%(date)s).") % {
                "date": short_date(created_on)
            }
    return errors


@service
def do_add_follow_up(participant, *, what, responsible, due_on, actor, visit=None) -> FollowUp:
    errors = follow_up_errors(
        what=what,
        responsible=responsible,
        due_on=due_on,
        status=FollowUp.Status.OPEN,
        outcome="",
        closed_on=None,
        created_on=None,
    )
    if not participant.is_active and not errors:
        errors["what"] = _("Household %(number)s no longer takes part.") % {
            "number": participant.application.number
        }
    raise_errors(errors)
    return FollowUp.objects.create(
        visit=visit,
        participant=participant,
        what=what.strip(),
        responsible=responsible,
        due_on=due_on,
        created_by=actor,
    )


def set_on(follow_up) -> datetime.date | None:
    """The day a follow-up was set: its visit's (recorded later when the phone was offline),
    or the day it was entered."""
    if follow_up.visit_id:
        return clock.day_of(follow_up.visit.visited_at)
    return clock.day_of(follow_up.created_at) if follow_up.created_at else None


@service
def do_close_follow_up(follow_up, *, status, outcome, closed_on, actor) -> FollowUp:
    """Close a follow-up action without a form (the demo, an import): checked alike."""
    follow_up = locked(follow_up)
    if not follow_up.is_open:
        raise ValidationError(_("This follow-up action is already closed."))
    if status == FollowUp.Status.OPEN:
        raise ValidationError({"status": _("Choose how it ended.")})
    raise_errors(
        follow_up_errors(
            what=follow_up.what,
            responsible=follow_up.responsible,
            due_on=follow_up.due_on,
            status=status,
            outcome=outcome,
            closed_on=closed_on,
            created_on=set_on(follow_up),
        )
    )
    follow_up.status, follow_up.outcome, follow_up.closed_on = (
        status,
        outcome.strip(),
        closed_on,
    )
    save_changed(follow_up, "status", "outcome", "closed_on")
    return follow_up


@service
def do_save_follow_up(follow_up, data: dict, *, actor) -> FollowUp:
    """Change or close a follow-up action: closing it needs the outcome and the day; reopening
    clears the day. `data`: what, responsible, due_on, status, outcome, closed_on and the
    `version` the form was opened with (a follow-up saved by someone else since is refused)."""
    values = {name: value for name, value in data.items() if name != "version"}
    if values.get("status") == FollowUp.Status.OPEN:
        values["closed_on"] = None
    raise_errors(
        follow_up_errors(
            what=values.get("what"),
            responsible=values.get("responsible"),
            due_on=values.get("due_on"),
            status=values.get("status"),
            outcome=values.get("outcome"),
            closed_on=values.get("closed_on"),
            created_on=set_on(follow_up),
        )
    )
    follow_up = locked(follow_up, expected_version=data.get("version"))
    for name, value in values.items():
        setattr(follow_up, name, value)
    save_changed(follow_up)
    return follow_up
