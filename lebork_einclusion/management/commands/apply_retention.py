import datetime

from django.core.management.base import BaseCommand, CommandError

from lebork_einclusion import clock
from lebork_einclusion.gdpr.retention import do_apply_retention, retention_end


class Command(BaseCommand):
    help = (
        "Anonymise personal data past its retention period (the end of the durability period "
        "plus RETENTION_YEARS_AFTER_DURABILITY), except records under a legal hold and everyone "
        "named in them. Run with --dry-run first: it reports and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only")
        parser.add_argument(
            "--today", help="the date to judge expiry by (YYYY-MM-DD; default: today)"
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today must be a date, YYYY-MM-DD.") from None
        else:
            today = clock.today()
        report = do_apply_retention(today, actor=None, dry_run=dry_run)
        end = retention_end()
        self.stdout.write(
            f"Retention {'DRY RUN' if dry_run else 'APPLIED'} on {today:%Y-%m-%d}; "
            f"project documents are kept until {end:%Y-%m-%d}."
            if end
            else f"Retention {'DRY RUN' if dry_run else 'APPLIED'} on {today:%Y-%m-%d}; no project record."
        )
        rows = report.counts()
        if not rows:
            self.stdout.write("Nothing is past its retention period.")
        verb = "would anonymise" if dry_run else "anonymised"
        for source, anonymised, held in rows:
            self.stdout.write(
                f"  {source.label}: {verb} {anonymised}, kept under a legal hold {held}"
            )
        self.stdout.write(
            f"Total: {verb} {report.anonymised}, kept under a legal hold {report.held}."
        )
