"""download_url: the address of a page's download, with the page's query string (its period,
filters and sort) and the format asked for; the page number is left out (a download is whole)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def download_url(context, view: str, fmt: str, arg=None) -> str:
    request = context["request"]
    query = request.GET.copy()
    for name in ("page", "controls_page", "format"):
        query.pop(name, None)
    query["format"] = fmt
    base = reverse(view, args=[arg]) if arg not in (None, "") else reverse(view)
    return f"{base}?{query.urlencode()}"
