"""Statements every signed-in request runs (its session, its user, its roles, the data's
versions), executed straight on the driver's connection while nobody logs queries.

Django's cursor wrapper, its placeholder rewriting for SQLite and its execute wrappers cost
more than such a query (about 20 µs a statement on SQLite). With DEBUG on, or a test counting
queries (CaptureQueriesContext), Django's own cursor runs them, so that they are counted. Errors
still mark the connection as Django's wrapper would (wrap_database_errors), so that a broken
connection is closed at the end of the request.
"""

import re
from functools import cache

from django.db import connections

try:
    import psycopg
except ImportError:  # SQLite only
    psycopg = None


def _direct(connection) -> bool:
    return not (
        connection.queries_logged or connection.execute_wrappers
        or connection.vendor not in ("sqlite", "postgresql")
        or (connection.vendor == "postgresql" and psycopg is None)  # psycopg2: Django's cursor
    )


@cache
def _sqlite_placeholders(sql: str) -> str:
    """As Django's SQLite cursor converts a query: %s to ?, and %% to %."""
    return re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")


def fetch_all(alias: str, sql: str, params) -> list[tuple]:
    """Every row of `sql` (with %s placeholders)."""
    connection = connections[alias]
    if not _direct(connection):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            return connection.connection.execute(_sqlite_placeholders(sql), params).fetchall()
        # Bound on the server and prepared there once per connection: Django's cursors bind
        # on the client, so PostgreSQL would parse and plan the statement on every request
        # (most of its cost: the roles' union took 0.3 ms a request over loopback, 0.1 ms
        # prepared).
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()


def fetch_one(alias: str, sql: str, params) -> tuple | None:
    """The first row of `sql`, or None."""
    rows = fetch_all(alias, sql, params)
    return rows[0] if rows else None
