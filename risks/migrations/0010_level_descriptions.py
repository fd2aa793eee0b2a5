"""The team's descriptions of the likelihood and impact levels, with their history. The history
table is append-only in the database, as every other (riskreg 0002_history_append_only): the
same triggers, made here because this table is newer than that migration."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


HISTORY = "risks_historicalleveldescription"
MESSAGE = "History is append-only: its rows can never be changed or deleted."
FORWARD = {
    "sqlite": [
        f"CREATE TRIGGER {HISTORY}_no_update BEFORE UPDATE ON {HISTORY} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER {HISTORY}_no_delete BEFORE DELETE ON {HISTORY} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        # The function riskreg 0002 made, made again if this runs first (the same body).
        "CREATE OR REPLACE FUNCTION riskreg_history_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION USING MESSAGE = "
        f"'{MESSAGE} (' || TG_TABLE_NAME || ')', ERRCODE = '23000'; END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {HISTORY}_append_only BEFORE UPDATE OR DELETE ON {HISTORY} "
        "FOR EACH ROW EXECUTE FUNCTION riskreg_history_append_only()",
    ],
}
REVERSE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {HISTORY}_no_update",
               f"DROP TRIGGER IF EXISTS {HISTORY}_no_delete"],
    "postgresql": [f"DROP TRIGGER IF EXISTS {HISTORY}_append_only ON {HISTORY}"],
}


def append_only(apps, schema_editor):
    for statement in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def not_append_only(apps, schema_editor):
    for statement in REVERSE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('risks', '0009_carried_forward_is_to_check'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalLevelDescription',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('dimension', models.CharField(choices=[('likelihood', 'Likelihood'), ('impact', 'Impact')], max_length=10)),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'Low'), (2, 'Medium'), (3, 'High'), (4, 'Very High')])),
                ('description', models.TextField(blank=True)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical level description',
                'verbose_name_plural': 'historical level descriptions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LevelDescription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dimension', models.CharField(choices=[('likelihood', 'Likelihood'), ('impact', 'Impact')], max_length=10)),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'Low'), (2, 'Medium'), (3, 'High'), (4, 'Very High')])),
                ('description', models.TextField(blank=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['dimension', 'level'],
                'constraints': [models.UniqueConstraint(fields=('dimension', 'level'), name='one_description_per_level'), models.CheckConstraint(condition=models.Q(('dimension__in', ['likelihood', 'impact'])), name='level_dimension_known'), models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 4)), name='level_on_scale')],
            },
        ),
        migrations.RunPython(append_only, not_append_only),
    ]
