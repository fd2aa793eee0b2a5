"""The register's history is append-only again on SQLite.

Migration 0013 added a column to risks_historicalregister without keep_sqlite_triggers: SQLite
rebuilt the table and its append-only triggers (riskreg 0002) went with it, so the security
suite's check that every history table refuses UPDATE and DELETE failed. PostgreSQL adds a
column in place and kept them. Put back only what is missing, so that a database migrated
before or after this fix ends the same.
"""

import importlib

from django.db import migrations

append_only = importlib.import_module("riskreg.migrations.0002_history_append_only")
TABLE = "risks_historicalregister"


def put_back(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in append_only.sqlite_forward(TABLE):
        schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))


class Migration(migrations.Migration):

    dependencies = [
        ("riskreg", "0002_history_append_only"),
        ("risks", "0015_register_thematic_appetite"),
    ]

    operations = [migrations.RunPython(put_back, migrations.RunPython.noop)]
