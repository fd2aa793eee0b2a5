"""The team's pages that keep the register (issue 16), in Chromium at 375 px: no WCAG
violation (axe, as test_accessibility.py), forms with their error summary too, and nothing
scrolls sideways."""

import datetime
import json

import pytest
from django.core.management import call_command

from maturity.models import BusinessGroup, Unit
from risks.models import PLANNING_TEAM, Pillar, Post, Register, Risk
from risks.services import open_period
from tests.factories import make_user

from .conftest import open_page
from .test_accessibility import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manage_pages_pass_axe_and_reflow_at_375_px(chromium, live_server):
    call_command("loaddata", "corporate_2021_10", verbosity=0)
    planner = make_user("planner", groups=[PLANNING_TEAM])
    open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3), by=planner)
    risk = Risk.objects.get(register__slug="corporate", ref=1)
    post = Post.objects.get(name="AC Frontline Policing")
    unit = Unit.objects.create(name="Central West BCU", commander=post,
                               business_group=BusinessGroup.objects.create(name="Frontline"))
    urls = [
        "/manage/", "/manage/risks/", "/manage/risks/new/", f"/manage/risks/{risk.pk}/",
        f"/manage/risks/{risk.pk}/retire/", f"/manage/risks/{risk.pk}/reinstate/",
        "/manage/posts/", "/manage/posts/new/", f"/manage/posts/{post.pk}/",
        f"/manage/posts/{post.pk}/delete/", "/manage/pillars/", "/manage/pillars/new/",
        f"/manage/pillars/{Pillar.objects.first().pk}/", "/manage/registers/",
        "/manage/registers/new/", f"/manage/registers/{Register.objects.first().pk}/",
        "/manage/units/", "/manage/units/new/", f"/manage/units/{unit.pk}/", f"/risks/{risk.pk}/",
    ]
    signed = open_page(chromium, live_server, planner)
    page = signed.page
    page.set_viewport_size({"width": 375, "height": 800})
    found, statuses, wide = {}, {}, {}
    for url in urls:
        statuses[url] = page.goto(url).status
        if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
            wide[url] = page.evaluate("document.documentElement.scrollWidth")
        if violations := axe(page, live_server):
            found[url] = violations
    for url, field in (("/manage/risks/new/", "#id_title"), ("/manage/posts/new/", "#id_name"),
                       ("/manage/units/new/", "#id_name")):
        page.goto(url)
        page.fill(field, "")
        page.locator("main form[method=post] button[type=submit]").first.click()
        page.wait_for_selector(".govuk-error-summary")
        if violations := axe(page, live_server):
            found[f"{url} (with errors)"] = violations
    csp = signed.csp_errors
    signed.close()
    assert {k: v for k, v in statuses.items() if v != 200} == {}
    assert wide == {}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert csp == []
