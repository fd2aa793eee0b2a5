"""The error pages: GOV.UK pages with the service's header and a way back.

Django would find templates/404.html and the others by name alone; these handlers exist for
two reasons. The code's PermissionDenied and Http404 messages are written for the reader
("You can read this risk but not update it."), so the page says them; Django's own generic
ones ("No Risk matches the given query.") and the resolver's are left out. And the 500 page is
rendered without the request, so that no context processor runs: they read the user and the
database, which may be what failed.
"""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

DJANGO_GENERIC_404 = re.compile(r"No .* matches the given query\.")


def said(exception: Exception | None) -> str:
    """The exception's message when the code wrote one for the reader, else ""."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or DJANGO_GENERIC_404.fullmatch(message):
        return ""
    return message


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The message of a SuspiciousOperation may repeat what the client sent (a Host header):
    # it is logged, never shown.
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"message": said(exception)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"message": said(exception)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    body = loader.get_template("500.html").render(
        {"organisation_name": settings.ORGANISATION_NAME}
    )
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid token: an old page, or one from before signing in again."""
    return render(request, "403_csrf.html", status=403)
