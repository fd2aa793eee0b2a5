"""A closed period is frozen in the database too: raw SQL and any future code path included.

Triggers refuse an UPDATE of a closed period's row or of its assessments. Inserts stay
possible (loaddata builds the published seed periods), and deletes are left to PROTECT and the
models' guards, because SQLite's flush between transactional tests deletes row by row.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER risks_period_frozen BEFORE UPDATE ON risks_reportingperiod
    FOR EACH ROW WHEN OLD.state = 'closed'
    BEGIN SELECT RAISE(ABORT, 'The reporting period is closed: its data can no longer change.'); END
    """,
    """
    CREATE TRIGGER risks_assessment_frozen BEFORE UPDATE ON risks_assessment
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM risks_reportingperiod
        WHERE id IN (OLD.period_id, NEW.period_id) AND state = 'closed'
    )
    BEGIN SELECT RAISE(ABORT, 'The reporting period is closed: its data can no longer change.'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_period_frozen",
    "DROP TRIGGER IF EXISTS risks_assessment_frozen",
]

POSTGRES_FORWARD = [
    # SQLSTATE 23000 (integrity constraint violation): Django raises IntegrityError, as SQLite does.
    """
    CREATE OR REPLACE FUNCTION risks_refuse_closed_period_row() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM risks_reportingperiod
            WHERE id IN (OLD.period_id, NEW.period_id) AND state = 'closed'
        ) THEN
            RAISE EXCEPTION 'The reporting period is closed: its data can no longer change.'
                USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION risks_refuse_closed_period() RETURNS trigger AS $$
    BEGIN
        IF OLD.state = 'closed' THEN
            RAISE EXCEPTION 'The reporting period is closed: its data can no longer change.'
                USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER risks_period_frozen BEFORE UPDATE ON risks_reportingperiod
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period()
    """,
    """
    CREATE TRIGGER risks_assessment_frozen BEFORE UPDATE ON risks_assessment
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_row()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_assessment_frozen ON risks_assessment",
    "DROP TRIGGER IF EXISTS risks_period_frozen ON risks_reportingperiod",
    "DROP FUNCTION IF EXISTS risks_refuse_closed_period()",
    "DROP FUNCTION IF EXISTS risks_refuse_closed_period_row()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("risks", "0003_workflow_rules"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
