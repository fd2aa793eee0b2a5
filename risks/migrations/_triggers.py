"""Helpers of the migrations that must keep the database's own triggers (the freeze of closed
periods, append-only history). Not a migration: the loader skips names that start with "_".

SQLite cannot alter a table in place for most changes: Django rebuilds it (a new table, the
rows copied, the old one dropped), and the old table's triggers go with it. Every migration
that changes a table carrying triggers wraps its operations in keep_sqlite_triggers().
"""

from contextlib import contextmanager

from django.db import migrations

_kept: dict[tuple[str, ...], list[tuple[str, str]]] = {}


def _triggers(cursor, tables) -> list[tuple[str, str]]:
    marks = ", ".join(["%s"] * len(tables))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",  # noqa: S608
        list(tables),
    )
    return cursor.fetchall()


def keep_sqlite_triggers(*tables: str, operations: list) -> list:
    """`operations`, with the tables' SQLite triggers noted before and put back after."""

    def note(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                _kept[tables] = _triggers(cursor, tables)

    def put_back(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            present = {name for name, _ in _triggers(cursor, tables)}
            for name, sql in _kept.pop(tables, []):
                if name not in present:
                    cursor.execute(sql)

    return [
        migrations.RunPython(note, migrations.RunPython.noop),
        *operations,
        migrations.RunPython(put_back, migrations.RunPython.noop),
    ]


@contextmanager
def triggers_lifted(schema_editor, table: str):
    """The table's triggers off for the block, then back exactly as they were."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            triggers = _triggers(cursor, [table])
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in triggers:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            yield
            # Rows written in the block leave foreign-key checks pending (deferred to commit):
            # PostgreSQL will not alter a table with pending trigger events, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            yield
