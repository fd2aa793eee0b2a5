"""Several querysets' rows read in one statement: a UNION ALL of them, each row as its model
instance with the related rows its queryset selects (select_related), as the queryset itself
would give them.

For a page that reads a few rows of many tables at once (the risk page: its history tables, its
indicators' values, its escalations): one round trip instead of one a table, and the same
number of statements however many tables. Each queryset is compiled by the ORM as it would be
on its own (its filter, its joins) and its columns converted by the ORM's own converters; the
union only lines them up. Columns of one database type share a place in the union's rows, each
queryset's own in it and the others NULL, cast to the type (PostgreSQL resolves a union's
columns pairwise: an untyped NULL beside another would be text).

Rows come in no particular order: a caller sorts them (ORDER BY is not allowed within a part of
a compound statement on SQLite).
"""

import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from weakref import ref as weak_ref

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import _get_from_db, get_related_populators

from .rawsql import fetch_all


@dataclass
class _Part:
    """A queryset compiled as its own iteration would compile it, its columns aliased."""

    queryset: QuerySet
    sql: str
    params: tuple
    compiler: object
    aliases: list[str]  # each column's name in the part's SQL
    types: list[str]  # each column's database type
    converters: dict


_types: dict = {}


def _type(expression, connection) -> str:
    field = expression.output_field
    key = (connection.vendor, field)
    if key not in _types:
        # Its column's type, not cast_db_type: SQLite casts dates and datetimes alike to TEXT,
        # and its driver converts a union's column by the type of the first part's column.
        _types[key] = field.db_type(connection)
    return _types[key]


def _part(queryset: QuerySet, using: str) -> _Part | None:
    """The queryset compiled, or None where it can match nothing (an empty __in)."""
    if queryset.query.select_related is True:
        raise ValueError("read_together: name the relations to select (select_related(...)).")
    queryset = queryset.order_by()
    compiler = queryset.query.get_compiler(using)
    try:
        sql, params = compiler.as_sql(with_col_aliases=True)
    except EmptyResultSet:
        return None
    connection = connections[using]
    expressions = [col for col, _, _ in compiler.select]
    return _Part(queryset, sql, tuple(params), compiler,
                 [alias for _, _, alias in compiler.select],
                 [_type(e, connection) for e in expressions],
                 compiler.get_converters(expressions))


def _converted(values: list, part: _Part, connection) -> list:
    """A row's values as the ORM's converters of the part's columns give them (the backend's,
    which read only the connection's settings, and the fields' own)."""
    for i, (converters, expression) in part.converters.items():
        for convert in converters:
            values[i] = convert(values[i], expression, connection)
    return values


def _instances(part: _Part, rows: list[list], db: str) -> list[Model]:
    """The part's rows as its queryset's iteration makes them (ModelIterable): the model, its
    select_related rows, its annotations."""
    compiler = part.compiler
    select, klass_info, annotation_col_map = (
        compiler.select, compiler.klass_info, compiler.annotation_col_map)
    fetch_mode = part.queryset._fetch_mode
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    from_db = _get_from_db(klass_info["model"], fetch_mode)
    related_populators = get_related_populators(klass_info, select, db, fetch_mode)
    objects, peers = [], []
    for row in rows:
        obj = from_db(db, init_list, row[start:end])
        if fetch_mode.track_peers:
            peers.append(weak_ref(obj))
            obj._state.peers = peers
        for populator in related_populators:
            populator.populate(row, obj)
        for name, at in (annotation_col_map or {}).items():
            setattr(obj, name, row[at])
        objects.append(obj)
    return objects


_layouts: dict = {}


