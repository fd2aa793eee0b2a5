import datetime

from django.core.management.base import BaseCommand, CommandError

from riskreg.notify import reminders


class Command(BaseCommand):
    help = (
        "Send the scheduled reminders (deadline near and passed, maturity actions due and "
        "overdue, the team's daily list of updates waiting, each person's daily digest). "
        "Run it from cron or a systemd timer, hourly: each reminder goes once, whatever the "
        "number of runs or of machines running it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as on this date (YYYY-MM-DD), for a test.")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be a date such as 2021-12-01, not {today!r}") from None
        done = reminders.run(today)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()))
