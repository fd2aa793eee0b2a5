"""PostgreSQL announces every write to the data's versions and to notifications, so that each
worker may keep the statement every page served from the cache runs (the person's roles, the
data's versions, the unread count: risks.models.roles) until one changes (risks/sessionwatch.py).

Every write to the data, roles included, changes the versions (risks/versions.py's triggers), so
their table stands for all of it. One announcement a statement, sent when its transaction
commits (PostgreSQL folds a transaction's identical announcements into one).
"""

from django.db import migrations

CHANNEL = "riskreg_sessions"  # risks.sessionwatch.CHANNEL
FUNCTION = "riskreg_announce_v"


def tables(apps):
    return [apps.get_model("risks", "DataVersion")._meta.db_table,
            apps.get_model("notify", "Notification")._meta.db_table]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', 'v');
            RETURN NULL;
        END $$ LANGUAGE plpgsql
    """)
    for table in tables(apps):
        schema_editor.execute(f"""
            CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
            ON {schema_editor.quote_name(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()
        """)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {schema_editor.quote_name(table)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):

    dependencies = [
        ("riskreg", "0010_announce_session_changes"),
        ("risks", "0021_data_version"),
        ("notify", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
