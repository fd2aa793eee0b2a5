"""axe-core's WCAG 2.x A and AA rules on every page type, in Chromium: zero violations.

axe is the vendored static/vendor/axe.min.js, loaded from the live server's /static/ (so the
page's strict CSP stays on: script-src 'self'). Each page is checked as it first loads, and
the forms once more with their error summary showing.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from controls.models import Control
from maturity.models import BusinessGroup, PlanAction, PlanItem, Unit, current_assessment_year
from riskreg.report.models import Report
from riskreg.report.services import create_report
from risks.models import AUDIT_PANEL, PLANNING_TEAM, Assessment, Post, Risk
from risks.services import open_period
from tests.factories import make_user

from .conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def site():
    """The October 2021 register with Q3 open, its published report and a draft Q3 report."""
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    planner = make_user("planner", first_name="Priya", last_name="Planner",
                        groups=[PLANNING_TEAM])
    owner = make_user("owner", first_name="Olive", last_name="Owner",
                      posts=[Post.objects.get(name="AC Frontline Policing")])
    panel = make_user("panel", groups=[AUDIT_PANEL])
    q3 = open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                     end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3),
                     by=planner)
    risk = Risk.objects.get(register__slug="corporate", ref=1)
    assessment = Assessment.objects.get(risk__register__slug="corporate", risk__ref=2, period=q3)
    Assessment.objects.filter(pk=assessment.pk).update(state="submitted")
    draft = create_report(register=risk.register, period=q3,
                          meeting_date=datetime.date(2022, 1, 24), by=planner)
    unit = Unit.objects.create(
        name="Central West BCU",
        business_group=BusinessGroup.objects.create(name="Frontline Policing", abbreviation="FLP"),
        commander=Post.objects.get(name="AC Frontline Policing"),
    )
    item = PlanItem.objects.get(ref=9)
    return {
        "planner": planner, "owner": owner, "panel": panel,
        "risk": risk.pk, "control": Control.objects.filter(risk=risk).first().pk,
        "assessment": assessment.pk, "report": Report.objects.get(pk=1).pk, "draft": draft.pk,
        "item": item.pk, "action": PlanAction.objects.filter(item=item).first().pk,
        "unit": unit.pk, "year": current_assessment_year(),
    }


def page_types(s) -> dict[str, list[str]]:
    """Who reads which pages: one of each page type of the site."""
    r = s["risk"]
    return {
        "anonymous": ["/accounts/login/", "/accounts/help/"],
        "owner": ["/", "/my-risks/", f"/risks/{r}/", f"/risks/{r}/update/",
                  f"/risks/{r}/update/score/", f"/risks/{r}/update/progress/",
                  f"/risks/{r}/update/controls/", f"/risks/{r}/update/controls/{s['control']}/",
                  f"/risks/{r}/update/controls/add/", f"/risks/{r}/update/check/",
                  f"/maturity/units/{s['unit']}/self-assessment/{s['year']}/"],
        "planner": [
            "/", "/registers/corporate/", "/registers/corporate/?period=2021-22-q2",
            "/registers/corporate/changes/", "/registers/corporate/compare/",
            "/heatmaps/", "/dashboard/", "/review/", f"/review/{s['assessment']}/",
            f"/review/{s['assessment']}/return/", "/periods/", "/periods/open/",
            "/periods/2021-22-q3/close/", "/levels/",
            "/maturity/", f"/maturity/items/{s['item']}/", f"/maturity/items/{s['item']}/edit/",
            "/maturity/items/new/", "/maturity/themes/new/",
            f"/maturity/items/{s['item']}/actions/new/", f"/maturity/actions/{s['action']}/edit/",
            "/maturity/appendix-c/", "/maturity/changes/", "/maturity/self-assessments/",
            f"/maturity/units/{s['unit']}/",
            "/reports/", "/reports/new/", f"/reports/{s['report']}/",
            f"/reports/{s['report']}/?public=1", f"/reports/{s['draft']}/",
            f"/reports/{s['draft']}/edit/", f"/reports/{s['draft']}/publish/",
            f"/reports/{s['report']}/withdraw/",
        ],
        "panel": ["/", "/reports/", f"/reports/{s['report']}/"],
    }


# Forms submitted empty (or wrong), to check the page with its error summary and messages.
FORMS_WITH_ERRORS = {
    "anonymous": [("/accounts/login/", "#id_username", "")],
    "owner": [("/risks/{risk}/update/progress/", "#id_commentary", "")],
    "planner": [("/maturity/themes/new/", "#id_title", "")],
}


def axe(page: Page, live_server, options: dict = AXE_OPTIONS) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_every_page_type_has_no_wcag_violations(chromium, live_server, site):
    signed = {role: open_page(chromium, live_server, site.get(role))
              for role in ("anonymous", "owner", "planner", "panel")}
    found, statuses = {}, {}
    for role, urls in page_types(site).items():
        page = signed[role].page
        for url in urls:
            response = page.goto(url)
            statuses[(role, url)] = response.status
            if "dashboard" in url:
                page.wait_for_selector("[data-plotly-rendered] .main-svg")
            violations = axe(page, live_server)
            if violations:
                found[f"{role} {url}"] = violations
    for role, forms in FORMS_WITH_ERRORS.items():
        page = signed[role].page
        for url, field, value in forms:
            url = url.format(risk=site["risk"])
            page.goto(url)
            page.fill(field, value)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_selector(".govuk-error-summary")
            violations = axe(page, live_server)
            if violations:
                found[f"{role} {url} (with errors)"] = violations
    # Fragments htmx swaps in: the review queue's return form, a control's inline form.
    page = signed["planner"].page
    page.goto("/review/")
    page.locator("a", has_text="Return with a comment").first.click()
    page.wait_for_selector("textarea#id_comment")
    if violations := axe(page, live_server):
        found["planner /review/ (return form in the row)"] = violations
    # A register too large to number: heat maps and alignment give counts (the seed's 10
    # scored risks, over a limit of 5 here).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("risks.heatmaps.DETAIL_LIMIT", 5)
        page.goto("/registers/corporate/?period=2021-22-q2")
        assert page.locator(".rr-heatmap__targets", has_text="target of").count() > 0
        if violations := axe(page, live_server):
            found["planner /registers/corporate/ (counted heat maps)"] = violations
    page = signed["owner"].page
    page.goto(f"/risks/{site['risk']}/update/controls/")
    page.locator(".govuk-summary-card a", has_text="Update").first.click()
    page.wait_for_selector(".govuk-summary-card textarea")
    if violations := axe(page, live_server):
        found["owner controls (inline form)"] = violations
    csp = {role: s.csp_errors for role, s in signed.items() if s.csp_errors}
    for s in signed.values():
        s.close()
    assert {k: v for k, v in statuses.items() if v != 200} == {}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert csp == {}
