from django.core.management.base import BaseCommand, CommandError

from lebork_einclusion import clock
from lebork_einclusion.daily import run_daily, tasks


class Command(BaseCommand):
    help = (
        "Runs every app's daily tasks on the office's today (ends what has expired, plans "
        "visits, clears old generated files, ...) and prints what each did. Idempotent: run it "
        "again and nothing changes. Run by the einclusion-daily.timer and by `make run`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", action="append", metavar="TASK", help="run only this task (repeatable)"
        )
        parser.add_argument("--list", action="store_true", help="list the tasks and stop")

    def handle(self, *args, only=None, list=False, **options):
        known = [task.name for task in tasks()]
        if list:
            for name in known:
                self.stdout.write(name)
            return
        unknown = sorted(set(only or []) - set(known))
        if unknown:
            raise CommandError(f"unknown task(s): {', '.join(unknown)}; known: {', '.join(known)}")
        day = clock.today()
        self.stdout.write(f"daily tasks for {day.isoformat()}")
        outcomes = run_daily(day, only=only)
        for outcome in outcomes:
            self.stdout.write(f"  {outcome.task}: {outcome.report}")
        if any(outcome.failed for outcome in outcomes):
            raise CommandError("some daily tasks failed")
