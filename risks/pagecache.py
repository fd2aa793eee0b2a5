"""Pages of the registers served from the cache, never stale.

A page is cached whole, as the view rendered it, under a key made of everything its output
depends on:
- the view, the address (path and query) and whether htmx asked for a fragment, and for
  which element;
- who asks, as far as it changes what they see: the Planning & Risk Team see every record alike
  (one entry for the team), anyone else has their own (what they own or lead decides what they
  see); and the header's flags (staff, superuser);
- the data: DataVersion's REFERENCE number (registers, risks, posts and who holds them, groups,
  periods, pillars... every table but the quarterly records), and, unless every quarter the
  page shows and those before them are closed, its QUARTER number too. A closed quarter's
  records never change, so its pages survive the open quarter's writes.
The database itself changes those numbers on every write (risks/versions.py), and they are
read before anything of the page, so a page is never kept under a number older than its data.

What differs from one person to the next within an entry is put in as the page is served: the
CSRF token and the signed-in name are rendered as placeholders (riskreg.context_processors)
and replaced. A request with messages to show is not served from the cache (nor kept).
"""

import hashlib
import os
import re
import threading
from collections import OrderedDict
from functools import cache as memoize
from functools import wraps

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.html import escape

from . import versions
from .models import DataVersion, ReportingPeriod, is_planner
from .pages import choose_period, is_partial

# Other apps' per-person parts of the page (placeholder -> its HTML for the request), put in as
# the page is served like the CSRF token and the name: see personal_part().
_PERSONAL_PARTS: dict[str, object] = {}
CSRF_PLACEHOLDER = "rr-cached-csrf-7d1e2c"
NAME_PLACEHOLDER = "rr-cached-name-4b9a60"
# Marks a request whose page is being rendered for the cache (read by the context processor).
RENDERING_ATTR = "_riskreg_rendering_for_cache"
PERIODS_ATTR = "_riskreg_periods"
# An entry unused for a day goes; a version change makes entries unreachable at once.
TIMEOUT = 24 * 60 * 60
ALL_QUARTERS = object()
# The pages this process served or kept most recently, in front of the cache: a key's page never
# changes, and reading a large page from Redis (or unpickling it from the local memory cache)
# cost more than the rest of serving it. Bounded by the bytes of the pages held.
LOCAL_BYTES = 32 * 1024 * 1024
_local: OrderedDict[str, tuple] = OrderedDict()
_local_sizes: dict[str, int] = {}
_local_total = 0
_local_lock = threading.Lock()  # gunicorn's threads share it


def _remember(key: str, entry: tuple) -> None:
    global _local_total
    size = sum(len(piece) for piece in entry[0])
    if size > LOCAL_BYTES // 4:
        return
    with _local_lock:
        if key in _local:
            return
        _local[key], _local_sizes[key] = entry, size
        _local_total += size
        while _local_total > LOCAL_BYTES:
            gone, _ = _local.popitem(last=False)
            _local_total -= _local_sizes.pop(gone)


def _recall(key: str) -> tuple | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
    return entry


def forget_local() -> None:
    """Empty this process's pages (with cache.clear(), so that a page is rendered again)."""
    global _local_total
    with _local_lock:
        _local.clear()
        _local_sizes.clear()
        _local_total = 0


def rendering_for_cache(request) -> bool:
    return getattr(request, RENDERING_ATTR, False)


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(
        request.session.get("_messages") or (storage is not None and storage._queued_messages)
    )


def _key(request, view_name: str, quarters, numbers: dict[str, int]) -> str:
    """`view_name` also holds anything else the view's output varies by (cached_response)."""
    user = request.user
    who = "team" if is_planner(user) else f"user{user.pk}"
    data = f"r{numbers[DataVersion.REFERENCE]}"
    if quarters is ALL_QUARTERS or any(p.is_open for p in quarters):
        data += f"q{numbers[DataVersion.QUARTER]}"
    else:
        data += "closed" + ",".join(str(p.pk) for p in quarters)
    htmx = "p" if is_partial(request) else "h" if request.htmx else "f"
    # The element an htmx request is for too: a view may answer each with a part of its own.
    target = (request.htmx.target or "") if request.htmx else ""
    address = hashlib.sha256(f"{request.get_full_path()}\0{target}".encode()).hexdigest()[:32]
    return f"rr:page:v2:{view_name}:{who}:{int(user.is_staff)}{int(user.is_superuser)}:{htmx}:{data}:{address}"


