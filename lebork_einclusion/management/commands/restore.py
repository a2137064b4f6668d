from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lebork_einclusion.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database (in one transaction) and the "
        "uploaded files. Stop the web server and the task worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .tar archive")
        parser.add_argument("--database", help="restore into this database of the same server")
        parser.add_argument("--media-root", help="restore the uploads here (default MEDIA_ROOT)")
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, database=None, media_root=None, no_input=False, **options):
        archive = Path(file)
        try:
            manifest = read_manifest(archive) if archive.is_file() else None
        except BackupError as error:
            raise CommandError(str(error)) from None
        target = database or settings.DATABASES["default"]["NAME"]
        if manifest and not no_input:
            answer = input(
                f"Replace database {target} and the uploads with the backup of "
                f"{manifest.get('created_at')}? Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Cancelled. Nothing was changed.")
        try:
            manifest = restore_backup(
                archive, database=database, media_root=Path(media_root) if media_root else None
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest.get('created_at')} into {target} "
            f"({len(manifest.get('tables', {}))} tables, {manifest.get('media_files', 0)} files)."
        )
