"""The quarterly cycle once more, in Chromium: open → draft → submit → return → resubmit →
approve → close → frozen. Playwright drives Debian's Chromium against pytest-django's live server.
"""

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from risks.models import PLANNING_TEAM, Assessment, Post, ReportingPeriod, Risk
from tests.factories import PASSWORD, make_user

# Playwright's sync API runs an event loop in this thread; Django would refuse the ORM here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-sandbox",
]


def launch(playwright):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture
def people():
    call_command("loaddata", "corporate_2021_10", verbosity=0)
    return {
        "owner": make_user("owner", first_name="Olive", last_name="Owner",
                           posts=[Post.objects.get(name="AC Frontline Policing")]),
        "planner": make_user("planner", first_name="Priya", last_name="Planner",
                             groups=[PLANNING_TEAM]),
    }


def signed_in(chromium, live_server, username) -> Page:
    page = chromium.new_context(base_url=live_server.url).new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page.locator("h1")).not_to_have_text("Sign in")
    return page


def banner(page: Page):
    return page.locator(".govuk-notification-banner").first


def test_the_quarterly_cycle_in_chromium(live_server, people):
    risk = Risk.objects.get(register__slug="corporate", ref=1)
    # Inside sync_playwright() the ORM would see another context, so another database
    # connection (asgiref's Local follows contextvars, which Playwright's greenlets switch):
    # the browser part makes no ORM call, and the database is checked after it.
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        csp_errors = drive_the_cycle(chromium, live_server, risk.pk)
        chromium.close()
    assert csp_errors == []
    a = Assessment.objects.get(risk=risk, period__slug="2021-22-q3")
    assert (a.state, a.reviewed_by, a.submitted_by) == (
        "approved", people["planner"], people["owner"],
    )
    assert ReportingPeriod.objects.get(slug="2021-22-q3").closed_incomplete


