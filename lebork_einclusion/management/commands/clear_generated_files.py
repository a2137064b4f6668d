from django.core.management.base import BaseCommand

from lebork_einclusion.background import clear_expired


class Command(BaseCommand):
    help = (
        "Deletes files made in the background (PDFs of a whole call, with PESEL numbers) older "
        "than GENERATED_FILES_KEEP_DAYS (2 days by default). Run daily (einclusion-clear-"
        "generated.timer, the compose `cleanup` service)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {clear_expired()} generated files")
