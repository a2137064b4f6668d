from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lebork_einclusion.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc) and the uploaded files into one .tar archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive to write (default: BACKUP_DIR/...)")

    def handle(self, *args, output=None, **options):
        try:
            path = create_backup(Path(output) if output else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {path}")
