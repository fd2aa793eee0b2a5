"""System checks of the deployment: production refuses the published demo password.

`manage.py check --deploy` runs the check; so does riskreg/wsgi.py whenever DEBUG is off, so
that gunicorn (and runserver, which loads the same module) will not start while the check
fails. It is not run by other management commands, so that `changepassword` can still fix it.

Each account costs a full password hash (about a third of a second), so the check is bounded:
it tries the demo usernames, then superusers, then staff, up to CHECKED_AT_MOST accounts, and
every active account whenever there are no more than that. An ordinary account given the demo
password by hand in a large database is not found; the accounts the demo created, and the ones
that could change anything through the admin, are.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password
from django.core.checks import Error, Tags, register
from django.core.management.base import SystemCheckError
from django.db import DatabaseError, connections
from django.db.models import Case, IntegerField, Value, When

from .demo import DEMO_PASSWORD, DEMO_USERNAMES

CHECKED_AT_MOST = 12


def accounts_with_demo_password(at_most: int = CHECKED_AT_MOST) -> list[str]:
    """Usernames of active accounts that sign in with the demo password (see above)."""
    User = get_user_model()
    usable = (
        User._default_manager.filter(is_active=True)
        .exclude(password="")
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )
    try:
        if usable.count() > at_most:
            usable = usable.filter(
                **{f"{User.USERNAME_FIELD}__in": DEMO_USERNAMES}
            ) | usable.filter(is_superuser=True) | usable.filter(is_staff=True)
        candidates = list(
            usable.annotate(rank=Case(
                When(**{f"{User.USERNAME_FIELD}__in": DEMO_USERNAMES}, then=Value(0)),
                When(is_superuser=True, then=Value(1)),
                When(is_staff=True, then=Value(2)),
                default=Value(3), output_field=IntegerField(),
            )).order_by("rank", "pk")[:at_most]
        )
    except DatabaseError:  # not migrated yet (or unreachable): no account can sign in
        return []
    # check_password without a setter: a check must not re-hash and save anyone's password.
    return [u.get_username() for u in candidates if check_password(DEMO_PASSWORD, u.password)]


@register(Tags.security, deploy=True)
def check_demo_passwords(app_configs=None, **kwargs) -> list[Error]:
    found = accounts_with_demo_password()
    if not found:
        return []
    return [Error(
        f"These active accounts sign in with the published demo password: {', '.join(found)}.",
        hint="Set each a new password (manage.py changepassword NAME) or deactivate it. "
             "Demo data is for local use only.",
        id="riskreg.E001",
    )]


def refuse_demo_passwords() -> None:
    """Stop start-up (with DEBUG off) while check_demo_passwords fails."""
    try:
        errors = check_demo_passwords()
    finally:
        # gunicorn may fork workers after this (--preload): none may inherit a connection.
        connections.close_all()
    if errors:
        raise SystemCheckError(
            "\n".join(f"{e.id}: {e.msg}\n\tHINT: {e.hint}" for e in errors)
        )
