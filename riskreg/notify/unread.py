"""The header's unread count, without a query of its own on every page.

A request that reads the person's roles reads the count in the same statement
(risks.models.roles), exact and at no round trip of its own: every page served from the cache
does. Otherwise the count is kept in the cache per person: filled when they sign in (the
sign-in already writes), and moved by the writes that change it (a new notification, one read),
on commit; it is queried only when the entry is missing (evicted, or expired: with the default
per-process cache and several gunicorn workers, another worker's write reaches this one's copy
at most UNREAD_TTL later; with REDIS_URL the cache is shared, and exact)."""

from django.core.cache import cache
from django.db import transaction

from risks.models.roles import taken_with_roles

UNREAD_TTL = 300
ROLE_ROW = "unread"


def _key(user_id: int) -> str:
    return f"notify:unread:{user_id}"


def count_unread(user_id: int) -> int:
    from .models import Notification

    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def unread_rows(user):
    """The count as one row ("unread", count), 0 included, beside the roles."""
    from django.db.models import CharField, Count, Value
    from django.db.models.functions import Cast

    from .models import Notification

    return (
        Notification.objects.filter(user_id=user.pk, read_at__isnull=True).order_by()
        .annotate(role=Value(ROLE_ROW)).values("role")
        .annotate(key=Cast(Count("pk"), output_field=CharField()))
        .values_list("role", "key")
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    read = taken_with_roles(user, ROLE_ROW)
    if read is not None:
        return int(read[0]) if read else 0
    value = cache.get(_key(user.pk))
    if value is None:
        value = count_unread(user.pk)
        cache.set(_key(user.pk), value, UNREAD_TTL)
    return value


def refresh_on_commit(user_ids) -> None:
    """Recount these people's unread notifications once the writing transaction commits (a
    rolled-back write changes nothing). One query for all of them."""
    user_ids = set(user_ids)
    if not user_ids:
        return

    def refresh():
        from django.db.models import Count, Q

        from .models import Notification

        counts = dict.fromkeys(user_ids, 0)
        counts.update(
            Notification.objects.filter(user_id__in=user_ids, read_at__isnull=True)
            .values_list("user_id").annotate(n=Count("pk", filter=Q(read_at__isnull=True)))
            .order_by()
        )
        cache.set_many({_key(uid): n for uid, n in counts.items()}, UNREAD_TTL)

    transaction.on_commit(refresh)


def prime_on_sign_in(sender, request, user, **kwargs) -> None:
    cache.set(_key(user.pk), count_unread(user.pk), UNREAD_TTL)
