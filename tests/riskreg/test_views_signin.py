"""riskreg/views_signin.py: signing in and out in GOV.UK's words: the error summary and the
fields marked, a page for problems signing in, and a confirmation after signing out."""

import pytest
from django.urls import reverse

from tests.factories import make_user

LOGIN = reverse("login")


@pytest.mark.parametrize(
    ("data", "message", "marked"),
    [({"username": "", "password": ""}, "Enter your username", "id_username"),
     ({"username": "someone", "password": ""}, "Enter your password", "id_password")],
)
def test_a_missing_answer_is_named_and_its_field_marked(client, db, data, message, marked):
    page = client.post(LOGIN, data).text
    assert "There is a problem" in page
    assert f'<li><a href="#{marked}">{message}</a></li>' in page
    assert f'id="{marked}_error"' in page
    assert f'govuk-input--error" id="{marked}"' in page


def test_a_wrong_password_says_so_without_saying_which_and_marks_both(client, db):
    make_user("olive")
    page = client.post(LOGIN, {"username": "olive", "password": "wrong"}).text
    assert '<li><a href="#id_username">The username or password is not correct</a></li>' in page
    assert page.count("govuk-input--error") == 2
    assert "Please enter a correct" not in page


def test_the_sign_in_page_links_to_help(client, db):
    page = client.get(LOGIN).text
    assert f'<a class="govuk-link" href="{reverse("signin-help")}">Problems signing in?</a>' in page
    help_page = client.get(reverse("signin-help"))
    assert help_page.status_code == 200
    assert "Contact the Planning &amp; Risk Team or your administrator" in help_page.text


def test_signing_out_confirms_it(client, db):
    client.force_login(make_user("olive"))
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("signed-out")
    assert "You have signed out" in response.text
    assert "Sign in again" in response.text
    assert client.get("/").status_code == 302


def test_the_signed_out_page_sends_someone_signed_in_home(client, db):
    client.force_login(make_user("olive"))
    assert client.get(reverse("signed-out"))["Location"] == reverse("home")
