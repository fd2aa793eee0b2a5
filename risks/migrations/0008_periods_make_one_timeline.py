"""Reporting periods make one timeline: no period overlaps another and none has its deadline
before its first day, in the database too (triggers: a check constraint would make SQLite
rebuild the table, which other tables' triggers name).

(Starting after the last closed period, a sensible length and deadline are the opening
service's and form's rules: ReportingPeriod.timeline_problems. A restored backup inserts
periods in any order, so only the order-free rule, no overlap, is the database's.)
"""

from django.db import migrations

MESSAGE = "Reporting periods make one timeline: this period overlaps another."
DEADLINE = "The deadline of a reporting period cannot be before its first day."

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER risks_period_deadline_insert BEFORE INSERT ON risks_reportingperiod
    FOR EACH ROW WHEN NEW.deadline < NEW.start
    BEGIN SELECT RAISE(ABORT, '{DEADLINE}'); END
    """,
    f"""
    CREATE TRIGGER risks_period_deadline_update BEFORE UPDATE ON risks_reportingperiod
    FOR EACH ROW WHEN NEW.deadline < NEW.start
    BEGIN SELECT RAISE(ABORT, '{DEADLINE}'); END
    """,
    f"""
    CREATE TRIGGER risks_period_no_overlap_insert BEFORE INSERT ON risks_reportingperiod
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM risks_reportingperiod p WHERE p.start <= NEW."end" AND p."end" >= NEW.start
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER risks_period_no_overlap_update BEFORE UPDATE ON risks_reportingperiod
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM risks_reportingperiod p
        WHERE p.id != NEW.id AND p.start <= NEW."end" AND p."end" >= NEW.start
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_period_deadline_insert",
    "DROP TRIGGER IF EXISTS risks_period_deadline_update",
    "DROP TRIGGER IF EXISTS risks_period_no_overlap_insert",
    "DROP TRIGGER IF EXISTS risks_period_no_overlap_update",
]
POSTGRES_FORWARD = [
    # SQLSTATE 23000, as the freeze triggers: Django raises IntegrityError.
    f"""
    CREATE OR REPLACE FUNCTION risks_refuse_overlapping_period() RETURNS trigger AS $$
    BEGIN
        IF NEW.deadline < NEW.start THEN
            RAISE EXCEPTION '{DEADLINE}' USING ERRCODE = '23000';
        END IF;
        IF EXISTS (
            SELECT 1 FROM risks_reportingperiod p
            WHERE p.id != NEW.id AND p.start <= NEW."end" AND p."end" >= NEW.start
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER risks_period_no_overlap BEFORE INSERT OR UPDATE ON risks_reportingperiod
    FOR EACH ROW EXECUTE FUNCTION risks_refuse_overlapping_period()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS risks_period_no_overlap ON risks_reportingperiod",
    "DROP FUNCTION IF EXISTS risks_refuse_overlapping_period()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("risks", "0007_record_definitions_of_past_quarters"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
