"""Who may read what: the roles the service knows by group."""

from functools import cache

from django.db import router

from .. import sessionwatch
from ..rawsql import fetch_all

VERSION_PREFIX = "version:"
# Other apps' rows read in the same statement (name -> its queryset for a user): see
# read_with_roles().
_ALSO: dict[str, object] = {}

PLANNING_TEAM = "Planning & Risk Team"
AUDIT_PANEL = "Audit Panel"


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_riskreg_groups", None)
    if cached is None:
        _load_roles(user)
        cached = user._riskreg_groups
    return cached


def _roles_query(user, *, with_versions: bool = False):
    from django.contrib.auth.models import Group
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from .registers import Register, headed_branches
    from .versions import DataVersion

    groups = Group.objects.filter(user__id=user.pk).order_by().annotate(role=Value("group")).values_list(
        "role", "name"
    )
    heads = (
        Register.objects.filter(pk__in=headed_branches(user)).order_by()
        .annotate(role=Value("register"), key=Cast("pk", output_field=CharField()))
        .values_list("role", "key")
    )
    parts = [heads]
    if with_versions:
        # The page cache's versions (risks/versions.py) as rows "version:<name>", "<value>".
        parts.append(
            DataVersion.objects.order_by()
            .annotate(role=Concat(Value(VERSION_PREFIX), "name", output_field=CharField()),
                      key=Cast("value", output_field=CharField()))
            .values_list("role", "key")
        )
    parts += [rows_for(user) for rows_for in _ALSO.values()]
    return groups.union(*parts, all=True)


class _Sentinel:
    """A user id no one has, to compile the roles query once with a marker for every place
    the real id goes."""

    pk = id = -2_047_483_111  # within a 32-bit id, or the query drops it as empty
    is_authenticated = True


@cache
def _compiled_roles_query(alias: str, with_versions: bool = False) -> tuple[str, tuple, tuple[int, ...]]:
    sql, params = _roles_query(_Sentinel(), with_versions=with_versions).using(alias).query.sql_with_params()
    user_at = tuple(i for i, p in enumerate(params) if p == _Sentinel.pk)
    # The groups' and the registers' halves, and every other app's part: none compiled away.
    if len(user_at) != 2 + len(_ALSO):
        raise RuntimeError(f"The roles query compiled to {sql!r}")
    return sql, tuple(params), user_at


def _load_roles(user, *, with_versions: bool = False) -> dict[str, int]:
    """The person's groups and the registers they head with every register beneath them,
    in the one query a request already spent on their groups; with_versions, the data's
    versions in the same statement (returned), which a page served from the cache needs as
    well (one round trip to the database instead of two: on PostgreSQL each is about 0.1 ms).

    Heading a register is a role too (its owning or lead post reads its branch). Kept as
    ids, so that every visible_to() filters on a list rather than nesting the recursive
    query inside the querysets that nest visible_to() (SQLite's parser refuses them
    beyond its depth).

    Every signed-in request runs it: its SQL is compiled once per process (building and
    compiling the union's querysets cost several times the query), as the session's is
    (riskreg/sessions.py)."""
    from django.contrib.auth.models import Group

    alias = router.db_for_read(Group)
    # On PostgreSQL the rows with the versions are kept in the worker until the database
    # announces a write that changes them (risks/sessionwatch.py).
    rows, generation = sessionwatch.rows_for(alias, user.pk)
    if rows is None:
        sql, params, user_at = _compiled_roles_query(alias, with_versions)
        params = list(params)
        for i in user_at:
            params[i] = user.pk
        rows = fetch_all(alias, sql, params)
    else:
        generation = None  # kept already
    groups, heads, versions = set(), set(), {}
    also: dict[str, list[str]] = {name: [] for name in _ALSO}
    for role, name in rows:
        if role == "group":
            groups.add(name)
        elif role == "register":
            heads.add(int(name))
        elif role.startswith(VERSION_PREFIX):
            versions[role.removeprefix(VERSION_PREFIX)] = int(name)
        elif role in also:
            also[role].append(name)
    user._riskreg_groups = groups
    user._riskreg_heads = frozenset(heads)
    user._riskreg_also = also
    if with_versions and len(versions) == 2:  # not after a flush, which current() puts right
        sessionwatch.keep_rows(alias, generation, user.pk, rows)
    return versions


def read_with_roles(name: str, rows_for) -> None:
    """Read another app's rows for the person in the statement that reads their roles (the
    request's first query after its session and user): `rows_for(user)` is a queryset of
    (name, text) pairs whose only parameter is the user's id, used exactly once. Register it as
    the process starts (an AppConfig.ready()). taken_with_roles() hands the texts over."""
    _ALSO[name] = rows_for
    _compiled_roles_query.cache_clear()


def taken_with_roles(user, name: str) -> list[str] | None:
    """The texts read for `name` with this person's roles in this request, once (None if their
    roles were not read, or the texts already taken: ask the database or the cache then)."""
    also = getattr(user, "_riskreg_also", None)
    return None if also is None else also.pop(name, None)


def roles_and_versions(user) -> dict[str, int] | None:
    """The data's versions, {name: value}, read with the person's roles when these are not
    loaded yet (the page cache asks both); None when they already are."""
    if not getattr(user, "is_authenticated", False) or hasattr(user, "_riskreg_groups"):
        return None
    return _load_roles(user, with_versions=True)


def headed_register_ids(user) -> frozenset[int]:
    """The registers whose owning or lead post the person holds, and every register beneath
    them (see _load_roles)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    _groups(user)
    return user._riskreg_heads


def is_planner(user) -> bool:
    """The Planning & Risk Team (and superusers) may read and manage everything."""
    return bool(user.is_active and (user.is_superuser or PLANNING_TEAM in _groups(user)))


def is_panel(user) -> bool:
    return bool(user.is_active and AUDIT_PANEL in _groups(user))


def reads_everything(user) -> bool:
    return is_planner(user) or is_panel(user)


def sees_drafts(user) -> bool:
    """Drafts belong to their risk's owner and leads and to the team; the team sees them all."""
    return is_planner(user)
