"""History is append-only in the database: every historical table refuses UPDATE and DELETE.

simple_history only ever inserts; an UPDATE or DELETE of a history row, through the ORM, a
bulk update or raw SQL, is an attempt to rewrite who changed what and when. Triggers refuse
it on SQLite and PostgreSQL alike (IntegrityError, as the closed-period triggers of risks 0004).

Emptying the whole database stays possible: PostgreSQL's flush truncates (no row triggers
fire), and on SQLite the project's flush command lifts the triggers for the duration of the
flush (riskreg/management/commands/flush.py). tests/security/test_frozen_data.py checks that
every historical table, including any added later, carries these triggers.
"""

from django.db import migrations

HISTORY_TABLES = [
    "risks_historicalreportingperiod",
    "risks_historicalrisk",
    "risks_historicalrisk_pillars",
    "risks_historicalassessment",
    "controls_historicalcontrol",
    "controls_historicalcontrolupdate",
    "maturity_historicalactionplan",
    "maturity_historicaltheme",
    "maturity_historicalsource",
    "maturity_historicalplanitem",
    "maturity_historicalplanitem_sources",
    "maturity_historicalplanitem_owner_posts",
    "maturity_historicalplanaction",
    "maturity_historicalplanitemupdate",
    "maturity_historicalbusinessgroup",
    "maturity_historicalunit",
    "maturity_historicaldimension",
    "maturity_historicalselfassessment",
    "maturity_historicaldimensionscore",
    "riskreg_historicalreport",
    "riskreg_historicalreport_noted_risks",
    "riskreg_historicalreport_appendix_b_risks",
]
MESSAGE = "History is append-only: its rows can never be changed or deleted."


def sqlite_forward(table):
    return [
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
        f"""
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
    ]


def sqlite_reverse(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


POSTGRES_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION riskreg_history_append_only() RETURNS trigger AS $$
    BEGIN
        -- SQLSTATE 23000 (integrity constraint violation): Django raises IntegrityError.
        RAISE EXCEPTION USING MESSAGE = '{MESSAGE} (' || TG_TABLE_NAME || ')', ERRCODE = '23000';
    END $$ LANGUAGE plpgsql
"""


def postgres_forward(table):
    return [
        f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION riskreg_history_append_only()
        """
    ]


def postgres_reverse(table):
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in HISTORY_TABLES:
        statements = {"sqlite": sqlite_forward, "postgresql": postgres_forward}.get(vendor)
        for statement in statements(table) if statements else []:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in HISTORY_TABLES:
        statements = {"sqlite": sqlite_reverse, "postgresql": postgres_reverse}.get(vendor)
        for statement in statements(table) if statements else []:
            schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS riskreg_history_append_only()")


class Migration(migrations.Migration):

    dependencies = [
        ("riskreg", "0001_initial"),
        ("risks", "0004_freeze_closed_periods_in_database"),
        ("controls", "0003_freeze_closed_periods_in_database"),
        ("maturity", "0003_questionnaire_dimensions"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
