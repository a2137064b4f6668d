"""Monitoring's daily tasks (see lebork_einclusion.daily)."""

import datetime

from lebork_einclusion.daily import daily_task

from .services import digests
from .services.plans import do_sync_plans


@daily_task("sync_visit_plans")
def sync_visit_plans(day: datetime.date) -> str:
    """Catch the visit plan up with lending (handovers, ends) written any other way."""
    result = do_sync_plans(actor=None)
    return (
        f"{result.planned} visits planned for {result.households} households, "
        f"{result.cancelled} cancelled"
    )


@daily_task("send_digests")
def send_digests(day: datetime.date) -> str:
    """The daily e-mail of each subscribed user's to-dos, at most one per user and day."""
    sent = digests.send_digests(day)
    return f"{sent} daily digests sent"
