from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from risks.pagecache import personal_part, rendering_for_cache

from .unread import unread_count

# A page kept in the cache is shared by the whole team: each person's count goes in as it is
# served (risks.pagecache), never the count of whoever rendered it.
UNREAD_PLACEHOLDER = "rr-cached-unread-5c3f81"


def unread_badge(request) -> str:
    """The header's count of unread notifications, as HTML ("" when there are none)."""
    n = unread_count(getattr(request, "user", None))
    if not n:
        return ""
    return format_html(
        ' <strong class="rr-unread-count">{}<span class="govuk-visually-hidden"> unread</span>'
        "</strong>", n,
    )


personal_part(UNREAD_PLACEHOLDER, unread_badge)


def notifications(request):
    """The header's unread count, read (from the cache) only where a template shows it."""
    if rendering_for_cache(request):
        return {"notifications_unread_badge": UNREAD_PLACEHOLDER}
    return {"notifications_unread_badge": SimpleLazyObject(lambda: unread_badge(request))}
