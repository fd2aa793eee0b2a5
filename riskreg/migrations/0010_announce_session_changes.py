"""PostgreSQL announces every change to a session or a user (NOTIFY), so that each worker may
keep the sessions it has read and drop them the moment they change (risks/sessionwatch.py).

Triggers, not the code's own calls: a sign-out, an account disabled in the admin, a bulk update or
an operator's SQL are announced alike. Announcements are sent only when their transaction
commits. SQLite has no such thing: there every request reads its session.
"""

from django.conf import settings
from django.db import migrations

CHANNEL = "riskreg_sessions"  # risks.sessionwatch.CHANNEL


def tables(apps):
    user = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        ("s", apps.get_model("sessions", "Session")._meta.db_table, "session_key"),
        ("u", user._meta.db_table, user._meta.pk.column),
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for kind, table, key in tables(apps):
        function = f"riskreg_announce_{kind}"
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                IF TG_LEVEL = 'STATEMENT' THEN
                    PERFORM pg_notify('{CHANNEL}', '*');
                ELSE
                    PERFORM pg_notify('{CHANNEL}', '{kind}:' || OLD.{quote(key)});
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql
        """)
        schema_editor.execute(f"""
            CREATE TRIGGER {function}_row AFTER UPDATE OR DELETE ON {quote(table)}
            FOR EACH ROW EXECUTE FUNCTION {function}()
        """)
        schema_editor.execute(f"""
            CREATE TRIGGER {function}_truncate AFTER TRUNCATE ON {quote(table)}
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()
        """)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for kind, table, _ in tables(apps):
        function = f"riskreg_announce_{kind}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function}_row ON {quote(table)}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function}_truncate ON {quote(table)}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


class Migration(migrations.Migration):

    dependencies = [
        ("riskreg", "0009_pdfrender"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forward, reverse)]
