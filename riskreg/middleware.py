import hashlib
import math
import time

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare

from riskreg.sessions import forget_prefetched_user
from risks.sessionwatch import forget_own_writes


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


class IdleSessionMiddleware:
    """Ends a session SESSION_IDLE_SECONDS after its last request (to the second), while
    writing it at most once every SESSION_REFRESH_SECONDS (SESSION_SAVE_EVERY_REQUEST wrote it
    on every request: an UPDATE, a commit, about 1 ms on SQLite and 3 ms on PostgreSQL).

    The session holds when it was last written (SEEN_KEY); the browser also holds a small
    signed cookie with the time of its last request, bound to the session's key, so the deadline is
    counted from the last request, not from the last write. A browser that drops that cookie, or
    sends an old one, only brings its deadline forward: it can never be later than the last
    request's. The stored row lives SESSION_COOKIE_AGE = idle + refresh seconds from its last
    write, so it outlives every deadline, and the database still ends a session nobody checks.
    """

    SEEN_KEY = "_riskreg_seen"
    COOKIE_SALT = "riskreg.middleware.IdleSessionMiddleware"

    def __init__(self, get_response):
        self.get_response = get_response
        self.idle = settings.SESSION_IDLE_SECONDS
        self.refresh = settings.SESSION_REFRESH_SECONDS
        # The time rounded up to the second (TimestampSigner's rounds down: a deadline early).
        self.signer = signing.Signer(salt=self.COOKIE_SALT)

    def _tag(self, session_key: str) -> str:
        # The cookie names its session by a digest, never the key itself.
        return hashlib.sha256(session_key.encode()).hexdigest()[:16]

    def _recent_request(self, request, session_key: str, now: float) -> bool:
        value = request.COOKIES.get(settings.SESSION_SEEN_COOKIE_NAME)
        if not value:
            return False
        try:
            tag, _, seen = self.signer.unsign(value).partition("@")
            seen = float(seen)
        except (signing.BadSignature, ValueError):
            return False
        return constant_time_compare(tag, self._tag(session_key)) and now <= seen + self.idle

    def __call__(self, request):
        try:
            return self._respond(request)
        finally:
            forget_prefetched_user()  # the user read with the session: this request's only
            forget_own_writes(request)  # what the worker keeps of what this request wrote

    def _respond(self, request):
        session = request.session
        now = time.time()
        if session.session_key is not None:
            seen = session.get(self.SEEN_KEY)
            if seen is None:
                if not session.is_empty():
                    session[self.SEEN_KEY] = now  # a session from before this middleware
            elif now > seen + self.idle and not self._recent_request(
                request, session.session_key, now
            ):
                # Idle too long: signed out, and the stored session deleted.
                session.flush()
            elif now - seen >= self.refresh:
                session[self.SEEN_KEY] = now
        response = self.get_response(request)
        if not session.is_empty():
            if session.get(self.SEEN_KEY) is None:
                session[self.SEEN_KEY] = now
            key = session.session_key
            # The request's time rounded up to the second: a browser's burst of requests (a page
            # and its fragments) sends the cookie it already holds, which is not signed and sent
            # again. The deadline is at most a second later than the exact one.
            seen = f"{self._tag(key)}@{math.ceil(now)}" if key is not None else None
            held = request.COOKIES.get(settings.SESSION_SEEN_COOKIE_NAME, "")
            # A forged copy of the value is not renewed here, and fails its check on the way
            # in: it can only bring its own deadline forward.
            if seen is not None and held.rpartition(self.signer.sep)[0] != seen:
                response.set_cookie(
                    settings.SESSION_SEEN_COOKIE_NAME,
                    self.signer.sign(seen),
                    path=settings.SESSION_COOKIE_PATH,
                    domain=settings.SESSION_COOKIE_DOMAIN,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite=settings.SESSION_COOKIE_SAMESITE,
                )
        return response


def stamp_session_on_sign_in(sender, request, user, **kwargs) -> None:
    """A new session's write (sign-in saves it) holds its first time seen, so the next request
    has nothing to write."""
    if request is not None and hasattr(request, "session"):
        request.session[IdleSessionMiddleware.SEEN_KEY] = time.time()
