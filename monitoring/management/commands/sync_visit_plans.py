"""Bring the visit plan in step with lending: `manage.py sync_visit_plans` (daily, from cron or
a systemd timer). Lending's services update the plan themselves through its signal; this catches
up with records written any other way."""

from django.core.management.base import BaseCommand

from monitoring.services.plans import do_sync_plans


class Command(BaseCommand):
    help = (
        "Plans the visits of households whose equipment was handed over and cancels those of "
        "households that stopped taking part."
    )

    def handle(self, *args, **options):
        # The daily run has no user: the plan follows lending (as it did without the decorator).
        result = do_sync_plans(actor=None)
        self.stdout.write(
            f"{result.planned} visits planned for {result.households} households, "
            f"{result.cancelled} cancelled"
        )
