"""riskreg/views.py: the home page, signing in first (LoginRequiredMiddleware: only the sign-in
page and the band colours are public), and the band colours' stylesheet (bands_css): linked
by every page, made from settings.RISK_BANDS, kept under an address that names its version."""

import copy

import pytest
from django.test import override_settings
from django.urls import reverse

from risks.scoring import band_css, band_css_version


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

def _link(html: str) -> str:
    url = reverse("bands-css", args=[band_css_version()])
    assert f'<link rel="stylesheet" href="{url}">' in html
    return url


@override_settings(SECURE_SSL_REDIRECT=False)
def test_every_page_links_the_band_colours_which_anyone_may_fetch(client, db):
    url = _link(client.get(reverse("login")).text)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.text == band_css()
    # The browser alone may keep it (it may carry the session cookie), for a year.
    assert set(response["Cache-Control"].split(", ")) == {
        "private", "max-age=31536000", "immutable"
    }


def test_an_old_address_leads_to_the_current_colours_uncached(client, db):
    response = client.get(reverse("bands-css", args=["0123456789abcdef"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("bands-css", args=[band_css_version()])
    assert "no-store" in response["Cache-Control"]


def test_new_colours_get_a_new_address(client, db, settings):
    before = _link(client.get(reverse("login")).text)
    bands = copy.deepcopy(settings.RISK_BANDS)
    bands[3]["fill"] = "#fedcba"
    settings.RISK_BANDS = bands
    after = _link(client.get(reverse("login")).text)
    assert after != before
    assert ".rr-band--very_high { background-color: #fedcba;" in client.get(after).text


def _submitted(a, by):
    from tests.riskreg.quarterly.test_update_submit import submitted

    return submitted(a, by)


def test_the_owner_home_announces_a_returned_update_with_the_link_to_its_comment(
    client, owner, draft, risk1
):
    from risks.services import return_assessment
    from tests.factories import make_planner

    client.force_login(owner)
    assert "was returned to you" not in client.get("/").text
    a = _submitted(draft, owner)
    return_assessment(assessment=a, version=a.version, by=make_planner("checker"),
                      comment="Add the Q3 figures.")
    page = client.get("/").text
    banner = page.split('class="govuk-notification-banner"', 1)[1].split("</main>", 1)[0]
    assert "An update was returned to you" in banner
    assert f'href="{reverse("quarterly:update", args=[risk1.pk])}#returned-title"' in banner
    assert page.index("govuk-notification-banner") < page.index("<h1")


def test_the_team_home_shows_the_open_quarters_figures_and_deadline(client, planner, owner, draft):
    _submitted(draft, owner)
    client.force_login(planner)
    page = client.get("/").text
    figures = page.split('id="queue-figures"', 1)[1].split("</dl>", 1)[0]
    words = " ".join(figures.replace("<", " <").split())
    assert "Submitted, waiting for review </dt> <dd class=\"govuk-summary-list__value\">1" in words
    assert "Returned with a comment </dt> <dd class=\"govuk-summary-list__value\">0" in words
    assert "Not started or still a draft </dt> <dd class=\"govuk-summary-list__value\">10" in words
    assert "3 December 2021" in figures


def test_an_owner_home_has_no_queue_figures(client, owner, q3):
    client.force_login(owner)
    assert 'id="queue-figures"' not in client.get("/").text


def test_periods_is_in_the_navigation_for_the_team_only(client, planner, owner, seed):
    client.force_login(planner)
    assert 'href="/periods/">Periods</a>' in client.get("/").text
    client.force_login(owner)
    assert 'href="/periods/">Periods</a>' not in client.get("/").text
