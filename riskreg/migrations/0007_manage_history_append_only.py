"""The history of posts (and who holds them), pillars, registers and working leads, kept since
the register is managed in the service (risks 0011), is append-only like every other: the
triggers of 0002 on the new tables."""

import importlib

from django.db import migrations

append_only = importlib.import_module("riskreg.migrations.0002_history_append_only")

TABLES = [
    "risks_historicalpost",
    "risks_historicalpost_holders",
    "risks_historicalpillar",
    "risks_historicalregister",
    "risks_historicalrisklead",
]


def _run(schema_editor, builders) -> None:
    build = builders.get(schema_editor.connection.vendor)
    for table in TABLES:
        for statement in build(table) if build else []:
            schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, {"sqlite": append_only.sqlite_forward,
                         "postgresql": append_only.postgres_forward})


def reverse(apps, schema_editor):
    _run(schema_editor, {"sqlite": append_only.sqlite_reverse,
                         "postgresql": append_only.postgres_reverse})


class Migration(migrations.Migration):

    dependencies = [
        ("riskreg", "0006_report_marking_withdraw_supersede"),
        ("risks", "0011_manage_history"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
