"""Who may read what: the roles the service knows by group."""

from functools import cache

from django.db import router

from ..rawsql import fetch_all

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


def _roles_query(user):
    from django.contrib.auth.models import Group
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    from .registers import Register, headed_branches

    groups = Group.objects.filter(user__id=user.pk).order_by().annotate(role=Value("group")).values_list(
        "role", "name"
    )
    heads = (
        Register.objects.filter(pk__in=headed_branches(user)).order_by()
        .annotate(role=Value("register"), key=Cast("pk", output_field=CharField()))
        .values_list("role", "key")
    )
    return groups.union(heads, all=True)


class _Sentinel:
    """A user id no one has, to compile the roles query once with a marker for every place
    the real id goes."""

    pk = id = -2_047_483_111  # within a 32-bit id, or the query drops it as empty
    is_authenticated = True


@cache
def _compiled_roles_query(alias: str) -> tuple[str, tuple, tuple[int, ...]]:
    sql, params = _roles_query(_Sentinel()).using(alias).query.sql_with_params()
    user_at = tuple(i for i, p in enumerate(params) if p == _Sentinel.pk)
    if len(user_at) != 2:  # the groups' and the registers' halves: neither compiled away
        raise RuntimeError(f"The roles query compiled to {sql!r}")
    return sql, tuple(params), user_at


def _load_roles(user) -> None:
    """The person's groups and the registers they head with every register beneath them,
    in the one query a request already spent on their groups.

    Heading a register is a role too (its owning or lead post reads its branch). Kept as
    ids, so that every visible_to() filters on a list rather than nesting the recursive
    query inside the querysets that nest visible_to() (SQLite's parser refuses them
    beyond its depth).

    Every signed-in request runs it: its SQL is compiled once per process (building and
    compiling the union's querysets cost several times the query), as the session's is
    (riskreg/sessions.py)."""
    from django.contrib.auth.models import Group

    alias = router.db_for_read(Group)
    sql, params, user_at = _compiled_roles_query(alias)
    params = list(params)
    for i in user_at:
        params[i] = user.pk
    rows = fetch_all(alias, sql, params)
    user._riskreg_groups = {name for role, name in rows if role == "group"}
    user._riskreg_heads = frozenset(int(key) for role, key in rows if role == "register")


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
