from django.core.management.base import BaseCommand

from lebork_einclusion.background import clear_expired


class Command(BaseCommand):
    help = "Deletes background-generated files older than two days."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {clear_expired()} generated files")
