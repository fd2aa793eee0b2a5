"""Issue 17's path in Chromium: a risk raised in a unit register, escalated to its business
group and on to the corporate register, accepted at each step, reported, and de-escalated,
every step a recorded decision."""

import datetime

import pytest
from django.core.management import call_command

from riskreg.report.services import create_report
from risks.models import PLANNING_TEAM, Escalation, Post, Register, Risk
from risks.services import open_period
from tests.factories import make_post, make_register, make_user

from .conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def decide(page, url: str, reason: str) -> None:
    page.goto(url)
    page.get_by_label("Accept").check()
    page.get_by_label("Reason for the decision").fill(reason)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector("#result-risk")


def propose(page, risk: str, choice: str, reason: str) -> str:
    page.goto(risk)
    page.click("#escalate")
    page.get_by_label(choice, exact=True).check()
    page.get_by_label("Why?").fill(reason)
    page.get_by_role("button", name="Propose").click()
    page.wait_for_selector("#escalation")
    return page.url


def test_a_unit_risk_goes_up_two_levels_is_reported_and_comes_back_down(chromium, live_server):
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    planner = make_user("planner", groups=[PLANNING_TEAM])
    # A business group with a BCU beneath it, as the team would set them up (not example data,
    # which never reaches a paper).
    ac_flp = Post.objects.get(name="AC Frontline Policing")
    commander_post, lead_post = make_post("Commander, North BCU"), make_post("FLP risk lead")
    corporate = Register.objects.get(slug="corporate")
    group = make_register("flp", name="Frontline Policing", kind="business_group",
                          parent=corporate, owner_post=ac_flp, lead_post=lead_post)
    make_register("north-bcu", name="North BCU", kind="unit", parent=group,
                  owner_post=commander_post)
    bcu, lead = make_user("bcu", posts=[commander_post]), make_user("lead", posts=[lead_post])
    owner = make_user("owner", posts=[ac_flp])
    q3 = open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                     end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3),
                     by=planner)
    report = create_report(register=corporate, period=q3,
                           meeting_date=datetime.date(2022, 1, 24), by=planner)
    team, commander, group_lead, ac = (open_page(chromium, live_server, user).page
                                       for user in (planner, bcu, lead, owner))

    # The team raises the risk in North BCU's register.
    team.goto("/manage/risks/new/")
    team.get_by_label("Register", exact=True).select_option(label="North BCU")
    team.get_by_label("Risk number").fill("3")
    team.get_by_label("Title").fill("KNIFE CRIME")
    team.get_by_label("Short-term").check()
    team.get_by_label("Risk owner (post)").select_option(label="Commander, North BCU")
    team.locator("main form[method=post] button[type=submit]").first.click()
    team.wait_for_selector(".govuk-notification-banner")
    unit_risk = Risk.objects.get(register__slug="north-bcu", ref=3)

    # North BCU's commander proposes it to the business group, whose lead accepts.
    up = propose(commander, f"/risks/{unit_risk.pk}/", "Escalate to Frontline Policing",
                 "Knife crime is rising in both BCUs.")
    decide(group_lead, up, "One plan for the group.")
    group_risk = Escalation.objects.get(risk=unit_risk).result_risk
    assert group_risk.register == group

    # The business group's head proposes it on to the corporate register; the team accepts.
    on = propose(ac, f"/risks/{group_risk.pk}/", "Escalate to Corporate risk register",
                 "A force-wide risk now.")
    decide(team, on, "Agreed at Risk and Assurance Board.")
    corporate_risk = Escalation.objects.get(risk=group_risk).result_risk
    ac.goto(f"/risks/{unit_risk.pk}/")
    assert "Escalated to" in ac.locator("#risk-escalations").inner_text()

    # Reported: the quarter's changes and the Audit Panel paper say so.
    team.goto("/registers/corporate/changes/?period=2021-22-q3")
    assert "KNIFE CRIME" in team.locator("#escalations").inner_text()
    team.goto(f"/reports/{report.pk}/")
    assert "was escalated to the register this quarter" in team.content()

    # Back down to the business group: the corporate risk retires, the group's carries on.
    down = propose(ac, f"/risks/{corporate_risk.pk}/", "De-escalate to Frontline Policing",
                   "Within tolerance again.")
    decide(group_lead, down, "The group manages it.")
    team.goto(f"/risks/{corporate_risk.pk}/")
    assert "Retired" in team.content()
    for page in (team, commander, group_lead, ac):
        page.context.close()

    assert [(e.direction, e.state) for e in Escalation.objects.filter(period=q3)
            .order_by("pk")] == [("up", "accepted"), ("up", "accepted"), ("down", "accepted")]
    assert Escalation.history.filter(period=q3).count() == 6  # each proposal and decision
    assert not Risk.objects.get(pk=corporate_risk.pk).is_active
    assert Risk.objects.get(pk=group_risk.pk).is_active
