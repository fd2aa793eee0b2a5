"""The account page: a person makes a token (shown once, stored only as its digest), sees
their tokens, and revokes one, after which it no longer works."""

import datetime

import pytest
from django.urls import reverse

from riskreg.api.models import ApiToken, digest

from .conftest import TokenClient

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_stored_hashed(client, owner):
    client.force_login(owner)
    page = client.post(reverse("api-account:account"), {"name": "Power BI", "scope": "read"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    assert raw.startswith("rr_") and raw in page.text
    token = ApiToken.objects.get(user=owner)
    assert token.digest == digest(raw) and raw not in str(
        ApiToken.objects.filter(pk=token.pk).values().get()
    )
    assert token.scope == "read" and token.prefix == raw[:10]
    again = client.get(reverse("api-account:account"))
    assert raw not in again.text and "Power BI" in again.text and token.prefix in again.text
    assert TokenClient(raw).get("/api/v1/registers/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_tokens_last_use_is_written_once_a_minute_at_most(owner):
    """To the minute, as the account page shows it: not a write on every call."""
    token, raw = ApiToken.issue(user=owner, name="Script", scope="read")
    client = TokenClient(raw)
    assert client.get("/api/v1/registers/").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert client.get("/api/v1/periods/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(seconds=60))
    assert client.get("/api/v1/periods/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_revoked_token_no_longer_works(client, owner):
    token, raw = ApiToken.issue(user=owner, name="Script", scope="update")
    client.force_login(owner)
    response = client.post(reverse("api-account:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = TokenClient(raw).get("/api/v1/registers/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert "Revoked" in client.get(reverse("api-account:account")).text


def test_nobody_revokes_or_sees_another_persons_token(client, owner, other_owner):
    token, _ = ApiToken.issue(user=owner, name="Mine", scope="read")
    client.force_login(other_owner)
    assert client.post(reverse("api-account:token-revoke", args=[token.pk])).status_code == 404
    assert "Mine" not in client.get(reverse("api-account:account")).text
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_deactivated_persons_tokens_stop_working(owner):
    _, raw = ApiToken.issue(user=owner, name="Script", scope="read")
    owner.is_active = False
    owner.save()
    assert TokenClient(raw).get("/api/v1/registers/").status_code == 401


@pytest.mark.parametrize("data, message", [
    ({"name": "", "scope": "read"}, "Enter what the token is for"),
    ({"name": "   ", "scope": "read"}, "Enter what the token is for"),
    ({"name": "x" * 101, "scope": "read"}, "100 characters or fewer"),
    ({"name": "Script", "scope": "admin"}, "Choose read, or read and update"),
    ({"name": "Script"}, "Choose what the token may do"),
    ({"name": "Nul\x00", "scope": "read"}, "Null characters are not allowed"),
])
def test_bad_input_gets_a_message_and_makes_no_token(client, owner, data, message):
    client.force_login(owner)
    response = client.post(reverse("api-account:account"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not ApiToken.objects.exists()