def up_to(periods: list[ReportingPeriod], shown):
    """The shown quarters and every quarter before the latest of them: what a page of them
    may read (histories run up to the quarter shown)."""
    if shown is ALL_QUARTERS:
        return shown
    if not shown:
        return []
    latest = max(p.start for p in shown)
    return [p for p in periods if p.start <= latest]


# The periods under the REFERENCE version they were read at, in this process: unpickling them
# from the cache on every request cost more than the rest of serving a page. One entry. The
# instances are shared by this process's requests: read them, never change them.
_periods_memo: dict[int, list[ReportingPeriod]] = {}


def _periods_and_numbers(user) -> tuple[list[ReportingPeriod], dict[str, int] | None]:
    """Both versions (one small query, first: anything read after them is at least as new as
    they say), and every period, newest first, which every page reads: kept under the
    REFERENCE version, which every write to the periods changes, in this process and in the
    cache (for the other workers)."""
    numbers = versions.current(user)
    if numbers is None:
        return list(ReportingPeriod.objects.all()), None
    reference = numbers[DataVersion.REFERENCE]
    periods = _periods_memo.get(reference)
    if periods is None:
        key = f"rr:periods:{reference}"
        periods = cache.get(key)
        if periods is None:
            periods = list(ReportingPeriod.objects.all())
            cache.set(key, periods, TIMEOUT)
        _periods_memo.clear()
        _periods_memo[reference] = periods
    return periods, numbers


def periods_for(request) -> list[ReportingPeriod]:
    """Every period, newest first: the list the page cache read, or a query of them."""
    periods = getattr(request, PERIODS_ATTR, None)
    return list(ReportingPeriod.objects.all()) if periods is None else periods


def personal_part(placeholder: str, html_for) -> None:
    """Register a part of the page that differs from one person to the next (the header's
    unread count): a page rendered for the cache holds `placeholder`, and each person is
    served `html_for(request)` (HTML, already escaped) in its place. Register it as the
    process starts (an AppConfig.ready()): with a shared cache, a process may serve a page
    before it renders one."""
    _PERSONAL_PARTS[placeholder] = html_for
    _personal_pattern.cache_clear()


@memoize
def _personal_pattern() -> re.Pattern:
    names = [CSRF_PLACEHOLDER, NAME_PLACEHOLDER, *_PERSONAL_PARTS]
    return re.compile("|".join(re.escape(name) for name in names).encode())


def _split(content: bytes) -> tuple[bytes | str, ...]:
    """The page as kept: its text in pieces between the per-person placeholders, each
    placeholder as a str (split once, as it is kept, so that serving it is one join)."""
    pieces: list[bytes | str] = []
    at = 0
    for match in _personal_pattern().finditer(content):
        pieces += [content[at:match.start()], match.group().decode()]
        at = match.end()
    pieces.append(content[at:])
    return tuple(pieces)


