"""Sessions (and roles) kept in the worker, trusted only while PostgreSQL tells it of every
change to them.

Reading the session is the one statement a signed-in request cannot do without, and on
PostgreSQL one statement costs about 0.1 ms inside a request, half a trivial view. So each
process keeps the sessions it has read (with their users' rows), and listens (LISTEN) on a
connection of its own for what the database's triggers announce (riskreg migration 0010): a
session updated or deleted, a user updated or deleted, either table emptied; and, for the
statement every page served from the cache runs (the person's roles with the data's versions and
the unread count: risks.models.roles), any write to the data's versions or to notifications
(migration 0011; every write to the data changes the versions). Before a request
uses what is kept, the process takes in every announcement already delivered (no round trip:
a non-blocking read of that connection's socket, about a microsecond) and drops what it names.

So a sign-out, a disabled account or a changed password reaches every worker as soon as the
database has delivered the announcement of its commit, tens of microseconds: the same as a
request already under way when it committed. Nothing is kept from inside a transaction (it could
still be rolled back), nor while the listening connection is down: then every request reads its
session as before, what was kept is dropped, and the connection is opened again at most once a
second. This process's own writes drop what they change at once (riskreg.sessions, and
the user signals connected in riskreg.apps), not waiting for their announcement.

Off on SQLite (it cannot announce) and with SESSION_KEEP_IN_WORKER=false (behind PgBouncer in
transaction mode, which cannot LISTEN).
"""

import logging
import os
import secrets
import select
import threading
import time
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connections

try:
    from psycopg.pq import ConnStatus
except ImportError:  # SQLite only: nothing is kept
    ConnStatus = None

log = logging.getLogger(__name__)

CHANNEL = "riskreg_sessions"
KEPT_MAX = 4096
RETRY_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Kept:
    expires: datetime
    data: str  # the stored session_data, as read
    user: tuple | None  # (user id, alias, field names, row) read with it, or None


_LOCK = threading.Lock()
_kept: OrderedDict[str, Kept] = OrderedDict()
# The rows of each person's roles statement with the data's versions (risks.models.roles), by
# user id: dropped, everyone's, whenever the versions change (every write to the data, roles
# included: risks/versions.py) or the other rows read with them do (the unread count).
_rows: OrderedDict[str, list] = OrderedDict()
_listener = None  # this process's listening connection (psycopg), or None
_listener_pid = None
_retry_at = 0.0
# Bumped whenever what is kept may have been overtaken (an announcement taken in, the
# listener lost or opened): a read begun before it may not be kept after it.
_generation = 0
_markers: set[str] = set()  # settle()'s markers taken in
_ending = False  # the server has said it ends the listener's connection
_inherited = []  # (pid, listener) of a parent process after a fork: never closed from the child


def enabled(alias: str) -> bool:
    return (
        settings.SESSION_KEEP_IN_WORKER and ConnStatus is not None
        and connections[alias].vendor == "postgresql"
    )


def _drop_all_locked() -> None:
    global _generation
    _kept.clear()
    _rows.clear()
    _generation += 1


def _lose_listener_locked() -> None:
    global _listener, _retry_at
    if _listener is not None:
        with suppress(Exception):  # a broken connection may fail to close too
            _listener.close()
    _listener = None
    _retry_at = time.monotonic() + RETRY_SECONDS
    _drop_all_locked()


def _listen_locked(alias: str) -> bool:
    """This process's listener, opened if need be; False while there is none."""
    global _listener, _listener_pid, _ending
    pid = os.getpid()
    if _listener is not None and _listener_pid != pid:
        # Forked with the parent's connection: closing it here would end the parent's too.
        _inherited.append((_listener_pid, _listener))
        _listener = None
        _drop_all_locked()
    if _listener is not None:
        return True
    if time.monotonic() < _retry_at:
        return False
    wrapper = connections[alias]
    listener = None
    try:
        listener = wrapper.get_new_connection(wrapper.get_connection_params())
        listener.autocommit = True
        listener.add_notice_handler(_on_notice)
        listener.execute(f"LISTEN {CHANNEL}")
    except Exception:
        log.warning("Sessions are read on every request: cannot listen on %s", CHANNEL,
                    exc_info=True)
        if listener is not None:
            with suppress(Exception):
                listener.close()
        _lose_listener_locked()
        return False
    _listener, _listener_pid, _ending = listener, pid, False
    _drop_all_locked()  # anything kept before now was not watched
    return True


def _on_notice(diagnostic) -> None:
    """The server's last word before it ends an idle connection (an administrator's
    pg_terminate_backend, a shutdown) comes as a notice; the end of the socket may come later."""
    global _ending
    if diagnostic.severity_nonlocalized in ("ERROR", "FATAL", "PANIC"):
        _ending = True


