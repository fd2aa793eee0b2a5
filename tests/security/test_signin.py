"""Signing in under attack (issue #15, findings 1 and 2; riskreg/signin.py).

Attempts are throttled per client address and per username before any password is hashed;
unknown usernames are never hashed, yet count like known ones; lockouts key on the username
and the real client address behind the configured proxies, last a fixed hour, are logged,
and the Planning & Risk Team can see and lift them.
"""

import datetime
import logging
import os
import sys
import threading
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from riskreg import signin
from riskreg.models import SignInCount
from tests.factories import make_planner, make_user

PASSWORD = "a-long-test-password-1"
WRONG = "wrong-password-123"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast), counting every hash it computes."""

    algorithm = "counting_md5"
    hashes = 0

    def encode(self, password, salt):
        type(self).hashes += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_signin.CountingHasher"]
    CountingHasher.hashes = 0
    return CountingHasher


@pytest.fixture(autouse=True)
def no_pacing(monkeypatch):
    """Unknown usernames wait as long as a check would; here, record the wait instead."""
    waits = []
    monkeypatch.setattr(signin, "_sleep", waits.append)
    return waits


def attempt(client, username, password=WRONG, address="192.0.2.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **extra)


# Unknown usernames -----------------------------------------------------------------------------


def test_an_unknown_username_is_never_hashed_but_waits_as_long_as_a_check(
    db, counting_hasher, no_pacing
):
    make_user("alice")
    counting_hasher.hashes = 0
    signin._typical_seconds.clear()
    client = Client()
    assert attempt(client, "nobody").status_code == 200
    calibration = counting_hasher.hashes  # the first wait measures one hash, once per process
    assert calibration <= 1
    for name in ("nobody2", "nobody3", "nobody4"):
        response = attempt(client, name)
        assert response.status_code == 200 and "There is a problem" in response.text
    assert counting_hasher.hashes == calibration
    assert len(no_pacing) == 4 and all(w >= 0 for w in no_pacing)
    # A known username is hashed (once per attempt).
    attempt(client, "alice")
    assert counting_hasher.hashes == calibration + 1


def test_the_wait_follows_how_long_real_checks_take(db):
    signin._typical_seconds.clear()
    signin._remember("counting_md5", 0.5)
    for _ in range(50):
        signin._remember("counting_md5", 0.3)
    assert signin.typical_check_seconds() == pytest.approx(0.3, abs=0.01)


def test_an_account_without_a_usable_password_is_not_hashed_either(db, counting_hasher):
    user = make_user("sso-only")
    user.set_unusable_password()
    user.save()
    signin._typical_seconds["counting_md5"] = 0.001
    counting_hasher.hashes = 0
    assert attempt(Client(), "sso-only", "").status_code == 200
    assert attempt(Client(), "sso-only", "anything-at-all").status_code == 200
    assert counting_hasher.hashes == 0


# Throttles -------------------------------------------------------------------------------------


def test_attempts_from_one_address_are_throttled_before_any_hash(
    db, settings, counting_hasher, no_pacing
):
    settings.SIGNIN_ATTEMPTS_PER_ADDRESS = 4
    make_user("alice")
    client = Client()
    for username in ("alice", "nobody", "alice", "bob"):
        assert attempt(client, username).status_code == 200
    hashed = counting_hasher.hashes
    for username in ("alice", "nobody", "carol"):
        refused = attempt(client, username)
        assert refused.status_code == 429
        assert "Too many sign-in attempts" in refused.text
        assert int(refused["Retry-After"]) > 0
    assert counting_hasher.hashes == hashed
    # Each refusal is answered after a pause, so that a loop cannot spin on refusals.
    assert no_pacing[-3:] == [settings.SIGNIN_REFUSAL_SECONDS] * 3
    # Another address is not affected.
    assert attempt(client, "alice", PASSWORD, address="192.0.2.2").status_code == 302


def test_attempts_for_one_username_are_throttled_whatever_the_address(
    db, settings, counting_hasher
):
    settings.SIGNIN_ATTEMPTS_PER_USERNAME = 3
    make_user("alice")
    client = Client()
    for n in range(3):
        assert attempt(client, "alice", address=f"198.51.100.{n}").status_code == 200
    hashed = counting_hasher.hashes
    assert attempt(client, "alice", address="198.51.100.50").status_code == 429
    assert attempt(client, "alice", PASSWORD, address="198.51.100.51").status_code == 429
    assert counting_hasher.hashes == hashed
    # Unknown usernames count the same way.
    for n in range(3):
        attempt(client, "ghost", address=f"203.0.113.{n}")
    assert attempt(client, "ghost", address="203.0.113.50").status_code == 429


def test_the_username_limit_spares_an_address_the_person_signed_in_from_lately(db, settings):
    """Otherwise anyone could stop a named person signing in, from anywhere."""
    settings.SIGNIN_ATTEMPTS_PER_USERNAME = 2
    make_user("alice")
    client = Client()
    assert attempt(client, "alice", PASSWORD, address="192.0.2.7").status_code == 302
    client.post(reverse("logout"))
    for n in range(5):
        attempt(Client(), "alice", address=f"203.0.113.{n}")  # someone else, elsewhere
    assert attempt(Client(), "alice", address="203.0.113.99").status_code == 429
    assert attempt(Client(), "alice", PASSWORD, address="192.0.2.7").status_code == 302


def test_successful_sign_ins_are_not_counted(db, settings):
    settings.SIGNIN_ATTEMPTS_PER_ADDRESS = 3
    for n in range(6):
        make_user(f"user{n}")
    for n in range(6):
        client = Client()
        assert attempt(client, f"user{n}", PASSWORD).status_code == 302


def test_counts_live_in_fixed_windows_and_old_windows_are_deleted(db, settings):
    settings.SIGNIN_THROTTLE_WINDOW_SECONDS = 900
    now = datetime.datetime(2026, 11, 29, 10, 7, 30, tzinfo=datetime.UTC)
    start = signin._window_start(now)
    assert start == datetime.datetime(2026, 11, 29, 10, 0, tzinfo=datetime.UTC)
    assert signin.window_end(start) == datetime.datetime(2026, 11, 29, 10, 15, tzinfo=datetime.UTC)
    earlier = start - datetime.timedelta(seconds=900)
    assert signin.count_attempt("address", "192.0.2.1", earlier) == 1
    assert signin.count_attempt("address", "192.0.2.1", start) == 1
    assert signin.count_attempt("address", "192.0.2.1", start) == 2
    assert not SignInCount.objects.filter(window_start=earlier).exists()


def test_a_post_without_a_valid_csrf_token_is_not_counted(db):
    client = Client(enforce_csrf_checks=True)
    assert attempt(client, "alice").status_code == 403
    assert not SignInCount.objects.exists()


def test_the_admin_sign_in_is_throttled_too(db, settings):
    settings.SIGNIN_ATTEMPTS_PER_ADDRESS = 1
    client = Client()
    data = {"username": "admin", "password": WRONG}
    assert client.post(reverse("admin:login"), data, REMOTE_ADDR="192.0.2.9").status_code == 200
    assert client.post(reverse("admin:login"), data, REMOTE_ADDR="192.0.2.9").status_code == 429


# Hashes take turns -----------------------------------------------------------------------------


@pytest.fixture
def fresh_pool(monkeypatch):
    monkeypatch.setattr(signin, "_pool", None)
    yield
    if signin._pool is not None:
        signin._pool.shutdown(wait=True)


def test_at_most_the_configured_number_of_hashes_run_at_once(settings, fresh_pool):
    settings.SIGNIN_CONCURRENT_HASHES = 2
    running, most = [0], [0]
    guard = threading.Lock()
    release = threading.Event()

    def hash_once():
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(5)
        with guard:
            running[0] -= 1

    requests = [threading.Thread(target=signin.hashed, args=(hash_once,)) for _ in range(6)]
    for t in requests:
        t.start()
    deadline = time.monotonic() + 5
    while running[0] < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
    release.set()
    for t in requests:
        t.join(5)
    assert most[0] == 2


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
def test_hashes_run_at_a_lower_cpu_priority_than_pages(fresh_pool):
    def niceness():
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    page = niceness()
    hashing, _ = signin.hashed(niceness)
    assert hashing == min(page + signin.HASH_THREAD_NICENESS, 19)
    assert niceness() == page  # the request's own thread is untouched


def test_a_stored_hash_is_upgraded_as_django_does(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "tests.security.test_signin.CountingHasher"]
    user = make_user("alice")
    user.password = CountingHasher().encode(PASSWORD, "salt")
    user.save()
    assert attempt(Client(), "alice", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("md5$")


# The real client address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),  # the client's own entries are skipped
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # shorter than the proxies: not through them
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_the_right_past_the_trusted_proxies(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert signin.client_address(request) == expected


# Lockouts --------------------------------------------------------------------------------------


def test_behind_a_proxy_one_client_cannot_lock_a_user_out_everywhere(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("alice")
    client = Client()
    balancer = {"address": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", **balancer, HTTP_X_FORWARDED_FOR="203.0.113.66")
    locked = attempt(client, "alice", PASSWORD, **balancer, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert locked.status_code == 429 and "too many failed attempts" in locked.text
    # Prepending the victim's address to the header changes nothing: it is read from the right.
    spoofed = attempt(client, "alice", PASSWORD, **balancer,
                      HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66")
    assert spoofed.status_code == 429
    ok = attempt(Client(), "alice", PASSWORD, **balancer, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert ok.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_failures_during_a_lockout_do_not_extend_it(db, settings):
    make_user("alice")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice")
    locked_at = AccessAttempt.objects.get(username="alice").attempt_time
    for _ in range(3):
        assert attempt(client, "alice").status_code == 429
    record = AccessAttempt.objects.get(username="alice")
    assert record.attempt_time == locked_at
    assert record.failures_since_start == settings.AXES_FAILURE_LIMIT
    # An hour after the failure that locked it, the lockout is over.
    AccessAttempt.objects.filter(pk=record.pk).update(
        attempt_time=locked_at - datetime.timedelta(hours=1, seconds=1)
    )
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_every_lockout_is_logged_with_username_and_address(db, settings, caplog):
    make_user("alice")
    client = Client()
    with caplog.at_level(logging.INFO, logger="riskreg.signin"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "alice", address="192.0.2.44")
        attempt(client, "alice", address="192.0.2.44")
    records = [r for r in caplog.records if r.name == "riskreg.signin"]
    locked = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert locked == [f"Sign-in locked out after {settings.AXES_FAILURE_LIMIT} failures: "
                      "username='alice' address=192.0.2.44"]
    assert any("refused, locked out: username='alice' address=192.0.2.44" in r.getMessage()
               for r in records if r.levelno == logging.INFO)


# The team's page ---------------------------------------------------------------------------------


def test_the_team_sees_lockouts_and_unlocks_them(db, settings, caplog):
    settings.SIGNIN_ATTEMPTS_PER_ADDRESS = 50
    settings.SIGNIN_ATTEMPTS_PER_USERNAME = 6
    make_user("alice")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", address="192.0.2.44")
    for n in range(3):
        attempt(client, "alice", address=f"203.0.113.{n}")
    assert attempt(client, "alice", PASSWORD, address="192.0.2.44").status_code == 429

    team = Client()
    planner = make_planner()
    team.force_login(planner)
    page = team.get(reverse("lockouts"))
    assert page.status_code == 200
    assert [(r["username"], r["address"]) for r in page.context["lockouts"]] == [
        ("alice", "192.0.2.44")]
    assert [(r["kind"], r["value"]) for r in page.context["throttles"]] == [("Username", "alice")]

    with caplog.at_level(logging.WARNING, logger="riskreg.signin"):
        done = team.post(reverse("lockouts"), {"username": "alice", "address": "192.0.2.44"},
                         follow=True)
    assert "Unlocked alice at 192.0.2.44" in done.text
    assert done.context["lockouts"] == []
    assert LogEntry.objects.filter(user=planner, action_flag=DELETION,
                                   change_message__contains="Unlocked").exists()
    assert "Sign-in unlocked by planner: username='alice' address=192.0.2.44" in caplog.text
    assert attempt(Client(), "alice", PASSWORD, address="192.0.2.44").status_code == 302


def test_unlocking_needs_a_username_or_a_real_address(db):
    team = Client()
    team.force_login(make_planner())
    empty = team.post(reverse("lockouts"), {"username": "", "address": ""})
    assert empty.status_code == 200 and "Say which username or address" in empty.text
    bad = team.post(reverse("lockouts"), {"username": "", "address": "999.1.1.1"})
    assert bad.status_code == 200 and "Enter an IP address" in bad.text


@pytest.mark.parametrize("username", ["a\x00b", "\x00", "9" * 5000, "é" * 300])
def test_any_username_is_an_answer_and_is_recorded_as_the_database_can_hold_it(db, username):
    """PostgreSQL refuses NUL in text and axes' username column is 255 wide; the sign-in form
    lets a username of any length reach authenticate()."""
    make_user("alice")
    response = attempt(Client(), username)
    assert response.status_code in (200, 429)
    for value in [*SignInCount.objects.values_list("value", flat=True),
                  *AccessAttempt.objects.values_list("username", flat=True)]:
        assert "\x00" not in value and len(value) <= 255
