"""FORMATS.md: `manage.py import_applications FILE.json --call CODE [--update]`."""

from pathlib import Path

import pghistory
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recruitment.interchange import do_import, load_json


class Command(BaseCommand):
    help = "Imports applications from a JSON file (all or nothing; every problem is listed)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--call", required=True, help="The call's code, e.g. 2012.")
        parser.add_argument(
            "--update", action="store_true", help="Replace applications whose number exists."
        )

    def handle(self, *args, file: Path, call: str, update: bool, **options):
        try:
            data = load_json(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        with pghistory.context(command="import_applications"):
            imported_call, problems, count = do_import(data, call, actor=None, update=update)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(f"Imported {count} application(s) into call {imported_call.code}.")
        )
