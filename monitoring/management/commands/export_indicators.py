"""Print the live indicators with their targets: `manage.py export_indicators --format json`.

One JSON object per indicator: code, name, target, value, unit (value null: not measured yet).
The figures are live_indicators' (the same as the home page), names in the office's language.
"""

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lebork_einclusion.models import Project
from monitoring.indicators import live_indicators


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Prints the project's live indicators and their targets."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--as-of",
            type=_day,
            help="Count the records as they stood at the end of this day (default: today).",
        )

    def handle(self, *args, **options):
        project = Project.current()
        if project is None:
            raise CommandError("The project record has not been entered yet.")
        with translation.override(settings.LANGUAGE_CODE):
            rows = [i.as_dict() for i in live_indicators(project, options["as_of"])]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            value = "—" if row["value"] is None else row["value"]
            target = "—" if row["target"] is None else row["target"]
            self.stdout.write(
                f"{row['code']:<24} {value!s:>8} / {target!s:<6} {row['unit']}  {row['name']}"
            )
