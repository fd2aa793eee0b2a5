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

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Model, QuerySet


@dataclass
class _Node:
    """A model read in a row: its concrete fields' columns, then each selected relation's."""

    model: type[Model]
    fields: list  # concrete fields, in the model's order
    relations: list[tuple[object, "_Node"]] = field(default_factory=list)  # (the foreign key, its node)

    def __post_init__(self) -> None:
        self.names = [f.attname for f in self.fields]
        self.pk_at = self.fields.index(self.model._meta.pk)

    def columns(self, prefix: str = "") -> list[tuple[str, object]]:
        cols = [(prefix + f.attname, f) for f in self.fields]
        for fk, node in self.relations:
            cols += node.columns(f"{prefix}{fk.name}__")
        return cols

    def build(self, db: str, values: list, at: int = 0) -> tuple[Model | None, int]:
        """The instance from values[at:], and where the next node's values start."""
        end = at + len(self.fields)
        own = values[at:end]
        obj = None if own[self.pk_at] is None else self.model.from_db(db, self.names, own)
        at = end
        for fk, node in self.relations:
            related, at = node.build(db, values, at)
            if obj is not None:
                # As select_related sets them (a missing row read as None).
                fk.set_cached_value(obj, related)
                if related is not None and fk.unique:
                    fk.remote_field.set_cached_value(related, obj)
        return obj, at


def _node(model: type[Model], tree: dict) -> _Node:
    node = _Node(model, list(model._meta.concrete_fields))
    for name, sub in tree.items():
        fk = model._meta.get_field(name)
        node.relations.append((fk, _node(fk.related_model, sub)))
    return node


@dataclass
class _Part:
    node: _Node
    sql: str
    params: tuple
    converters: dict
    expressions: list
    types: list[str]  # each column's database type


def _part(queryset: QuerySet, using: str) -> _Part | None:
    """The queryset compiled, or None where it can match nothing (an empty __in)."""
    tree = queryset.query.select_related
    if tree is True:
        raise ValueError("read_together: name the relations to select (select_related(...)).")
    node = _node(queryset.model, tree or {})
    columns = node.columns()
    aliases = {f"rr_c{i}": F(path) for i, (path, _) in enumerate(columns)}
    rows = queryset.order_by().annotate(**aliases).values_list(*aliases)
    compiler = rows.query.get_compiler(using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    expressions = [col for col, _, _ in compiler.select]
    connection = connections[using]
    return _Part(node, sql, tuple(params), compiler.get_converters(expressions), expressions,
                 [f.cast_db_type(connection) for _, f in columns])


def read_together(querysets: Sequence[QuerySet], using: str = "default") -> list[list[Model]]:
    """Each queryset's rows (unordered), in one statement."""
    if not querysets:
        return []
    connection = connections[using]
    qn = connection.ops.quote_name
    compiled = [_part(qs, using) for qs in querysets]
    parts = [part for part in compiled if part is not None]
    results: list[list[Model]] = [[] for _ in parts]
    if not parts:
        return [[] for _ in compiled]
    # Where each part's columns go: the n-th column of a type in the n-th place of that type.
    places: list[str] = []  # each place's type
    where: list[list[int]] = []
    for part in parts:
        taken: dict[str, int] = {}
        mine = []
        for db_type in part.types:
            n = taken.get(db_type, 0)
            taken[db_type] = n + 1
            indexes = [i for i, t in enumerate(places) if t == db_type]
            if n < len(indexes):
                mine.append(indexes[n])
            else:
                places.append(db_type)
                mine.append(len(places) - 1)
        where.append(mine)
    selects, params = [], []
    for k, (part, mine) in enumerate(zip(parts, where, strict=True)):
        owner = {place: i for i, place in enumerate(mine)}
        cells = [f"{k} AS {qn('rr_part')}"] + [
            f"{qn(f'rr_p{k}')}.{qn(f'rr_c{owner[p]}')}" if p in owner else f"CAST(NULL AS {t})"
            for p, t in enumerate(places)
        ]
        # The ORM's SQL, names and types: every value is a parameter.
        selects.append(f"SELECT {', '.join(cells)} FROM ({part.sql}) {qn(f'rr_p{k}')}")  # noqa: S608
        params.extend(part.params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    for row in rows:
        k = row[0]
        part = parts[k]
        values = [row[1 + p] for p in where[k]]
        for i, (converters, expression) in part.converters.items():
            value = values[i]
            for convert in converters:
                value = convert(value, expression, connection)
            values[i] = value
        obj, _ = part.node.build(using, values)
        results[k].append(obj)
    read = iter(results)
    return [[] if part is None else next(read) for part in compiled]
