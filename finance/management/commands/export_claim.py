"""manage.py export_claim --claim N --format json|xlsx [--output FILE]: a payment claim's
tables (the list of documents and the summary by task with the co-financing split)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from finance import papers
from finance.models import FundingAgreement


class Command(BaseCommand):
    help = "Exports a payment claim's tables (documents, summary by task) as JSON or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--claim", type=int, required=True, help="The claim's number.")
        parser.add_argument("--format", choices=("json", "xlsx"), default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        agreement = FundingAgreement.current()
        claim = agreement and agreement.claims.filter(number=options["claim"]).first()
        if claim is None:
            raise CommandError(f"No payment claim number {options['claim']}.")
        if options["format"] == "json":
            content = json.dumps(papers.claim_data(claim), ensure_ascii=False, indent=2)
            content = (content + "\n").encode("utf-8")
        else:
            content = papers.claim_workbook(claim)
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        elif options["format"] == "json":
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            sys.stdout.buffer.write(content)
