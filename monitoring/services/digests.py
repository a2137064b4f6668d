"""The daily e-mail of each user's to-dos: the choice on the account page, and the sending."""

import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from lebork_einclusion.records import locked, service

from ..digests import digest_message
from ..models import DigestSubscription


@service
def do_set_daily_digest(user, enabled: bool, *, actor) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    subscription = locked(subscription)
    if subscription.daily_digest != enabled:
        subscription.daily_digest = enabled
        subscription.save(update_fields=["daily_digest"])
    return subscription


@service
def do_send_digest(subscription: DigestSubscription, day: datetime.date, *, actor) -> bool:
    """Send the user's digest for the day unless it went already (True when sent now). The row
    is locked first: two runs of the daily job at once send it once."""
    subscription = locked(subscription)
    user = get_user_model().objects.get(pk=subscription.user_id)
    if (
        not subscription.daily_digest
        or subscription.last_sent_on == day
        or not user.is_active
        or not user.email
    ):
        return False
    message = digest_message(user, day)
    if message is None:  # nothing waits: no mail (a later run the same day may still send one)
        return False
    subject, body = message
    subscription.last_sent_on = day
    subscription.save(update_fields=["last_sent_on"])
    # Sent inside the transaction, after the row is marked: if the commit failed the mail could
    # go twice the next run, never zero times on a day that has work.
    send_mail(subject, body, None, [user.email])
    return True


def send_digests(day: datetime.date) -> int:
    """Every subscribed user's digest for the day, each at most once a day."""
    sent = 0
    pending = DigestSubscription.objects.filter(daily_digest=True).exclude(last_sent_on=day)
    for subscription in pending.order_by("pk"):
        sent += do_send_digest(subscription, day, actor=None)
    return sent
