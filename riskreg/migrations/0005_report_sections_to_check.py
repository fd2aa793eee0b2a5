"""A report knows what it copied (issue 14): the report it started from, the prose sections
still to check, and the risks whose unchanged commentary it prints again.

SQLite rebuilds a table to add a column with a default: the history table's append-only
triggers are noted before and put back after, and the new history table gets its own.
"""

import importlib

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models

from risks.migrations._triggers import keep_sqlite_triggers

_append_only = importlib.import_module("riskreg.migrations.0002_history_append_only")
NEW_HISTORY_TABLES = ["riskreg_historicalreport_reprinted_risks"]


def append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_append_only.POSTGRES_FUNCTION)
    statements = {"sqlite": _append_only.sqlite_forward,
                  "postgresql": _append_only.postgres_forward}.get(vendor)
    for table in NEW_HISTORY_TABLES:
        for statement in statements(table) if statements else []:
            schema_editor.execute(statement)


def not_append_only(apps, schema_editor):
    statements = {"sqlite": _append_only.sqlite_reverse,
                  "postgresql": _append_only.postgres_reverse}.get(schema_editor.connection.vendor)
    for table in NEW_HISTORY_TABLES:
        for statement in statements(table) if statements else []:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('riskreg', '0004_sign_in_counts'),
        ('risks', '0009_carried_forward_is_to_check'),
    ]

    operations = [*keep_sqlite_triggers("riskreg_report", "riskreg_historicalreport", operations=[
        migrations.AddField(
            model_name='historicalreport',
            name='copied_from',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='riskreg.report'),
        ),
        migrations.AddField(
            model_name='historicalreport',
            name='sections_to_check',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name='report',
            name='copied_from',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='riskreg.report'),
        ),
        migrations.AddField(
            model_name='report',
            name='reprinted_risks',
            field=models.ManyToManyField(blank=True, related_name='reprinted_in_reports', to='risks.risk', verbose_name='unchanged commentaries to print again'),
        ),
        migrations.AddField(
            model_name='report',
            name='sections_to_check',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.CreateModel(
            name='HistoricalReport_reprinted_risks',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='riskreg.historicalreport')),
                ('report', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='riskreg.report')),
                ('risk', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='risks.risk')),
            ],
            options={
                'verbose_name': 'HistoricalReport_reprinted_risks',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]), migrations.RunPython(append_only, not_append_only)]
