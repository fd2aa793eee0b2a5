"""Who may read what: the roles the service knows by group."""





PLANNING_TEAM = "Planning & Risk Team"
AUDIT_PANEL = "Audit Panel"


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_riskreg_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
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