def _layout(connection, shapes: tuple) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[int, ...], ...]]:
    """For parts of these shapes (each a tuple of (alias, type) of its columns): each part's
    SELECT around its SQL (before, after), and where each of its columns is in the union's rows.
    The n-th column of a type goes to the n-th place of that type. Kept: a page's parts have
    the same shapes from one request to the next."""
    key = (connection.vendor, shapes)
    if key in _layouts:
        return _layouts[key]
    if len(_layouts) > 100:  # a bound, should readers' and editors' pages vary more than thought
        _layouts.clear()
    qn = connection.ops.quote_name
    places: list[str] = []  # each place's type
    of_type: dict[str, list[int]] = {}
    where: list[tuple[int, ...]] = []
    for shape in shapes:
        taken: dict[str, int] = {}
        mine = []
        for _, db_type in shape:
            n = taken.get(db_type, 0)
            taken[db_type] = n + 1
            indexes = of_type.setdefault(db_type, [])
            if n == len(indexes):
                places.append(db_type)
                indexes.append(len(places) - 1)
            mine.append(indexes[n])
        where.append(tuple(mine))
    wrappers = []
    for k, (shape, mine) in enumerate(zip(shapes, where, strict=True)):
        owner = {place: i for i, place in enumerate(mine)}
        cells = [f"{k} AS {qn('rr_part')}"] + [
            f"{qn(f'rr_p{k}')}.{qn(shape[owner[p]][0])}" if p in owner else f"CAST(NULL AS {t})"
            for p, t in enumerate(places)
        ]
        # Names and types from the ORM: every value is a parameter of the part's SQL.
        wrappers.append((f"SELECT {', '.join(cells)} FROM (", f") {qn(f'rr_p{k}')}"))  # noqa: S608
    _layouts[key] = tuple(wrappers), tuple(where)
    return _layouts[key]


def read_together(querysets: Sequence[QuerySet], using: str = "default") -> list[list[Model]]:
    """Each queryset's rows (unordered), in one statement."""
    if not querysets:
        return []
    connection = connections[using]
    compiled = [_part(qs, using) for qs in querysets]
    parts = [part for part in compiled if part is not None]
    if not parts:
        return [[] for _ in compiled]
    wrappers, where = _layout(connection, tuple(
        tuple(zip(part.aliases, part.types, strict=True)) for part in parts))
    sql = " UNION ALL ".join(
        before + part.sql + after for (before, after), part in zip(wrappers, parts, strict=True))
    params = [param for part in parts for param in part.params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    mine_rows: list[list[list]] = [[] for _ in parts]
    for row in rows:
        k = row[0]
        part = parts[k]
        mine_rows[k].append(_converted([row[1 + p] for p in where[k]], part, connection))
    read = iter(_instances(part, mine, using) for part, mine in zip(parts, mine_rows, strict=True))
    return [[] if part is None else next(read) for part in compiled]


# Querysets compiled once per process (read_prepared), by key and database.
_prepared: dict[tuple[str, str], _Part] = {}
_prepared_lock = threading.Lock()


def _stand_ins(params: Sequence) -> list:
    """Values of the parameters' types, distinct and drawn at random (small whole numbers, so
    that a small integer field takes them as it takes any)."""
    found: list = []
    for value in params:
        if isinstance(value, str):
            found.append(f"rr-prepared-{secrets.token_hex(8)}")
        elif isinstance(value, int) and not isinstance(value, bool):
            drawn = 1000 + secrets.randbelow(30000)
            while drawn in found:
                drawn = 1000 + secrets.randbelow(30000)
            found.append(drawn)
        else:
            raise TypeError("read_prepared takes whole numbers and strings as its parameters.")
    return found


def read_prepared(key: str, queryset_of: Callable[..., QuerySet], params: Sequence,
                  using: str = "default") -> list[Model]:
    """The rows of queryset_of(*params), as its iteration gives them, its SQL compiled once per
    process under `key`: building and compiling a small queryset costs more than running it
    (the API's token, read on every call). queryset_of must make SQL that differs by its
    parameters alone and pass them in the order given: checked as it compiles, twice with
    values drawn at random, which a constant of the queryset cannot match both times."""
    part = _prepared.get((key, using))
    if part is None:
        compiled = []
        for _ in range(2):
            stand_ins = _stand_ins(params)
            queryset = queryset_of(*stand_ins)
            compiler = queryset.query.get_compiler(using)
            sql, sent = compiler.as_sql()
            if list(sent) != stand_ins:
                raise ValueError(f"read_prepared({key!r}): its SQL's parameters are not the ones given.")
            compiled.append(sql)
        if compiled[0] != compiled[1]:
            raise ValueError(f"read_prepared({key!r}): its SQL changes with its parameters.")
        expressions = [col for col, _, _ in compiler.select]
        part = _Part(queryset, sql, (), compiler, [], [], compiler.get_converters(expressions))
        with _prepared_lock:
            part = _prepared.setdefault((key, using), part)
    connection = connections[using]
    rows = [_converted(list(row), part, connection)
            for row in fetch_all(using, part.sql, list(params))]
    return _instances(part, rows, using)
