"""Who may read what: the roles the service knows by group."""





PLANNING_TEAM = "Planning & Risk Team"
AUDIT_PANEL = "Audit Panel"


def _group_names(user_id) -> set[str]:
    """user.groups' names, by a statement compiled once: every page asks (the header's menu,
    the page cache's key), and compiling the queryset cost more than running it."""
    from django.contrib.auth.models import Group
    from django.db import connections, router

    alias = router.db_for_read(Group)
    sql = _GROUP_SQL.get(alias)
    if sql is None:
        sql, _ = (
            Group.objects.using(alias).filter(user__pk=0).values_list("name").query.sql_with_params()
        )
        _GROUP_SQL[alias] = sql
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [user_id])
        return {name for (name,) in cursor.fetchall()}


_GROUP_SQL: dict[str, str] = {}


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_riskreg_groups", None)
    if cached is None:
        cached = _group_names(user.pk)
        user._riskreg_groups = cached
    return cached


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
