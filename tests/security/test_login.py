import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD, make_user

# Passwords are hashed with the session's fast hasher (tests/conftest.py): nothing checked here
# (lockout, messages, session keys, the validators) depends on what a hash costs.


def attempt(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_repeated_failures_lock_out_that_account_only(client, settings):
    make_user("alice")
    make_user("bob")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "wrong-password-123")
    locked = attempt(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert "too many failed attempts" in locked.text
    assert "_auth_user_id" not in client.session
    ok = attempt(client, "bob", PASSWORD)
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="bob").pk)


@pytest.mark.django_db
def test_failed_login_says_what_is_wrong(client):
    make_user("alice")
    response = attempt(client, "alice", "nope")
    assert response.status_code == 200
    assert "There is a problem" in response.text


@pytest.mark.parametrize("password", ["short-pw-1", "password1234", "qwertyuiop12", "123456789012345"])
def test_password_validators_reject_short_common_or_numeric(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_validators_accept_a_long_uncommon_password():
    validate_password("quarterly-review-2021")


@pytest.mark.django_db
def test_login_issues_a_new_session_key_and_logout_ends_it(client):
    make_user("alice")
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "stale"
    before = client.session.session_key
    attempt(client, "alice", PASSWORD)
    after = client.session.session_key
    assert after and after != before
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=after).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=after).exists()
    assert client.get("/").status_code == 302


def test_sessions_expire_after_inactivity(settings):
    # Exactly SESSION_IDLE_SECONDS after the last request: tests/riskreg/test_sessions.py.
    assert "riskreg.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.SESSION_IDLE_SECONDS <= 60 * 60
