"""riskreg/views.py: the home page, and signing in first (LoginRequiredMiddleware): only the
sign-in page is public."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("path", ["/", "/registers/corporate/", "/risks/1/", "/admin/"])
def test_anonymous_requests_are_redirected_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]


def test_login_page_is_public(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_outsider_sees_no_registers(client, db):
    from tests.factories import make_register, make_user

    make_register("corporate")
    client.force_login(make_user("nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert "Ask the Planning &amp; Risk Team for access" in response.text
    assert client.get("/registers/corporate/").status_code == 404
