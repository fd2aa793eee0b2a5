"""Optimistic locking (risks/locking.py, as risks.services.save_assessment uses it): two people
saving the same assessment, on two real database connections at once.

Each thread has its own connection (Django's connections are per thread). On PostgreSQL they
are connections to the test database. SQLite's in-memory test database cannot serve concurrent
writers (its shared cache locks tables and never waits), so there the threads work on a file
copy of it, in WAL mode with IMMEDIATE transactions, as the application runs in production.
Runs on both: `DATABASE_URL=postgres://... pytest tests/risks/test_locking.py`.
"""

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.db import transaction as db_transaction
from django.test import Client
from django.urls import reverse

from risks import services
from risks.models import Assessment
from risks.services import StaleVersion, save_assessment

pytestmark = pytest.mark.django_db(transaction=True)

LOCK_HELD_SECONDS = 0.5


@contextmanager
def concurrent_connections(tmp_path):
    """From here on, new threads connect to a database that several connections can write."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original = connections.settings["default"]
    # A new dict: the main thread's wrapper keeps the in-memory database it was given.
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def in_thread(fn, *args):
    """Run fn on a fresh thread, so on its own connection; return its result or raise."""
    box = {}

    def run():
        try:
            box["result"] = fn(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller
            box["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "a thread hung"
    if "error" in box:
        raise box["error"]
    return box["result"]


def stored(pk):
    return in_thread(
        lambda: Assessment.objects.values("version", "commentary", "updated_by__username").get(pk=pk)
    )


def _hold_then_race(pk, owner, lead):
    """The first connection saves and keeps its transaction open; the second saves meanwhile."""
    first_saved, release = threading.Event(), threading.Event()
    results = {}

    def first():
        with db_transaction.atomic():
            save_assessment(
                assessment=Assessment.objects.get(pk=pk), version=1, by=owner,
                changes={"commentary": "The owner's words."},
            )
            first_saved.set()
            release.wait(10)
        results["first"] = "saved"

    def second():
        first_saved.wait(10)
        started = time.monotonic()
        try:
            save_assessment(
                assessment=Assessment.objects.get(pk=pk), version=1, by=lead,
                changes={"commentary": "The lead's words."},
            )
            results["second"] = "saved"
        except StaleVersion as stale:
            results["second"] = ("stale", stale.current.version, stale.current.commentary)
        results["second_waited"] = time.monotonic() - started

    threads = [threading.Thread(target=_closing(first)), threading.Thread(target=_closing(second))]
    for t in threads:
        t.start()
    assert first_saved.wait(10)
    time.sleep(LOCK_HELD_SECONDS)  # the second connection is now waiting on the first's lock
    release.set()
    for t in threads:
        t.join(30)
    return results


def _closing(fn):
    def run():
        try:
            fn()
        finally:
            connections.close_all()

    return run


def test_a_save_on_a_stale_version_is_refused_while_the_first_is_still_open(
    tmp_path, q3, risk1, owner, lead
):
    pk = Assessment.objects.get(risk=risk1, period=q3).pk
    with concurrent_connections(tmp_path):
        results = _hold_then_race(pk, owner, lead)
        assert results["first"] == "saved"
        assert results["second"] == ("stale", 2, "The owner's words.")
        # The second really ran concurrently: it waited for the first transaction to end.
        assert results["second_waited"] >= LOCK_HELD_SECONDS * 0.8
        assert stored(pk) == {
            "version": 2, "commentary": "The owner's words.", "updated_by__username": "owner",
        }


def test_the_conditional_update_alone_refuses_the_stale_write(
    tmp_path, monkeypatch, q3, risk1, owner, lead
):
    """Without the period lock, UPDATE ... WHERE version = 1 still matches no row for the second."""
    monkeypatch.setattr(services, "lock_open_period", lambda period_id: None)
    pk = Assessment.objects.get(risk=risk1, period=q3).pk
    with concurrent_connections(tmp_path):
        results = _hold_then_race(pk, owner, lead)
        assert results["second"] == ("stale", 2, "The owner's words.")
        assert stored(pk)["commentary"] == "The owner's words."


def test_two_people_posting_the_same_form_at_once(tmp_path, q3, risk1, owner, lead):
    """Two browsers, one form, one moment: one is saved, the other sees the conflict page."""
    pk = Assessment.objects.get(risk=risk1, period=q3).pk
    url = reverse("quarterly:update-progress", args=[risk1.pk])
    clients = {}
    for user in (owner, lead):
        clients[user.username] = Client()
        clients[user.username].force_login(user)  # sessions are stored before the copy
    start = threading.Barrier(2)
    responses = {}

    def post(username):
        start.wait(10)
        responses[username] = clients[username].post(
            url,
            {"trend": "stable", "progress": "on_track", "reasons": "",
             "commentary": f"Words of {username}.", "version": 1},
        )

    with concurrent_connections(tmp_path):
        threads = [threading.Thread(target=_closing(lambda u=u: post(u))) for u in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        codes = sorted(r.status_code for r in responses.values())
        assert codes == [302, 409]
        winner = next(u for u, r in responses.items() if r.status_code == 302)
        loser = next(u for u, r in responses.items() if r.status_code == 409)
        # Nothing lost: the loser's words are on the page, beside what is stored.
        page = responses[loser].text
        assert f"Words of {loser}." in page and f"Words of {winner}." in page
        row = stored(pk)
        assert row["version"] == 2 and row["commentary"] == f"Words of {winner}."
