"""Django's database sessions, read by one statement compiled once, decoded once, with the
signed-in user's row when this process knows whose session it is.

Every signed-in request reads its session. Through the ORM that read cost about 0.4 ms of
building and compiling a queryset for one row by its primary key, more than the query itself:
most of the signed-in floor once the session was no longer written on every request
(riskreg.middleware.IdleSessionMiddleware). Writes, expiry and everything else are Django's.

The user's row is read in the same statement as the session (one round trip to the database
instead of two: on PostgreSQL each is about 0.1 ms), joined on the user this process last saw
the session hold. It is only a guess until checked: the authentication backend takes the row
(riskreg.signin) only if the session's own data names that user, and only in the request that
read it; otherwise it reads the user as before.

On PostgreSQL what a read found is kept in the worker, with the user's row, for as long as the
database announces no change to either (risks/sessionwatch.py): a signed-in request then
runs no statement for its session at all.
"""

import json
import threading
from collections import OrderedDict
from contextvars import ContextVar
from functools import cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from risks import sessionwatch
from risks.rawsql import fetch_one
from risks.together import read_prepared


def prepared_get(model, pk):
    """model._default_manager.get(pk=pk), or None, with the SQL compiled once per process."""
    found = read_prepared(f"get:{model._meta.label}",
                          lambda pk: model._default_manager.filter(pk=pk), [pk],
                          using=router.db_for_read(model))
    return found[0] if found else None


# The user each session last held, as this process saw it (saved or read), by session key.
_USER_OF: OrderedDict[str, str] = OrderedDict()
_USER_OF_MAX = 4096
# The user's row read with this request's session: (user id, the instance's field names, row).
_prefetched: ContextVar[tuple | None] = ContextVar("riskreg_prefetched_user", default=None)


def _guess_user(session_key: str, user_id) -> None:
    with _LOCK:
        if user_id is None:
            _USER_OF.pop(session_key, None)
            return
        _USER_OF[session_key] = str(user_id)
        _USER_OF.move_to_end(session_key)
        if len(_USER_OF) > _USER_OF_MAX:
            _USER_OF.popitem(last=False)


def take_prefetched_user(user_id):
    """The user read with this request's session, if it is `user_id` (the session's own),
    once; else None."""
    found = _prefetched.get()
    if found is None:
        return None
    _prefetched.set(None)
    guessed, alias, names, row = found
    if str(user_id) != guessed:
        return None
    return get_user_model().from_db(alias, names, row)


def forget_prefetched_user() -> None:
    """At the end of a request: nothing read for it is taken by the next one."""
    _prefetched.set(None)


@cache
def _session_sql(alias: str, model) -> str:
    connection = connections[alias]
    table = connection.ops.quote_name(model._meta.db_table)
    return f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s"  # noqa: S608 - the model's own table


@cache
def _session_and_user_sql(alias: str, model) -> tuple[str, list[str]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    User = get_user_model()
    fields = User._meta.concrete_fields
    columns = ", ".join(f"u.{quote(f.column)}" for f in fields)
    sql = (
        f"SELECT s.session_data, s.expire_date, {columns} FROM {quote(model._meta.db_table)} s"  # noqa: S608 - the models' own tables
        f" LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = %s"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )
    return sql, [f.attname for f in fields]


# The JSON of session data already checked and unpacked, by the stored text (which holds its
# signature): the same text always decodes to the same data, so signature, base64 and zlib
# are done once per text. JSON, not the dict, so that each request gets its own copy.
_DECODED: OrderedDict[str, str] = OrderedDict()
_DECODED_MAX = 4096
_LOCK = threading.Lock()  # gunicorn's threads share it (both memos above)


class SessionStore(db.SessionStore):
    # What this request's read found, to keep in the worker once decoded (risks.sessionwatch):
    # (alias, generation, Kept).
    _found = None

    def _session_data(self) -> str | None:
        key = self.session_key
        self._found = None
        if key is None:
            return None
        model = self.model
        alias = router.db_for_read(model)
        now = timezone.now()
        _prefetched.set(None)
        kept, generation = sessionwatch.look_up(alias, key, now)
        if kept is not None:
            _prefetched.set(kept.user)
            return kept.data
        now = connections[alias].ops.adapt_datetimefield_value(now)
        with _LOCK:
            guessed = _USER_OF.get(key)
        user = None
        if guessed is None:
            row = fetch_one(alias, _session_sql(alias, model), [key, now])
        else:
            sql, names = _session_and_user_sql(alias, model)
            User = get_user_model()
            try:
                user_pk = User._meta.pk.to_python(guessed)
            except ValidationError:
                user_pk = None
            row = fetch_one(alias, sql, [user_pk, key, now])
            if row is not None and row[2] is not None:
                user = (guessed, alias, names, row[2:])
                _prefetched.set(user)
        if row is None:
            self._session_key = None
            return None
        if generation is not None:
            self._found = (alias, generation, sessionwatch.Kept(row[1], row[0], user))
        return row[0]

    def _get_session_from_db(self):
        data = self._session_data()
        return None if data is None else self.model(session_key=self.session_key, session_data=data)

    def load(self):
        data = self._session_data()
        if data is None:
            return {}
        decoded = self.decode(data)
        if self.session_key is not None:
            user_id = decoded.get(SESSION_KEY)
            _guess_user(self.session_key, user_id)
            found, self._found = self._found, None
            if found is not None:
                alias, generation, kept = found
                # Kept only with its user's row (or with nobody signed in): a session kept
                # without it would read the user on every request.
                if user_id is None or (kept.user is not None and kept.user[0] == str(user_id)):
                    sessionwatch.keep(alias, generation, self.session_key, kept)
        return decoded

    def save(self, must_create=False):
        key = self.session_key
        try:
            super().save(must_create=must_create)
        finally:
            for k in {key, self.session_key} - {None}:
                sessionwatch.forget(f"s:{k}")

    def delete(self, session_key=None):
        key = session_key if session_key is not None else self.session_key
        try:
            super().delete(session_key)
        finally:
            if key is not None:
                sessionwatch.forget(f"s:{key}")

    def create_model_instance(self, data):
        _guess_user(self.session_key, data.get(SESSION_KEY))
        return super().create_model_instance(data)

    def decode(self, session_data):
        with _LOCK:
            known = _DECODED.get(session_data)
            if known is not None:
                _DECODED.move_to_end(session_data)
        if known is not None:
            return json.loads(known)
        decoded = super().decode(session_data)
        if decoded:  # not a corrupt or unreadable one, which Django logs each time
            with _LOCK:
                _DECODED[session_data] = json.dumps(decoded)
                if len(_DECODED) > _DECODED_MAX:
                    _DECODED.popitem(last=False)
        return decoded
