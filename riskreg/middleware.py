from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers


def holds_no_register_data(view):
    """Marks a view whose responses hold no register data, so they keep their own caching."""
    view.holds_no_register_data = True
    return view


class NoStoreMiddleware:
    """Pages show register data: no browser or proxy may keep a copy. Static files and the
    views marked holds_no_register_data hold none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        marked = match is not None and getattr(match.func, "holds_no_register_data", False)
        if not request.path.startswith("/static/") and not marked:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


ALLOWED_METHODS = ("GET", "HEAD", "POST")


class AllowedMethodsMiddleware:
    """405 for every method but GET, HEAD and POST, whatever the view.

    A function view without require_http_methods runs its GET branch for OPTIONS, TRACE, PUT
    or anything else; here no such request reaches a view. Views still name their own methods.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS, content_type="text/plain")
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """413 for a body longer than the limit, decided from Content-Length before it is read.

    Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves out file parts of a multipart body,
    which it streams to disk however long they are, and applies only once something reads the
    form: here nothing is read. Visitors who are not signed in can only send the sign-in form,
    so their limit is small. A body without Content-Length (chunked) is not read by Django.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest("Bad Content-Length.", content_type="text/plain")
        if length > settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES:
            # An API call signs in by its token, which the API checks before it reads the body:
            # a wrong token never has its body read.
            token = request.path.startswith("/api/") and request.META.get(
                "HTTP_AUTHORIZATION", ""
            ).startswith("Bearer ")
            limit = (
                settings.REQUEST_BODY_MAX_BYTES if request.user.is_authenticated or token
                else settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES
            )
            if length > limit:
                return HttpResponse(
                    "The request is too large.", status=413, content_type="text/plain"
                )
        return self.get_response(request)
