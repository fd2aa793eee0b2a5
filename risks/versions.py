"""The database keeps DataVersion up to date: a trigger on every table of the service replaces
one of its numbers on every insert, update or delete (risks/models/versions.py says which).

Triggers rather than signals or a middleware: a bulk update, a raw statement, a migration's
data step or another program writing to the database changes the version as surely as a form.
They are (re)installed after every migrate, on every table then present, because SQLite drops
a table's triggers when a migration rebuilds it and new tables come with new migrations.
"""

from django.db import connection
from django.db import connection as default_connection
from django.db.models.signals import post_migrate

from .models.versions import DataVersion, new_version
from .rawsql import fetch_all

# The quarterly records: their rows of a closed quarter are frozen.
QUARTER_TABLES = frozenset({
    "risks_assessment", "risks_assessmentpillar", "risks_historicalassessment",
    "controls_controlupdate", "controls_historicalcontrolupdate",
})
# Tables no page's content depends on, written on requests that show nothing new: sessions,
# sign-in counts and lockouts, the API token's last use, the user's last sign-in (the page
# cache's key holds the user's own flags itself), Django's bookkeeping.
# Notifications, preferences and reminders sent (riskreg/notify) show on no cached page but the
# header's count, which is put in per person as the page is served (risks.pagecache).
UNTRACKED_PREFIXES = ("django_", "axes_", "auth_permission", "sqlite_", "notify_")
UNTRACKED_TABLES = frozenset({
    "auth_user", "auth_user_user_permissions", "auth_group_permissions",
    "riskreg_signincount", "api_apitoken", DataVersion._meta.db_table,
    # The report's background PDF renders: no cached page shows them.
    "riskreg_pdfrender",
})
TRIGGER_PREFIX = "rr_version_"


def tracked_tables(connection=default_connection) -> dict[str, str]:
    """Each tracked table and the version its writes change."""
    tables = connection.introspection.table_names()
    return {
        table: DataVersion.QUARTER if table in QUARTER_TABLES else DataVersion.REFERENCE
        for table in tables
        if table not in UNTRACKED_TABLES and not table.startswith(UNTRACKED_PREFIXES)
    }


def install_triggers(connection=default_connection) -> None:
    version_table = DataVersion._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                # Names from the database's own list of tables, never from input.
                f"""CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}bump() RETURNS trigger AS $$
                BEGIN
                    UPDATE "{version_table}" SET value = floor(random() * 4611686018427387903)::bigint
                    WHERE name = TG_ARGV[0];
                    RETURN NULL;
                END $$ LANGUAGE plpgsql"""  # noqa: S608
            )
            for table, name in tracked_tables(connection).items():
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER "{TRIGGER_PREFIX}{table}"'
                    f' AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_PREFIX}bump('{name}')"
                )
        elif connection.vendor == "sqlite":
            for table, name in tracked_tables(connection).items():
                for event in ("INSERT", "UPDATE", "DELETE"):
                    trigger = f"{TRIGGER_PREFIX}{table}_{event.lower()}"
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "{trigger}" AFTER {event} ON "{table}" BEGIN UPDATE "{version_table}" SET value = abs(random() / 2) WHERE name = \'{name}\'; END'  # noqa: S608
                    )


def bump_all(using: str = "default") -> None:
    """New numbers for both: a migration may have changed anything, triggers lifted or not."""
    for name in (DataVersion.QUARTER, DataVersion.REFERENCE):
        DataVersion.objects.using(using).update_or_create(
            name=name, defaults={"value": new_version()}
        )


CURRENT_SQL = f'SELECT name, value FROM "{DataVersion._meta.db_table}"'  # noqa: S608


def current(user=None) -> dict[str, int] | None:
    """Both numbers, in one query; None (cache nothing) if a flush has emptied the table, which
    this puts right for the next request. Given the signed-in user whose roles are not loaded
    yet, the same statement loads them (risks.models.roles): the page cache needs both."""
    from .models.roles import roles_and_versions

    found = None if user is None else roles_and_versions(user)
    if found is None:
        # A plain statement: on a page served from the cache, the queryset's compiling cost
        # more than the rest of the request.
        found = dict(fetch_all(connection.alias, CURRENT_SQL, ()))
    if len(found) == 2:
        return found
    bump_all()
    return None


def after_migrate(sender, using, **kwargs) -> None:
    from django.db import connections

    if sender.name != "risks":
        return
    connection = connections[using]
    if DataVersion._meta.db_table not in connection.introspection.table_names():
        return  # migrating backwards, or to before the table
    install_triggers(connection)
    bump_all(using)


def connect() -> None:
    post_migrate.connect(after_migrate, dispatch_uid="risks.versions.after_migrate")
