"""Signing in under attack: who the client is, how often it may try, and what a try costs.

A password check costs about a third of a second of CPU (PBKDF2, on purpose). Three defences
keep sign-in from being a way to take the service down, and from being a way to lock someone
else out:

1. The real client address (`client_address`): behind TRUSTED_PROXY_COUNT proxies it is read
   from X-Forwarded-For, from the right, so that lockouts and throttles key on the client, not
   on the load balancer every client shares.
2. A throttle, before any password is hashed (`SignInThrottleMiddleware`): sign-in attempts are
   counted per client address and per username, in fixed windows, in the database (so that
   every worker and machine counts together). Over the limit, the attempt gets a 429, after a
   pause of SIGNIN_REFUSAL_SECONDS (a sleep), so that a client looping on the form cannot spin
   on refusals.
   Unknown usernames count exactly like known ones. A sign-in that succeeds is not counted.
   So that anyone cannot stop a named person signing in (finding 2 of issue #15, again), the
   per-username limit does not apply at an address from which that username signed in lately.
   Locking out, after repeated failures of one username at one address, is django-axes'.
3. A cheaper refusal (`PasswordBackend`): a username that does not exist (or an account without
   a usable password) is never hashed. It is answered after as long as a real check takes in
   this process (a running estimate of recent checks, their wait for a hashing thread
   included, at most 5 s), so response times do not tell which usernames exist; but the wait
   is a sleep, which costs the server no CPU. Django's own
   ModelBackend hashes the password of an unknown username instead, which made every invented
   username a full hash for an attacker to spend. Hashes run on SIGNIN_CONCURRENT_HASHES
   threads per process at a lower CPU priority, so that a burst of sign-ins leaves the CPU to
   signed-in pages first.
"""

