"""`manage.py db_worker`: django-tasks-db's worker, same options, started as before by
scripts/dev.sh, compose.yaml and the systemd unit. Before it takes tasks it fails the background
files whose worker died (no heartbeat for EINCLUSION_JOB_STALE_MINUTES), with their task rows, so
their pages stop polling and offer a retry."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from lebork_einclusion.background import fail_stale_jobs


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + " (after failing jobs whose worker died)"

    def handle(self, *args, **options):
        failed = fail_stale_jobs()
        if failed:
            self.stdout.write(f"{failed} background job(s) without a heartbeat marked failed")
        return super().handle(*args, **options)
