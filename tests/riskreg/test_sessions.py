"""Sessions are written at most once every SESSION_REFRESH_SECONDS, and still end exactly
SESSION_IDLE_SECONDS after the last request (riskreg.middleware.IdleSessionMiddleware)."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from riskreg.middleware import IdleSessionMiddleware
from tests.factories import make_user

IDLE, REFRESH = settings.SESSION_IDLE_SECONDS, settings.SESSION_REFRESH_SECONDS


class Clock:
    """time.time() for the middleware and the signed cookie, moved by the test."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    return clock


@pytest.fixture
def signed_in(client, db, clock):
    client.force_login(make_user("alice"))
    return client


def signed_in_now(client) -> bool:
    """A page that needs a session: 200 signed in, a redirect to the sign-in page if not."""
    return client.get("/account/").status_code == 200


def stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_settings_write_the_session_at_most_once_a_refresh():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert 0 < REFRESH < IDLE <= 60 * 60
    # The stored row outlives the deadline the middleware keeps.
    assert settings.SESSION_COOKIE_AGE == IDLE + REFRESH


def test_a_signed_in_request_reads_the_session_and_writes_nothing(
    signed_in, clock, django_assert_num_queries
):
    signed_in.get("/healthz")
    clock.now += REFRESH - 1
    with django_assert_num_queries(1):  # the session; no savepoint, update or release
        signed_in.get("/healthz")


def test_the_session_is_written_once_the_refresh_has_passed(signed_in, clock):
    before = stored(signed_in).session_data
    clock.now += REFRESH
    assert signed_in_now(signed_in)
    row = stored(signed_in)
    assert row.session_data != before
    assert row.get_decoded()[IdleSessionMiddleware.SEEN_KEY] == clock.now


def test_the_session_ends_exactly_idle_seconds_after_the_last_request(signed_in, clock):
    login = clock.now
    clock.now = login + REFRESH - 1  # a request that writes nothing
    assert signed_in_now(signed_in)
    last = clock.now
    # The session holds `login`, but the deadline runs from the last request.
    clock.now = last + IDLE
    assert signed_in_now(signed_in)
    clock.now += IDLE + 1
    assert not signed_in_now(signed_in)
    # Signed out for good: the stored session is gone.
    assert not Session.objects.exists()


def test_idle_one_second_too_long_ends_the_session(signed_in, clock):
    clock.now += IDLE + 1
    assert not signed_in_now(signed_in)


def test_without_the_last_request_cookie_the_deadline_only_comes_sooner(signed_in, clock):
    clock.now += REFRESH - 1
    assert signed_in_now(signed_in)
    del signed_in.cookies[settings.SESSION_SEEN_COOKIE_NAME]
    # Counted from the session's last write (the sign-in), never later than exact.
    clock.now += IDLE - REFRESH + 2
    assert not signed_in_now(signed_in)


def test_another_sessions_cookie_does_not_keep_this_one(client, db, clock):
    other = type(client)()
    other.force_login(make_user("bob"))
    other.get("/healthz")
    client.force_login(make_user("alice"))
    client.cookies[settings.SESSION_SEEN_COOKIE_NAME] = other.cookies[
        settings.SESSION_SEEN_COOKIE_NAME
    ].value
    clock.now += IDLE + 1
    assert not signed_in_now(client)


def test_a_forged_cookie_does_not_keep_the_session(signed_in, clock):
    clock.now += IDLE + 1
    signed_in.cookies[settings.SESSION_SEEN_COOKIE_NAME] = "forged:1abc:xyz"
    assert not signed_in_now(signed_in)


def test_signing_out_ends_the_session_at_once(signed_in, clock):
    signed_in.post("/accounts/logout/")
    assert not signed_in_now(signed_in)


def test_a_burst_of_requests_in_one_second_is_not_sent_the_cookie_again(signed_in, clock):
    first = signed_in.get("/healthz")
    assert settings.SESSION_SEEN_COOKIE_NAME in first.cookies
    clock.now = float(int(clock.now)) + 0.25  # within the second the cookie holds
    signed_in.get("/healthz")
    again = signed_in.get("/healthz")
    assert settings.SESSION_SEEN_COOKIE_NAME not in again.cookies
    clock.now += 1
    later = signed_in.get("/healthz")
    assert settings.SESSION_SEEN_COOKIE_NAME in later.cookies
    assert later.cookies[settings.SESSION_SEEN_COOKIE_NAME].value != first.cookies[
        settings.SESSION_SEEN_COOKIE_NAME
    ].value


def test_the_deadline_is_at_most_a_second_late(signed_in, clock):
    clock.now = float(int(clock.now)) + 0.5
    assert signed_in_now(signed_in)
    last = clock.now
    clock.now = last + IDLE + 0.5  # within the second the last request was rounded up to
    assert signed_in_now(signed_in)
    # (a whole second late is refused: test_the_session_ends_exactly_idle_seconds_after_...)


