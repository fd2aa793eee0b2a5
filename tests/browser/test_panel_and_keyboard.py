"""Two journeys in Chromium: the Audit Panel signs in and downloads the report's PDF; a risk
owner re-scores a risk and saves it with the keyboard alone.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from risks.models import AUDIT_PANEL, PLANNING_TEAM, Assessment, Post, Risk
from risks.services import open_period
from tests.factories import PASSWORD, make_user

from .conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    return {
        "panel": make_user("panel", first_name="Pat", last_name="Panel", groups=[AUDIT_PANEL]),
        "owner": make_user("owner", first_name="Olive", last_name="Owner",
                           posts=[Post.objects.get(name="AC Frontline Policing")]),
        "planner": make_user("planner", groups=[PLANNING_TEAM]),
    }


def test_the_audit_panel_signs_in_and_downloads_the_report(chromium, live_server, people,
                                                            tmp_path):
    signed = open_page(chromium, live_server)
    page = signed.page
    page.goto("/reports/")  # sign in first, then back here
    expect(page.locator("h1")).to_have_text("Sign in")
    page.fill("#id_username", "panel")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page).to_have_url(re.compile(r"/reports/$"))
    page.click("text=Met Risk Management Report, 4 October 2021")
    expect(page.locator("main h1").first).to_contain_text("Met Risk Management Report")
    with page.expect_download() as download_info:
        page.click("a.govuk-button:has-text('Download PDF')")
    download = download_info.value
    assert download.suggested_filename == "met-risk-management-report-2021-10-full-OFFICIAL-SENSITIVE.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    # The public version, from the list.
    page.goto("/reports/")
    with page.expect_download() as public_info:
        page.locator("a", has_text="Public PDF").first.click()
    public = public_info.value
    assert public.suggested_filename == "met-risk-management-report-2021-10-public-OFFICIAL.pdf"
    public_data = (tmp_path / "public.pdf")
    public.save_as(public_data)
    csp = signed.csp_errors
    signed.close()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert public_data.read_bytes().startswith(b"%PDF-")
    assert public_data.read_bytes() != data
    assert csp == []


def _tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_update_form_works_with_the_keyboard_alone(chromium, live_server, people):
    """Tab moves between controls; arrow keys choose within a radio group (as in every
    browser: a group of radios is one tab stop); Space and Enter press; no mouse at all."""
    open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3),
                by=people["planner"])
    risk = Risk.objects.get(register__slug="corporate", ref=1)
    signed = open_page(chromium, live_server, people["owner"])
    page = signed.page
    page.goto(f"/risks/{risk.pk}/update/")
    expect(page.locator("h1")).to_have_text("2021/22 Q3 update")

    # The skip link comes first, then the task list's first task.
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    _tab_to(page, "a:has-text('Current score')")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Current score")

    # Likelihood was Medium (2): the group's tab stop is the checked radio; Down picks High.
    _tab_to(page, "#id_likelihood_1")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_likelihood_2")).to_be_checked()
    expect(page.locator("#id_likelihood_2")).to_be_focused()
    # Impact stays High; the reason for the change: Tab to its group, then choose with Space.
    page.keyboard.press("Tab")
    expect(page.locator("#id_impact_2")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_score_change_source")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_score_change_source_1")).to_be_checked()
    # The band follows the answers (htmx, on change) and is announced (aria-live).
    expect(page.locator("#band")).to_contain_text("further from the target")
    # Past "not rated this quarter" and its reason, both left as they are.
    page.keyboard.press("Tab")
    expect(page.locator("#id_not_rated")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_not_rated_reason")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("button:has-text('Save and continue')")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "The score was saved as a draft"
    )
    expect(page.locator("h1")).to_have_text("Trend, progress and commentary")
    # The next section keeps last quarter's answers: Space presses its button.
    _tab_to(page, "button:has-text('Save and continue')")
    page.keyboard.press("Space")
    expect(page.locator("h1")).to_have_text("Controls")
    csp = signed.csp_errors
    signed.close()
    assessment = Assessment.objects.get(risk=risk, period__slug="2021-22-q3")
    assert (assessment.likelihood, assessment.impact) == (3, 3)
    assert assessment.score_change_source == "reassessment"
    assert csp == []
