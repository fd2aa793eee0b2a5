"""A closed period's control updates are frozen in the database too (see risks 0004)."""

from django.db import migrations

FORWARD = {
    "sqlite": [
        """
        CREATE TRIGGER controls_update_frozen BEFORE UPDATE ON controls_controlupdate
        FOR EACH ROW WHEN EXISTS (
            SELECT 1 FROM risks_reportingperiod
            WHERE id IN (OLD.period_id, NEW.period_id) AND state = 'closed'
        )
        BEGIN SELECT RAISE(ABORT, 'The reporting period is closed: its data can no longer change.'); END
        """,
    ],
    "postgresql": [
        """
        CREATE TRIGGER controls_update_frozen BEFORE UPDATE ON controls_controlupdate
        FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_row()
        """,
    ],
}
REVERSE = {
    "sqlite": ["DROP TRIGGER IF EXISTS controls_update_frozen"],
    "postgresql": ["DROP TRIGGER IF EXISTS controls_update_frozen ON controls_controlupdate"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("controls", "0002_workflow_rules"),
        ("risks", "0004_freeze_closed_periods_in_database"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(REVERSE)),
    ]