def test_a_copied_cookie_value_without_its_signature_is_not_taken(signed_in, clock):
    signed_in.get("/healthz")
    value = signed_in.cookies[settings.SESSION_SEEN_COOKIE_NAME].value
    payload = value.rpartition(":")[0]
    signed_in.cookies[settings.SESSION_SEEN_COOKIE_NAME] = f"{payload}:forged"
    clock.now += IDLE + 1
    assert not signed_in_now(signed_in)


# The session store's read (riskreg/sessions.py) --------------------------------------------


def test_decoded_sessions_are_each_requests_own_copy(db):
    from riskreg.sessions import SessionStore

    store = SessionStore()
    store["list"] = [1, 2]
    store.save()
    first = SessionStore(store.session_key)
    first["list"].append(3)  # changed in place by one request, not saved
    second = SessionStore(store.session_key)
    assert second["list"] == [1, 2]


def test_corrupt_session_data_is_an_empty_session_every_time(db):
    from django.contrib.sessions.models import Session

    from riskreg.sessions import SessionStore

    store = SessionStore()
    store["a"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(session_data="not:signed")
    for _ in range(2):
        assert SessionStore(store.session_key).load() == {}


@pytest.mark.parametrize("debug", [False, True])
def test_the_sessions_read_is_the_same_whether_or_not_queries_are_logged(db, settings, debug):
    """fetch_one goes straight to the driver unless queries are logged (DEBUG, tests)."""
    from riskreg.sessions import SessionStore

    settings.DEBUG = debug
    store = SessionStore()
    store["who"] = "alice"
    store.save()
    assert SessionStore(store.session_key).load()["who"] == "alice"
    assert SessionStore("no-such-key-000000000000000000000").load() == {}


def test_a_page_served_from_the_cache_runs_its_statements_on_the_driver(
    client, q3, settings, planner, monkeypatch
):
    """The session with its user, then the roles with the versions: straight to the driver
    (risks/rawsql.py), never through Django's cursor; on PostgreSQL bound on the server and
    prepared once per connection, so that it neither parses nor plans them again, while
    Django's own queries stay bound on the client."""
    settings.DEBUG = False
    client.force_login(planner)
    url = "/registers/corporate/"
    assert client.get(url).status_code == 200  # rendered and kept
    opened = []
    real_cursor = connection.cursor
    monkeypatch.setattr(connection, "cursor", lambda *a, **k: opened.append(1) or real_cursor(*a, **k))
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert opened == []
    monkeypatch.undo()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [statement for (statement,) in cursor.fetchall()]
        assert any('FROM "django_session"' in s and "JOIN" in s for s in prepared)
        assert any("auth_group" in s and "risks_dataversion" in s for s in prepared)
        assert not any('"risks_register"."slug"' in s for s in prepared)


# The user's row read with the session (riskreg/sessions.py) -------------------------------------


def whoami(client) -> str | None:
    """The signed-in username as the account page shows it, or None if signed out."""
    response = client.get("/account/")
    if response.status_code != 200:
        return None
    return response.context["user"].get_username()


def test_the_session_and_its_user_are_read_in_one_statement(signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert whoami(signed_in) == "alice"
    reads = [q["sql"] for q in queries if '"auth_user"' in q["sql"] and "django_session" in q["sql"]]
    assert len(reads) == 1 and "JOIN" in reads[0]
    assert not [q for q in queries if 'FROM "auth_user" WHERE' in q["sql"]]


def test_a_wrong_guess_of_the_user_is_never_taken(client, db, django_assert_num_queries):
    """The process guesses the user from what it saw of the session; the session's own data
    decides: a wrong guess costs the user's own query, and is the session's user."""
    from riskreg import sessions

    alice, bob = make_user("alice"), make_user("bob")
    client.force_login(alice)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    sessions._guess_user(key, bob.pk)
    with django_assert_num_queries(2):
        request = client.get("/healthz").wsgi_request
        assert request.user == alice
    assert whoami(client) == "alice"


def test_a_user_read_with_the_session_is_only_that_requests(db):
    from riskreg import sessions

    alice = make_user("alice")
    store = sessions.SessionStore()
    store["_auth_user_id"] = str(alice.pk)
    store.save()
    sessions.SessionStore(store.session_key).load()
    assert sessions.take_prefetched_user(alice.pk + 1) is None  # not the session's user
    assert sessions.take_prefetched_user(alice.pk) is None  # and taken, or not, once
    sessions.SessionStore(store.session_key).load()
    sessions.forget_prefetched_user()  # the request ended
    assert sessions.take_prefetched_user(alice.pk) is None
    sessions.SessionStore(store.session_key).load()
    assert sessions.take_prefetched_user(str(alice.pk)) == alice


def test_a_deactivated_or_deleted_user_is_signed_out_at_their_next_request(client, db):
    from django.contrib.auth import get_user_model

    for change in ("deactivate", "delete"):
        user = make_user(f"carol-{change}")
        client.force_login(user)
        assert whoami(client) == user.username
        users = get_user_model().objects.filter(pk=user.pk)
        users.update(is_active=False) if change == "deactivate" else users.delete()
        assert whoami(client) is None