def drive_the_cycle(chromium, live_server, risk_pk: int) -> list[str]:
    team = signed_in(chromium, live_server, "planner")
    owner = signed_in(chromium, live_server, "owner")

    # The team opens 2021/22 Q3: the form suggests it (name and dates in day, month and year
    # boxes); the team moves the deadline.
    team.goto("/periods/")
    team.click("text=Open the next period")
    expect(team.locator("#id_name")).to_have_value("2021/22 Q3")
    expect(team.locator("#id_start")).to_have_value("1")
    expect(team.locator("#id_end_month")).to_have_value("12")
    team.fill("#id_deadline", "3")
    team.fill("#id_deadline_month", "12")
    team.click("button:has-text('Open the period')")
    expect(banner(team)).to_contain_text("2021/22 Q3 is open. 11 risk updates carried forward")

    # The owner drafts: score (the band and warning appear before saving), progress, controls.
    owner.goto("/my-risks/")
    expect(owner.locator("main")).to_contain_text("due by 3 December 2021")
    owner.click(f"a[href='/risks/{risk_pk}/update/']")
    expect(owner.locator("h1")).to_have_text("2021/22 Q3 update")
    owner.click("text=Current score")
    owner.check("#id_likelihood_2")  # High
    owner.click("button:has-text('Show the band')")  # works with or without htmx
    expect(owner.locator("#band")).to_contain_text("further from the target")
    owner.check("#id_score_change_source_1")  # Re-assessment of the score
    owner.click("button:has-text('Save and continue')")
    expect(banner(owner)).to_contain_text("The score was saved as a draft")
    expect(owner.locator("h1")).to_have_text("Trend, progress and commentary")
    owner.check("#id_trend_2")  # Worsening
    expect(owner.locator("#id_reasons")).to_be_hidden()  # on track, as carried forward
    owner.check("#id_progress_1")  # Limited
    expect(owner.locator("#id_reasons")).to_be_visible()
    owner.fill("#id_reasons", "Knife crime rose over the summer.")
    owner.fill("#id_commentary", "Q3: more violence in the summer months.")
    owner.click("button:has-text('Save and continue')")
    expect(owner.locator("h1")).to_have_text("Controls")

    first = owner.locator(".govuk-summary-card").first
    first.locator("a", has_text="Update").click()
    first = owner.locator(".govuk-summary-card").first
    first.locator("input[value='complete']").check()
    first.locator("textarea").fill("Forty lines closed.")
    first.locator("button", has_text="Save").click()
    expect(owner.locator("main")).to_contain_text("Forty lines closed.")
    owner.click("button:has-text('Keep last quarter')")
    expect(banner(owner)).to_contain_text("1 control marked unchanged since last quarter.")

    owner.goto(f"/risks/{risk_pk}/update/")
    owner.click("text=Check and submit")
    expect(owner.locator("h1")).to_have_text("Check your update before you submit it")
    owner.click("button:has-text('Submit for review')")
    expect(banner(owner)).to_contain_text("is submitted to the Planning & Risk Team")

    # The team returns it with a comment, in the queue.
    team.goto("/review/")
    row = team.locator("tr", has_text="VIOLENT CRIME")
    expect(row).to_contain_text("M v H → H v H")
    row.locator("a", has_text="Return with a comment").click()
    team.fill("#id_comment", "Say what the VAWG control achieved.")
    team.click("button:has-text('Return to the owner')")
    row = team.locator("tr", has_text="VIOLENT CRIME")
    expect(row).to_contain_text("Say what the VAWG control achieved.")
    expect(row).to_contain_text("Returned")

    # The owner sees the comment, changes the commentary and resubmits.
    owner.goto("/my-risks/")
    expect(owner.locator("main")).to_contain_text("Say what the VAWG control achieved.")
    owner.goto("/")
    expect(banner(owner)).to_contain_text("An update was returned to you")
    owner.click("text=Read the comment and change the update")
    expect(owner.locator(".govuk-notification-banner")).to_contain_text("Returned to you")
    owner.click("text=Trend, progress and commentary")
    owner.fill("#id_commentary", "Q3: more violence; VAWG patrols reached 40 open spaces.")
    owner.click("button:has-text('Save and continue')")
    expect(banner(owner)).to_contain_text("commentary were saved as a draft")
    owner.goto(f"/risks/{risk_pk}/update/check/")
    owner.click("button:has-text('Submit for review')")
    expect(banner(owner)).to_contain_text("is submitted")

    # The team approves it in place.
    team.goto("/review/")
    row = team.locator("tr", has_text="VIOLENT CRIME")
    expect(team.locator("#queue-submitted-count")).to_have_text("(1)")
    row.locator("button", has_text="Approve").click()
    expect(row).to_contain_text("Approved")
    # The counts above the tables follow, without a reload.
    expect(team.locator("#queue-submitted-count")).to_have_text("(0)")
    expect(team.locator("#queue-counts")).to_contain_text("0 submitted for review")
    expect(team.locator("#queue-counts")).to_contain_text("1 approved, of 11")

    # The team closes the period with what is there.
    team.goto("/periods/2021-22-q3/close/")
    team.check("#id_incomplete")
    team.click("button:has-text('Close 2021/22 Q3')")
    expect(banner(team)).to_contain_text("2021/22 Q3 is closed with 10 updates not approved.")

    # Frozen: the update is gone, the risk page keeps the record.
    response = owner.goto(f"/risks/{risk_pk}/update/")
    assert response.status == 404
    owner.goto(f"/risks/{risk_pk}/")
    history = owner.locator("#history + p + ol")
    expect(history).to_contain_text("2021/22 Q3 update: approved")
    expect(history).to_contain_text("Priya Planner")
    expect(history).to_contain_text(re.compile("Likelihood: Medium → High"))

    # Signing out says so.
    owner.click("button:has-text('Sign out')")
    expect(owner.locator("h1")).to_have_text("You have signed out")

    return team.csp_errors + owner.csp_errors