import datetime
import ipaddress
import logging
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from axes.models import AccessAttempt, AccessLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import (
    get_hasher,
    identify_hasher,
    make_password,
    verify_password,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import SignInCount

log = logging.getLogger("riskreg.signin")

SIGN_IN_VIEWS = {"login", "admin:login"}


# 1. The client ---------------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The address of the client, as the TRUSTED_PROXY_COUNT proxies in front of us saw it.

    Each proxy appends the address it was connected from to X-Forwarded-For, and the last one
    connects to us (REMOTE_ADDR). Behind N proxies the client is therefore the Nth entry from
    the right; entries further left were written by the client and prove nothing. A header
    shorter than that, or an entry that is not an address, means the request did not come
    through the proxies as configured: REMOTE_ADDR is used, never a guess.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# 2. The throttle -------------------------------------------------------------------------------


def _window_start(now: datetime.datetime) -> datetime.datetime:
    seconds = settings.SIGNIN_THROTTLE_WINDOW_SECONDS
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def window_end(start: datetime.datetime) -> datetime.datetime:
    return start + datetime.timedelta(seconds=settings.SIGNIN_THROTTLE_WINDOW_SECONDS)


def _limit(kind: str) -> int:
    return {
        "address": settings.SIGNIN_ATTEMPTS_PER_ADDRESS,
        "username": settings.SIGNIN_ATTEMPTS_PER_USERNAME,
    }[kind]


def count_attempt(kind: str, value: str, start: datetime.datetime) -> int:
    """Count one attempt for `value` in the window from `start`; return the window's count."""
    rows = SignInCount.objects.filter(kind=kind, value=value, window_start=start)
    with transaction.atomic():
        if not rows.update(attempts=F("attempts") + 1):
            try:
                with transaction.atomic():
                    SignInCount.objects.create(kind=kind, value=value, window_start=start,
                                               attempts=1)
            except IntegrityError:  # another worker created it first
                rows.update(attempts=F("attempts") + 1)
            else:
                # A new window: the ones before it count for nothing any more.
                SignInCount.objects.filter(window_start__lt=start).delete()
        return rows.values_list("attempts", flat=True).get()


def _uncount(kind: str, value: str, start: datetime.datetime) -> None:
    SignInCount.objects.filter(kind=kind, value=value, window_start=start,
                               attempts__gt=0).update(attempts=F("attempts") - 1)


def signed_in_here_lately(username: str, address: str) -> bool:
    """Whether `username` signed in from `address` in the last SIGNIN_KNOWN_ADDRESS_DAYS."""
    since = timezone.now() - datetime.timedelta(days=settings.SIGNIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=since
    ).exists()


def as_recorded(username: str | None, length: int = 150) -> str:
    """A posted username as it can be stored: PostgreSQL refuses NUL in text, and the form
    lets a username of any length through to authenticate() (it never gets a max_length
    validator), where the records of attempts have a fixed width."""
    return (username or "").replace("\x00", "0x00")[:length]


def username_for_lockouts(request: HttpRequest, credentials: dict | None = None) -> str:
    """django-axes' username of an attempt (AXES_USERNAME_CALLABLE), as its records hold it."""
    username = credentials.get("username") if credentials else request.POST.get("username")
    return as_recorded(username, length=255)


def _so_far(address: str, username: str, start: datetime.datetime) -> dict[str, int]:
    """This window's counts of the address and the username, in one query, without writing."""
    rows = SignInCount.objects.filter(window_start=start, kind="address", value=address)
    if username:
        rows = rows | SignInCount.objects.filter(
            window_start=start, kind="username", value=username
        )
    return dict(rows.values_list("kind", "attempts"))


def throttled(request: HttpRequest, username: str) -> datetime.datetime | None:
    """Count this attempt; when it is over a limit, the time the limit ends (else None).

    An address or username already at its limit is refused on a read alone: attempts that
    keep coming during the pause cost no write.
    """
    address = client_address(request)
    start = _window_start(timezone.now())
    request._signin_counted = []
    so_far = _so_far(address, username, start)
    if so_far.get("address", 0) >= _limit("address"):
        log.info("Sign-in throttled: address=%s (username=%r)", address, username)
        return window_end(start)
    request._signin_counted.append(("address", address, start))
    count = count_attempt("address", address, start)
    if count > _limit("address"):
        log.warning("Sign-in throttled: %d attempts from address=%s this window (username=%r)",
                    count, address, username)
        return window_end(start)
    if not username:
        return None
    if so_far.get("username", 0) >= _limit("username"):
        if signed_in_here_lately(username, address):
            return None
        log.info("Sign-in throttled: username=%r (address=%s)", username, address)
        return window_end(start)
    request._signin_counted.append(("username", username, start))
    count = count_attempt("username", username, start)
    if count > _limit("username") and not signed_in_here_lately(username, address):
        log.warning("Sign-in throttled: %d attempts for username=%r this window (address=%s)",
                    count, username, address)
        return window_end(start)
    return None


class SignInThrottleMiddleware:
    """Counts and limits POSTs to the sign-in views before the form (and its hash) runs.

    In process_view, so after the CSRF check: a request without a valid token never reaches
    a password, and is not counted. A sign-in that succeeds is uncounted afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        counted = getattr(request, "_signin_counted", None)
        if counted and response.status_code == 302 and request.user.is_authenticated:
            for kind, value, start in counted:
                _uncount(kind, value, start)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        if request.resolver_match.view_name not in SIGN_IN_VIEWS:
            return None
        until = throttled(request, as_recorded(request.POST.get("username", "").strip()))
        if until is None:
            return None
        # A refusal takes a while too (a sleep: no CPU), so that a client looping on the form
        # sends a few attempts a minute instead of as many as the server can refuse.
        _sleep(settings.SIGNIN_REFUSAL_SECONDS)
        minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
        response = render(request, "registration/throttled.html", {"minutes": minutes},
                          status=429)
        response["Retry-After"] = str(int((until - timezone.now()).total_seconds()) + 1)
        return response


def _sleep(seconds: float) -> None:
    """Waiting without CPU (the tests record the waits instead)."""
    time.sleep(seconds)


# 3. The password check -------------------------------------------------------------------------

# Password hashes run on SIGNIN_CONCURRENT_HASHES threads per process, at a lower CPU
# priority than the threads serving pages. hashlib's PBKDF2 releases the GIL, so without this a
# gthread worker would run as many hashes at once as it has threads, each taking a whole core;
# queued here, a burst of sign-ins waits its turn, and a signed-in page is served first.
HASH_THREAD_NICENESS = 10
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
# Seconds a password check takes in this process, per hashing algorithm: a running average.
_typical_seconds: dict[str, float] = {}


def _lower_priority() -> None:
    # On Linux a thread has its own nice value (setpriority on its thread id). It can only be
    # raised without privileges, which is why the hashes have threads of their own.
    if sys.platform == "linux":
        thread = threading.get_native_id()
        with suppress(OSError):
            niceness = os.getpriority(os.PRIO_PROCESS, thread) + HASH_THREAD_NICENESS
            os.setpriority(os.PRIO_PROCESS, thread, min(niceness, 19))


def _hash_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.SIGNIN_CONCURRENT_HASHES,
                thread_name_prefix="password-hash", initializer=_lower_priority,
            )
        return _pool


def _forget_pool() -> None:
    """A forked worker (gunicorn --preload) has none of its parent's threads."""
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


def hashed(fn, *args):
    """fn(*args) on a hashing thread; returns its result and how long it computed."""

    def timed():
        started = time.perf_counter()
        return fn(*args), time.perf_counter() - started

    return _hash_pool().submit(timed).result()


def _remember(algorithm: str, seconds: float) -> None:
    before = _typical_seconds.get(algorithm)
    _typical_seconds[algorithm] = seconds if before is None else 0.8 * before + 0.2 * seconds


def typical_check_seconds() -> float:
    """How long a password check takes here; measured once by hashing, if never seen yet."""
    algorithm = get_hasher().algorithm
    if algorithm not in _typical_seconds:
        _, seconds = hashed(make_password, "calibration")
        _remember(algorithm, seconds)
    return _typical_seconds[algorithm]


# However long checks queue, an unknown username holds its thread no longer than this.
LONGEST_PACE_SECONDS = 5.0


def pace_like_a_check() -> None:
    """Take as long as a password check would, without the CPU: a sleep, with the spread of
    real checks (about ±10%)."""
    _sleep(min(typical_check_seconds() * random.uniform(0.9, 1.1), LONGEST_PACE_SECONDS))


class PasswordBackend(ModelBackend):
    """ModelBackend, but unknown usernames are not hashed, and hashes take turns on the
    hashing threads."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            pace_like_a_check()
            return None
        if not user.has_usable_password():
            pace_like_a_check()
            return None
        started = time.perf_counter()
        (correct, must_update), _ = hashed(verify_password, password, user.password)
        with suppress(ValueError):  # a hash no configured hasher reads: it never matches
            # The whole wait, queue included: under load an unknown username waits as long.
            _remember(identify_hasher(user.password).algorithm, time.perf_counter() - started)
        if correct and must_update:
            # What AbstractBaseUser.check_password does: the stored hash is upgraded to the
            # preferred hasher (a hash change, not a password change).
            user.password, _ = hashed(make_password, password)
            user.save(update_fields=["password"])
        if correct and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """ModelBackend's, by one prepared statement: every signed-in request asks it, and the
        queryset's building and compiling cost more than the query (riskreg/sessions.py); or
        none, when the session's statement read this user's row too."""
        from riskreg.sessions import prepared_get, take_prefetched_user

        User = get_user_model()
        user = take_prefetched_user(user_id)  # read with the session, if it is this user
        if user is None:
            try:
                user = prepared_get(User, User._meta.pk.to_python(user_id))
            except ValidationError:
                return None
        return user if user is not None and self.user_can_authenticate(user) else None


# Lockouts --------------------------------------------------------------------------------------


@receiver(user_locked_out, dispatch_uid="riskreg.signin.log_lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Every lockout in the log, with the username and the client's address."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:  # axes refused an attempt while the lockout holds
        log.info("Sign-in refused, locked out: username=%r address=%s", username, ip_address)
    else:
        log.warning("Sign-in locked out after %d failures: username=%r address=%s",
                    failures, username, ip_address)


@transaction.atomic
def unlock(*, username: str, address: str, by) -> int:
    """Lift the lockouts and throttles of a username, an address, or a username at an address.

    Each axes record removed is recorded in the admin's log (who, when, which) as well as in
    the application's log. Returns how many lockout records and counts were removed.
    """
    attempts = AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username=username)
    if address:
        attempts = attempts.filter(ip_address=address)
    attempts = list(attempts)
    if attempts:
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=attempts, action_flag=DELETION,
            change_message="Unlocked on the sign-in lockouts page",
        )
    removed = AccessAttempt.objects.filter(pk__in=[a.pk for a in attempts]).delete()[0]
    for kind, value in (SignInCount.Kind.USERNAME, username), (SignInCount.Kind.ADDRESS, address):
        if value:
            removed += SignInCount.objects.filter(kind=kind, value=value).delete()[0]
    log.warning("Sign-in unlocked by %s: username=%r address=%s (%d records)",
                by.get_username(), username, address or "any", removed)
    return removed
