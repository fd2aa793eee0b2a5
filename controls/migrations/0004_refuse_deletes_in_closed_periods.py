"""Deletes of a closed period's control updates are refused in the database too."""

from django.db import migrations

FORWARD = {
    "sqlite": [
        """
        CREATE TRIGGER controls_update_no_delete BEFORE DELETE ON controls_controlupdate
        FOR EACH ROW WHEN EXISTS (
            SELECT 1 FROM risks_reportingperiod WHERE id = OLD.period_id AND state = 'closed'
        )
        BEGIN SELECT RAISE(ABORT, 'The reporting period is closed: its data can no longer change.'); END
        """,
    ],
    "postgresql": [
        """
        CREATE TRIGGER controls_update_no_delete BEFORE DELETE ON controls_controlupdate
        FOR EACH ROW EXECUTE FUNCTION risks_refuse_closed_period_row_delete()
        """,
    ],
}
REVERSE = {
    "sqlite": ["DROP TRIGGER IF EXISTS controls_update_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS controls_update_no_delete ON controls_controlupdate"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("controls", "0003_freeze_closed_periods_in_database"),
        ("risks", "0005_refuse_deletes_in_closed_periods"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(REVERSE)),
    ]
