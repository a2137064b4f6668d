"""Register the equipment of a supplier's delivery list (XLSX or CSV), as the import page does:
every row is checked first, and one problem refuses the whole file."""

import datetime
from pathlib import Path

import pghistory
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from lebork_einclusion.tables import read_table
from lending.services.equipment import do_import_delivery
from procurement.models import Contract


class Command(BaseCommand):
    help = "Imports a delivery list (columns: kind, make and model, serial number, value, ...)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--contract", required=True, help="The contract number it came under.")
        parser.add_argument("--delivered-on", required=True, help="The delivery date, YYYY-MM-DD.")
        parser.add_argument("--insurance", help="The number of the insurance contract, if any.")
        parser.add_argument("--user", help="The login recorded as the one who imported it.")

    def handle(self, *args, **options):
        try:
            delivered_on = datetime.date.fromisoformat(options["delivered_on"])
        except ValueError:
            raise CommandError("--delivered-on must be a date: YYYY-MM-DD.") from None
        contract = Contract.objects.filter(number=options["contract"]).first()
        if contract is None:
            raise CommandError(f"No contract numbered {options['contract']}.")
        insurance = None
        if options["insurance"]:
            insurance = Contract.objects.filter(number=options["insurance"]).first()
            if insurance is None:
                raise CommandError(f"No contract numbered {options['insurance']}.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            with path.open("rb") as handle, pghistory.context(command="import_delivery"):
                table = read_table(File(handle, name=path.name))
                assets = do_import_delivery(
                    table, contract, delivered_on, insurance_contract=insurance, actor=actor
                )
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.messages)) from None
        self.stdout.write(f"{len(assets)} assets registered under contract {contract.number}.")
