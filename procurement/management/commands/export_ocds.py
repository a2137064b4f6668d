"""Write every procedure as an OCDS 1.1 release package (JSON), as the download button does."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from procurement import ocds


class Command(BaseCommand):
    help = "Exports every procurement procedure as an OCDS 1.1 release package (JSON)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output).", default="-"
        )
        parser.add_argument(
            "--uri",
            help="The package's URI: where the file will be published.",
            default=None,
        )
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check the package against the OCDS 1.1 schema shipped in procurement/ocds_schema "
            "(needs the jsonschema package).",
        )

    def handle(self, *args, **options):
        uri = options["uri"] or f"urn:lebork-einclusion:ocds:{timezone.now():%Y%m%dT%H%M%S}"
        package = ocds.release_package(ocds.export_queryset(), uri=uri)
        if options["validate"]:
            try:
                from procurement.ocds_schema import validation_errors
            except ImportError as error:  # jsonschema is a development dependency
                raise CommandError(f"--validate needs the jsonschema package: {error}") from None
            errors = validation_errors(package)
            if errors:
                raise CommandError(
                    "The package does not pass the OCDS schema:\n" + "\n".join(errors)
                )
        text = json.dumps(package, ensure_ascii=False, indent=2)
        if options["output"] == "-":
            self.stdout.write(text)
        else:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            count = len(package["releases"])
            self.stderr.write(f"{count} releases written to {options['output']}")
