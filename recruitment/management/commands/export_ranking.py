"""FORMATS.md: `manage.py export_ranking --call CODE [--format json|xlsx|csv] [--output FILE]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recruitment.interchange import ranking_csv, ranking_json, ranking_payload, ranking_xlsx
from recruitment.models import Call
from recruitment.services.evaluation import recompute


class Command(BaseCommand):
    help = "Writes the call's ranking (the rules applied to the applications as they are now)."

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True)
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument(
            "--output", type=Path, help="Required for xlsx; json and csv go to stdout without it."
        )

    def handle(self, *args, call: str, format: str, output: Path | None, **options):
        found = Call.objects.filter(code=call).first()
        if found is None:
            raise CommandError(f"No call with code {call}.")
        payload = ranking_payload(found, recompute(found))
        if format == "xlsx":
            if output is None:
                raise CommandError("--output FILE is required for xlsx.")
            output.write_bytes(ranking_xlsx(payload))
            return
        text = ranking_json(payload) if format == "json" else ranking_csv(payload)
        if output:
            output.write_text(text + ("\n" if format == "json" else ""), encoding="utf-8")
        else:
            self.stdout.write(text, ending="\n" if format == "json" else "")
