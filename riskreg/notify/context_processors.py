from django.utils.functional import SimpleLazyObject

from .unread import unread_count


def notifications(request):
    """The header's unread count, read (from the cache) only where a template shows it."""
    user = getattr(request, "user", None)
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
