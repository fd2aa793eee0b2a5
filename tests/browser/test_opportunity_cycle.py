"""An opportunity runs through a quarter in Chromium (issue 18, item 4): the team opens the next
quarter, the owner updates and submits the opportunity, the team approves it, the quarter
closes, and its record stays as approved."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from risks.models import PLANNING_TEAM, Opportunity, OpportunityAssessment, Post, ReportingPeriod
from tests.factories import make_user

from .conftest import open_page
from .test_accessibility import axe
from .test_quarterly_cycle import banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_opportunity_runs_through_a_quarter(chromium, live_server):
    call_command("loaddata", "corporate_2021_10", "example_opportunities", verbosity=0)
    owner = make_user("owner", posts=[Post.objects.get(name="AC Frontline Policing")])
    planner = make_user("planner", first_name="Priya", last_name="Planner", groups=[PLANNING_TEAM])
    pk = Opportunity.objects.get(register__slug="example-opportunities", ref=1).pk
    team, mine = open_page(chromium, live_server, planner), open_page(chromium, live_server, owner)
    violations = drive(team.page, mine.page, pk, live_server)
    team.close()
    mine.close()
    assert team.csp_errors + mine.csp_errors == []
    assert violations == {}
    a = OpportunityAssessment.objects.get(opportunity_id=pk, period__slug="2021-22-q3")
    assert (a.state, a.likelihood, a.benefit, a.reviewed_by, a.submitted_by) == (
        "approved", 3, 4, planner, owner)
    assert not ReportingPeriod.objects.get(slug="2021-22-q3").is_open


def drive(team, owner, pk: int, live_server) -> dict:
    """The cycle; returns axe's WCAG violations on each new page type, by address."""
    violations = {}

    def check(page):
        if found := axe(page, live_server):
            violations[page.url] = [v["id"] for v in found]

    team.goto("/periods/open/")
    team.fill("#id_deadline", "3")
    team.fill("#id_deadline_month", "12")
    team.click("button:has-text('Open the period')")
    expect(banner(team)).to_contain_text("2021/22 Q3 is open")

    owner.goto("/my-opportunities/")
    owner.click(f"a[href='/opportunities/{pk}/update/']")
    expect(owner.locator("h1")).to_have_text("2021/22 Q3 update")
    check(owner)
    owner.check("input[name='likelihood'][value='3']")
    owner.check("input[name='benefit'][value='4']")
    owner.check("input[name='trend'][value='improving']")
    owner.fill("#id_commentary", "Devices now on three BCUs.")
    owner.locator("select").first.select_option("complete")
    owner.click("button:has-text('Save and submit for review')")
    expect(banner(owner)).to_contain_text("submitted for review")

    team.goto("/review/")
    team.locator("#queue-opportunities a", has_text="Mobile data for response officers").click()
    expect(team.locator("#review-opportunity")).to_contain_text("Devices now on three BCUs.")
    check(team)
    team.click("button:has-text('Approve opportunity 1')")
    expect(banner(team)).to_contain_text("update approved")

    team.goto("/periods/2021-22-q3/close/")
    team.check("#id_incomplete")  # the risks and the other opportunities are not done
    team.click("button:has-text('Close 2021/22 Q3')")
    expect(banner(team)).to_contain_text("2021/22 Q3 is closed")

    # Frozen: no update page; the opportunity and its register show the approved position.
    assert owner.goto(f"/opportunities/{pk}/update/").status == 404
    team.goto("/registers/example-opportunities/?period=2021-22-q3")
    expect(team.locator("#opportunity-1")).to_contain_text("H v VH")
    expect(team.locator("#opportunity-heatmap td[data-position='H v VH']")).to_contain_text("O1")
    check(team)
    owner.goto(f"/opportunities/{pk}/")
    expect(owner.locator("#opportunity-shown")).to_contain_text("H v VH")
    check(owner)
    owner.goto("/my-opportunities/")
    check(owner)
    return violations
