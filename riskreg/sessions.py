"""Django's database sessions, read by one statement compiled once, decoded once.

Every signed-in request reads its session. Through the ORM that read cost about 0.4 ms of
building and compiling a queryset for one row by its primary key, more than the query itself:
most of the signed-in floor once the session was no longer written on every request
(riskreg.middleware.IdleSessionMiddleware). Writes, expiry and everything else are Django's.
"""

import json
import threading
from collections import OrderedDict
from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from risks.rawsql import fetch_one


@cache
def _get_by_pk_sql(model, alias: str) -> tuple[str, list[str]]:
    sql, _ = model._default_manager.using(alias).filter(pk=0).query.sql_with_params()
    return sql, [f.attname for f in model._meta.concrete_fields]


def prepared_get(model, pk):
    """model._default_manager.get(pk=pk), or None, with the SQL compiled once per process."""
    alias = router.db_for_read(model)
    sql, names = _get_by_pk_sql(model, alias)
    row = fetch_one(alias, sql, [pk])
    return None if row is None else model.from_db(alias, names, row)


# The JSON of session data already checked and unpacked, by the stored text (which holds its
# signature): the same text always decodes to the same data, so signature, base64 and zlib
# are done once per text. JSON, not the dict, so that each request gets its own copy.
_DECODED: OrderedDict[str, str] = OrderedDict()
_DECODED_MAX = 4096
_DECODED_LOCK = threading.Lock()  # gunicorn's threads share it


class SessionStore(db.SessionStore):
    def _session_data(self) -> str | None:
        key = self.session_key
        if key is None:
            return None
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        row = fetch_one(
            alias,
            f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - the model's own table
            [key, now],
        )
        if row is None:
            self._session_key = None
            return None
        return row[0]

    def _get_session_from_db(self):
        data = self._session_data()
        return None if data is None else self.model(session_key=self.session_key, session_data=data)

    def load(self):
        data = self._session_data()
        return {} if data is None else self.decode(data)

    def decode(self, session_data):
        with _DECODED_LOCK:
            known = _DECODED.get(session_data)
            if known is not None:
                _DECODED.move_to_end(session_data)
        if known is not None:
            return json.loads(known)
        decoded = super().decode(session_data)
        if decoded:  # not a corrupt or unreadable one, which Django logs each time
            with _DECODED_LOCK:
                _DECODED[session_data] = json.dumps(decoded)
                if len(_DECODED) > _DECODED_MAX:
                    _DECODED.popitem(last=False)
        return decoded
