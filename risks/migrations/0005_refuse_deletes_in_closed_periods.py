"""Deletes of a closed period, or of its assessments, are refused in the database too.

0004 refused updates only, because SQLite's flush deleted row by row; the project's flush
command now lifts the triggers while it empties the database, so deletes can be refused.
"""

from django.db import migrations

MESSAGE = "The reporting period is closed: its data can no longer change."

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER risks_period_no_delete BEFORE DELETE ON risks_reportingperiod
    FOR EACH ROW WHEN OLD.state = 'closed'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER risks_assessment_no_delete BEFORE DELETE ON risks_assessment
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM risks_reportingperiod WHERE id = OLD.period_id AND state = 'closed'
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_period_no_delete",
    "DROP TRIGGER IF EXISTS risks_assessment_no_delete",
]

POSTGRES_FORWARD = [
    # A BEFORE DELETE trigger must return OLD for the delete to go ahead.
    f"""
    CREATE OR REPLACE FUNCTION risks_refuse_closed_period_row_delete() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM risks_reportingperiod WHERE id = OLD.period_id AND state = 'closed'
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
        END IF;
        RETURN OLD;
    END $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE OR REPLACE FUNCTION risks_refuse_closed_period_delete() RETURNS trigger AS $$
    BEGIN
        IF OLD.state = 'closed' THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
        END IF;
        RETURN OLD;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER risks_period_no_delete BEFORE DELETE ON risks_reportingperiod
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_delete()
    """,
    """
    CREATE TRIGGER risks_assessment_no_delete BEFORE DELETE ON risks_assessment
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_row_delete()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_assessment_no_delete ON risks_assessment",
    "DROP TRIGGER IF EXISTS risks_period_no_delete ON risks_reportingperiod",
    "DROP FUNCTION IF EXISTS risks_refuse_closed_period_delete()",
    "DROP FUNCTION IF EXISTS risks_refuse_closed_period_row_delete()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("risks", "0004_freeze_closed_periods_in_database"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
