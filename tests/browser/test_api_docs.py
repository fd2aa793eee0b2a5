"""The API's documentation page renders in Chromium from the vendored Swagger UI, under the
strict CSP (no inline script or style, no CDN), and reads the schema with the session."""

import pytest
from playwright.sync_api import expect

from risks.models import Post
from tests.factories import make_user

from .conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_page_renders_under_the_csp(chromium, live_server):
    owner = make_user("owner", posts=[Post.objects.create(name="AC Frontline Policing")])
    signed = open_page(chromium, live_server, owner)
    page = signed.page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Risk register API")
    expect(page.get_by_text("/api/v1/assessments/{id}/submit/").first).to_be_visible()
    assert signed.csp_errors == []
    assert all(url.startswith(live_server.url) for url in requests), requests
    signed.close()
