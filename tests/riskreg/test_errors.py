"""riskreg/errors.py: the 400, 403, 404, 500 and CSRF failure pages are GOV.UK pages with the
service's header and a way back, say what the code said to the reader, and the 500 page renders
without the request (no context processor, no query)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from riskreg import errors

HOME_LINK = '<a class="govuk-link" href="/">Go to the home page</a>'
SIGN_OUT = "Sign out"


def heading(html: str) -> str:
    return re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', html, re.S).group(1)


def assert_service_page(html: str) -> None:
    assert '<header class="govuk-header"' in html
    assert "Metropolitan Police Service" in html
    assert 'id="main-content"' in html


def test_an_unknown_address_gets_the_404_page_with_the_navigation(client, owner):
    client.force_login(owner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response.text) == "Page not found"
    assert_service_page(response.text)
    assert SIGN_OUT in response.text and HOME_LINK in response.text


def test_a_visitor_not_signed_in_gets_the_404_page_without_the_navigation(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response.text) == "Page not found"
    assert SIGN_OUT not in response.text and HOME_LINK in response.text


def test_the_404_page_says_the_codes_own_message(client, owner):
    client.force_login(owner)
    response = client.get("/registers/corporate/", {"period": "1999-q9"})
    assert response.status_code == 404
    assert "There is no reporting period with that name." in response.text


def test_the_404_page_keeps_djangos_generic_message_to_itself(client, outsider, seed):
    client.force_login(outsider)
    response = client.get("/registers/corporate/")
    assert response.status_code == 404
    assert "matches the given query" not in response.text
    assert "Register" not in heading(response.text)


def test_the_403_page_says_why(client, owner):
    client.force_login(owner)
    response = client.get("/review/")
    assert response.status_code == 403
    assert heading(response.text) == "You do not have access to this page"
    assert "Only the Planning &amp; Risk Team can do this." in response.text
    assert_service_page(response.text)
    assert SIGN_OUT in response.text and HOME_LINK in response.text


def test_a_bad_request_gets_the_400_page(client, owner):
    client.force_login(owner)
    too_many_fields = "&".join(f"f{i}=1" for i in range(1001))
    response = client.get(f"/registers/corporate/?{too_many_fields}")
    assert response.status_code == 400
    assert heading(response.text) == "Sorry, there is a problem with the request"
    assert_service_page(response.text)
    assert HOME_LINK in response.text


def test_a_form_without_its_token_gets_the_csrf_page(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert heading(response.text) == "Sorry, the form could not be sent"
    assert "Nothing you entered on that page was saved." in response.text
    assert HOME_LINK in response.text
    anonymous = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert anonymous.status_code == 403
    assert '<a class="govuk-link" href="/accounts/login/">Sign in</a>' in anonymous.text


def test_a_server_error_gets_the_500_page(owner, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("risks.views.registers.get_register_page_for_user", broken)
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    response = client.get("/registers/corporate/")
    assert response.status_code == 500
    assert heading(response.text) == "Sorry, there is a problem with the service"
    assert_service_page(response.text)
    assert HOME_LINK in response.text
    assert "database went away" not in response.text
    # Rendered without the request: nobody is named as signed in, no navigation is offered.
    assert SIGN_OUT not in response.text and "signed in as" not in response.text


def test_the_500_page_renders_without_a_query_or_a_request(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.parametrize(("message", "shown"), [
    ("You can read this risk but not update it.", "You can read this risk but not update it."),
    ("No Risk matches the given query.", ""),
    ({"path": "x", "tried": []}, ""),
    (None, ""),
])
def test_said_keeps_only_messages_written_for_the_reader(message, shown):
    exception = PermissionDenied() if message is None else PermissionDenied(message)
    assert errors.said(exception) == shown