_CSRF_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
# The largest multiple of the alphabet's size within a byte: bytes at or above it are drawn
# again, so that every character of the mask is equally likely.
_CSRF_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def csrf_token(request) -> str:
    """get_token(request), its mask drawn from the system's random source in one call rather
    than one per character (Django's get_random_string: 40 µs a token, a sixth of a signed-in
    request). The same secret, masked the same way: Django's CSRF check unmasks it."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)  # a new secret, and the cookie that carries it
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie renewed
    n = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += [b % n for b in os.urandom(CSRF_SECRET_LENGTH + 8) if b < _CSRF_BELOW]
    mask = mask[:CSRF_SECRET_LENGTH]
    chars, index = CSRF_ALLOWED_CHARS, _CSRF_INDEX
    return "".join(chars[m] for m in mask) + "".join(
        chars[(index[c] + m) % n] for c, m in zip(secret, mask, strict=True)
    )


def _personal(request, pieces: tuple[bytes | str, ...]) -> bytes:
    """The page with each person's own parts put in its placeholders."""
    parts: dict[str, bytes] = {}

    def part(placeholder: str) -> bytes:
        if placeholder not in parts:
            if placeholder == CSRF_PLACEHOLDER:
                html = csrf_token(request)
            elif placeholder == NAME_PLACEHOLDER:
                html = escape(request.user.get_username())
            elif placeholder in _PERSONAL_PARTS:
                html = str(_PERSONAL_PARTS[placeholder](request))
            else:  # split by a process that knew a part this one does not: leave it out
                html = ""
            parts[placeholder] = html.encode()
        return parts[placeholder]

    return b"".join(piece if isinstance(piece, bytes) else part(piece) for piece in pieces)


def cached_response(request: HttpRequest, view_name: str, quarters_of, respond, *args,
                    personal: bool = True, **kwargs) -> HttpResponse:
    """The response `respond()` gives, served from the cache when it holds it (see the module's
    docstring). `quarters_of(request, periods, *args, **kwargs)` names the quarters it shows
    (from the list of all, newest first), ALL_QUARTERS, or None to leave the request to
    `respond` (an address the view will refuse). `view_name` names the view and anything else
    its output varies by. Without `personal`, the response is kept as it is (JSON has no
    per-person parts, and a placeholder's text in its data stays that text)."""
    if request.method != "GET" or not request.user.is_authenticated or _has_messages(request):
        return respond()
    if quarters_of in (every_quarter, no_quarter):  # no need of the periods
        periods, numbers = [], versions.current(request.user)
    else:
        periods, numbers = _periods_and_numbers(request.user)
        setattr(request, PERIODS_ATTR, periods)
    if numbers is None:
        return respond()
    shown = quarters_of(request, periods, *args, **kwargs)
    if shown is None:
        return respond()
    key = _key(request, view_name, up_to(periods, shown), numbers)
    entry = _recall(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _remember(key, entry)
    if entry is not None:
        pieces, headers = entry
        response = HttpResponse(_personal(request, pieces))
        for name, value in headers.items():
            response[name] = value
        return response
    setattr(request, RENDERING_ATTR, personal)
    try:
        response = respond()
    finally:
        setattr(request, RENDERING_ATTR, False)
    if response.streaming:
        return response
    pieces = _split(response.content) if personal else (response.content,)
    if response.status_code == 200 and not _has_messages(request):
        entry = (pieces, dict(response.items()))
        cache.set(key, entry, TIMEOUT)
        _remember(key, entry)
    response.content = _personal(request, pieces)
    return response


def cached_page(quarters_of):
    """Serve the view's page from the cache (cached_response)."""

    def decorator(view):
        view_name = f"{view.__module__}.{view.__name__}"

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return cached_response(
                request, view_name, quarters_of, lambda: view(request, *args, **kwargs),
                *args, **kwargs,
            )

        return wrapped

    return decorator


# What quarters a page shows, as its view will choose them ------------------------------------


def named_quarter(request, periods, *args, **kwargs):
    """?period=, else the person's default quarter (choose_period)."""
    try:
        period = choose_period(periods, request.GET.get("period"), request.user)
    except Http404:
        return None
    return [period] if period else []


def compared_quarters(request, periods, *args, **kwargs):
    """?from= and ?to= (the quarter before `to` by default, which up_to() includes)."""
    try:
        after = choose_period(periods, request.GET.get("to"), request.user)
        before = choose_period(periods, request.GET["from"]) if request.GET.get("from") else None
    except Http404:
        return None
    return [p for p in (before, after) if p is not None]


def every_quarter(request, periods, *args, **kwargs):
    return ALL_QUARTERS


def no_quarter(request, periods, *args, **kwargs):
    """A page that reads no quarter's records (assessments, control records: QUARTER_TABLES),
    only what the REFERENCE version covers: kept through the open quarter's writes."""
    return []
