"""Load the demo: every app's `demo.load()` in layer order (core first, monitoring last)."""

import importlib

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lebork_einclusion import archive
from lebork_einclusion.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Loads the synthetic demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Refusing to load demo data into a production database.")
        # The services archive each paper as it becomes binding (lebork_einclusion.archive);
        # the demo's hundreds of protocols, letters and certificates nobody opens are left to
        # the fallback instead (archived on their first opening), not rendered while loading.
        with transaction.atomic(), pghistory.context(command="load_demo"), archive.suspended():
            # PROJECT_APPS lists our apps lowest layer first, so each loader finds what it needs.
            for app in settings.PROJECT_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                module.load(stdout=self.stdout)
        if not options["quiet_logins"]:
            self.stdout.write(
                self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            )
            for username, _first, _last, role in DEMO_USERS:
                self.stdout.write(f"  {username:<12} {role}")
