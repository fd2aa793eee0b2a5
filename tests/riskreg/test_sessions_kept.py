"""Sessions kept in the worker on PostgreSQL, dropped the moment the database announces a change
(risks/sessionwatch.py); read on every request on SQLite.

The tests commit (transactional_db), as a worker's requests do: the database announces only
what has committed. "Elsewhere" is a write by raw SQL, which no signal of this process sees, as
another worker's or an operator's would be; the test then waits for the database to deliver its
announcement, which a request arriving later would find delivered.
"""

import select
from dataclasses import replace

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from riskreg import sessions
from risks import sessionwatch
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

KEPT = connection.vendor == "postgresql"


def delivered() -> None:
    """Something arrived at this process's listener (at most 2 s)."""
    if sessionwatch._listener is not None:
        select.select([sessionwatch._listener.pgconn.socket], [], [], 2)


def elsewhere(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    sessionwatch.settle()  # its announcement taken in, as by a request arriving later


def statements(client, url="/healthz") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def whoami(client) -> str | None:
    response = client.get("/account/")
    return response.context["user"].get_username() if response.status_code == 200 else None


@pytest.fixture
def alice(client):
    user = make_user("alice")
    client.force_login(user)
    sessionwatch.settle()  # the announcements of the writes above, taken in before
    client.get("/healthz")  # read once: kept from here on, where sessions are kept
    return user


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_kept_session_is_read_without_a_statement_on_postgresql_only(client, alice):
    assert statements(client) == (0 if KEPT else 1)
    assert whoami(client) == "alice"


def test_the_setting_turns_keeping_off(client, alice, settings):
    settings.SESSION_KEEP_IN_WORKER = False
    assert statements(client) == 1
    assert statements(client) == 1


def test_signed_out_elsewhere_is_signed_out_here(client, alice):
    elsewhere("DELETE FROM django_session WHERE session_key = %s", [session_key(client)])
    assert whoami(client) is None


def test_a_user_disabled_or_deleted_elsewhere_is_signed_out(client, alice):
    bob = make_user("bob")
    elsewhere("UPDATE auth_user SET is_active = %s WHERE id = %s", [False, alice.pk])
    assert whoami(client) is None
    client.force_login(bob)
    assert whoami(client) == "bob"
    elsewhere("DELETE FROM auth_user WHERE id = %s", [bob.pk])
    assert whoami(client) is None


def test_a_password_changed_elsewhere_signs_the_session_out(client, alice):
    elsewhere("UPDATE auth_user SET password = %s WHERE id = %s", [make_password("new one!"), alice.pk])
    assert whoami(client) is None


def test_a_session_written_elsewhere_is_read_again(client, alice):
    store = sessions.SessionStore(session_key(client))
    data = store.load()
    data["note"] = "written by another worker"
    encoded = store.encode(data)
    elsewhere("UPDATE django_session SET session_data = %s WHERE session_key = %s",
              [encoded, session_key(client)])
    request = client.get("/healthz").wsgi_request
    assert request.session["note"] == "written by another worker"


def test_emptied_sessions_table_signs_everyone_out(client, alice):
    if KEPT:
        elsewhere("TRUNCATE django_session", [])
    else:
        elsewhere("DELETE FROM django_session", [])
    assert whoami(client) is None


def test_this_processs_own_writes_need_no_announcement(client, alice):
    """Signing out here, or disabling the account through the ORM, holds at the very next
    request, whenever the announcement arrives."""
    client.post("/accounts/logout/")
    assert whoami(client) is None
    client.force_login(alice)
    assert whoami(client) == "alice"
    alice.is_active = False
    alice.save()
    assert whoami(client) is None


def test_a_lost_listener_reads_every_session_until_it_listens_again(client, alice, monkeypatch):
    if not KEPT:
        assert statements(client) == 1
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [sessionwatch._listener.info.backend_pid])
    delivered()  # the end of the connection
    # While it is lost, what was kept is never trusted: a sign-out elsewhere holds.
    monkeypatch.setattr(sessionwatch, "RETRY_SECONDS", 3600)
    assert statements(client) == 1
    assert sessionwatch._listener is None
    elsewhere("DELETE FROM django_session WHERE session_key = %s", [session_key(client)])
    assert whoami(client) is None
    # Opened again once the wait is over; kept again from there.
    client.force_login(alice)
    sessionwatch._retry_at = 0.0  # not monkeypatched: undone, it would wait an hour
    sessionwatch.settle()
    assert statements(client) == 1
    assert statements(client) == 0
    assert whoami(client) == "alice"


