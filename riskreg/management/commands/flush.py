"""`flush` empties every table, on SQLite too, where triggers refuse row deletes.

The history tables refuse DELETE (riskreg migration 0002). Emptying the whole database is
not a change to a row's record, it is starting again, as dropping the database would be:
PostgreSQL's flush truncates, which fires no row trigger. SQLite's flush deletes row by row,
so here every trigger is dropped for the flush and created again, exactly as it was, in the
same transaction: if anything fails, the triggers are back as before.

Django's TransactionTestCase (and pytest-django's transactional tests) empty the test
database between tests with this command.
"""

from django.core.management.commands import flush
from django.db import connections, transaction


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                triggers = cursor.fetchall()
                for name, _ in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            with connection.cursor() as cursor:
                # The flush's post_migrate may have put some back already (risks.versions).
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                present = {name for (name,) in cursor.fetchall()}
                for name, sql in triggers:
                    if name not in present:
                        cursor.execute(sql)