def _take_in_locked() -> bool:
    """Every announcement delivered so far taken in; False if the listener is lost."""
    pgconn = _listener.pgconn
    try:
        pgconn.consume_input()  # non-blocking: only what has arrived
        while (note := pgconn.notifies()) is not None:
            _forget_locked(note.extra.decode())
        if _ending or pgconn.status != ConnStatus.OK:
            raise ConnectionError("the listener's connection has ended")
    except Exception:
        log.warning("Sessions are read on every request: lost the listener", exc_info=True)
        _lose_listener_locked()
        return False
    return True


def _forget_locked(what: str) -> None:
    global _generation
    _generation += 1
    kind, _, value = what.partition(":")
    if kind == "s":
        _kept.pop(value, None)
    elif kind == "u":
        for key in [k for k, kept in _kept.items() if kept.user is not None and kept.user[0] == value]:
            del _kept[key]
        _rows.pop(value, None)
    elif kind == "v":
        _rows.clear()
    elif kind == "m":  # settle()'s marker: nothing changed
        _markers.add(value)
    else:  # a table emptied, or anything not understood
        _kept.clear()
        _rows.clear()


def _recall(memo: OrderedDict, alias: str, key: str, fresh=None) -> tuple[object, int | None]:
    """What `memo` keeps for `key` (and `fresh(value)` holds), or None; and the generation a
    read of the database begun now must carry to be kept (None: it may not be)."""
    if not enabled(alias):
        return None, None
    with _LOCK:
        if not _listen_locked(alias) or not _take_in_locked():
            return None, None
        value = memo.get(key)
        if value is not None:
            if fresh is None or fresh(value):
                memo.move_to_end(key)
                return value, None
            del memo[key]
        return None, _generation


def _keep(memo: OrderedDict, alias: str, generation: int | None, key: str, value) -> None:
    """Keep what a read found, unless anything may have overtaken it since it began."""
    if generation is None or connections[alias].in_atomic_block:
        return
    with _LOCK:
        if generation != _generation or _listener is None or _listener_pid != os.getpid():
            return
        memo[key] = value
        if len(memo) > KEPT_MAX:
            memo.popitem(last=False)


def look_up(alias: str, key: str, now: datetime) -> tuple[Kept | None, int | None]:
    """The session kept for `key`, up to date and not expired, or None; and the generation."""
    return _recall(_kept, alias, key, lambda kept: kept.expires > now)


def keep(alias: str, generation: int | None, key: str, kept: Kept) -> None:
    _keep(_kept, alias, generation, key, kept)


def rows_for(alias: str, user_id) -> tuple[list | None, int | None]:
    """The rows of the person's roles statement with the versions, as kept, or None; and the
    generation."""
    return _recall(_rows, alias, str(user_id))


def keep_rows(alias: str, generation: int | None, user_id, rows: list) -> None:
    _keep(_rows, alias, generation, str(user_id), rows)


def forget_own_writes(request) -> None:
    """After a request that may have written (anything but GET and HEAD, which never write:
    tests/security/test_csrf_and_safe_methods.py): everyone's roles and versions read again,
    not waiting for the database's announcement of the write."""
    if request.method not in ("GET", "HEAD"):
        forget("v")


def forget(what: str) -> None:
    """Drop what this process itself changed: "s:<session key>", "u:<user id>", or "v" (the
    data's versions and everyone's roles)."""
    with _LOCK:
        _forget_locked(what)


def forget_all() -> None:
    """Nothing kept (tests and the benchmark, between measures)."""
    with _LOCK:
        _drop_all_locked()


def forget_user(sender, instance, **kwargs) -> None:
    """post_save / post_delete of the user model: its sessions read again."""
    forget(f"u:{instance.pk}")


def close() -> None:
    """Stop listening (before a test database is dropped: the listener is a session in it)."""
    global _retry_at
    with _LOCK:
        _lose_listener_locked()
        _retry_at = 0.0
        for pid, listener in list(_inherited):
            if pid == os.getpid():
                _inherited.remove((pid, listener))
                listener.close()


def settle(alias: str = "default", timeout: float = 5.0) -> None:
    """Every announcement of what committed before now taken in (for tests: PostgreSQL
    delivers announcements in the order of their commits, so once a marker sent now has
    arrived, so has everything before it). Nothing to wait for where nothing is kept."""
    if not enabled(alias):
        return
    with _LOCK:
        if not _listen_locked(alias):
            return
    marker = secrets.token_hex(8)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"m:{marker}"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _LOCK:
            if _listener is None or not _take_in_locked():
                return
            if marker in _markers:
                _markers.discard(marker)
                return
            socket = _listener.pgconn.socket
        select.select([socket], [], [], 0.05)
    raise TimeoutError("the database did not deliver a marker announcement")