def test_nothing_read_inside_a_transaction_is_kept():
    user = make_user("carol")
    store = sessions.SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.save()
    with transaction.atomic():
        sessions.SessionStore(store.session_key).load()
    assert store.session_key not in sessionwatch._kept
    sessions.SessionStore(store.session_key).load()
    assert (store.session_key in sessionwatch._kept) == KEPT


def test_a_read_overtaken_by_an_announcement_is_not_kept(client, alice):
    """A read begun before an announcement was taken in may hold what it announced gone."""
    sessionwatch.forget_all()
    alias = connection.alias
    kept, generation = sessionwatch.look_up(alias, "some-key", timezone.now())
    assert kept is None and (generation is not None) == KEPT
    sessionwatch.forget("s:another-key")  # any announcement, taken in by another thread
    found = sessionwatch.Kept(timezone.now() + timezone.timedelta(hours=1), "data", None)
    sessionwatch.keep(alias, generation, "some-key", found)
    assert "some-key" not in sessionwatch._kept
    _, generation = sessionwatch.look_up(alias, "some-key", timezone.now())
    sessionwatch.keep(alias, generation, "some-key", found)
    assert ("some-key" in sessionwatch._kept) == KEPT


def test_a_kept_session_past_its_expiry_is_read_again(client, alice):
    if KEPT:
        key = session_key(client)
        sessionwatch._kept[key] = replace(sessionwatch._kept[key], expires=timezone.now())
    assert statements(client) == 1
    assert whoami(client) == "alice"


def test_a_forked_worker_never_uses_its_parents_listener(client, alice, monkeypatch):
    parent = sessionwatch._listener
    assert (parent is not None) == KEPT
    monkeypatch.setattr(sessionwatch.os, "getpid", lambda: -1)
    assert statements(client) == 1  # what the parent kept is not the child's
    if KEPT:
        assert sessionwatch._listener is not parent and not parent.closed
    sessionwatch.settle()  # writes announced just before it began to listen, taken in
    statements(client)
    assert statements(client) == (0 if KEPT else 1)
    monkeypatch.undo()
    sessionwatch.close()  # the "child's" listener, and the parent's, which this process opened
    assert parent is None or parent.closed


# The roles statement with the data's versions and the unread count --------------------------


@pytest.fixture
def team(client):
    from tests.factories import make_planner, make_register

    register = make_register("corporate-kept", name="Kept register")
    user = make_planner("kept-planner")
    client.force_login(user)
    sessionwatch.settle()
    url = f"/registers/{register.slug}/"
    assert client.get(url).status_code == 200  # rendered, then served from the cache
    return user, register, url


def test_a_page_served_from_the_cache_runs_no_statement_once_kept(client, team):
    _, _, url = team
    assert statements(client, url) == (0 if KEPT else 2)


def test_a_write_elsewhere_is_on_the_next_page_served(client, team):
    _, register, url = team
    elsewhere("UPDATE risks_register SET name = %s WHERE id = %s", ["Renamed elsewhere", register.pk])
    assert "Renamed elsewhere" in client.get(url).content.decode()


def test_a_notification_elsewhere_is_counted_on_the_next_page_served(client, team):
    user, _, url = team
    assert "rr-unread-count" not in client.get(url).content.decode()
    elsewhere(
        "INSERT INTO notify_notification (user_id, kind, subject, body, url, created_at, delivery)"
        " VALUES (%s, 'returned', 'Returned', 'Returned', '', %s, 'off')",
        [user.pk, timezone.now()],
    )
    assert 'rr-unread-count">1<' in client.get(url).content.decode()


def test_a_role_taken_away_elsewhere_holds_at_the_next_request(client, team):
    user, _, url = team
    elsewhere("DELETE FROM auth_user_groups WHERE user_id = %s", [user.pk])
    assert client.get("/review/").status_code == 403


def test_a_request_that_may_write_drops_what_is_kept_at_once(client, team):
    user, _, url = team
    client.get(url)
    assert (str(user.pk) in sessionwatch._rows) == KEPT
    client.post("/notifications/read/")  # whatever it answers, it may have written
    assert str(user.pk) not in sessionwatch._rows
