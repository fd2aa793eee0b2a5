"""An owner enters the key risk indicators' values as a task of the quarterly update, in
Chromium (issue 18): a wrong value is refused with a message, a right one completes the task,
and the risk page draws the indicator's chart from static plotly under the strict CSP; both
pages pass axe's WCAG 2.2 AA rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from risks.indicators import save_indicator
from risks.models import IndicatorValue, Post, Risk
from risks.services import open_period
from tests.factories import make_planner, make_user

from .conftest import open_page
from .test_accessibility import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_enters_indicator_values_in_the_update(chromium, live_server):
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    owner = make_user("owner", posts=[Post.objects.get(name="AC Frontline Policing")])
    planner = make_planner()
    open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3), by=planner)
    risk1 = Risk.objects.get(register__slug="corporate", ref=1)
    save_indicator(indicator=None, risk=risk1, by=planner, fields={
        "name": "Knife crime offences", "unit": "offences", "direction": "higher_worse",
        "green_limit": Decimal(100), "amber_limit": Decimal(120), "source": "", "owner": None,
        "is_active": True, "order": 0})
    signed = open_page(chromium, live_server, owner)
    page = signed.page
    try:
        page.goto(f"/risks/{risk1.pk}/update/")
        expect(page.locator("#task-indicators-status")).to_have_text("Not started")
        page.get_by_role("link", name="Key risk indicators").click()
        value = page.get_by_label("Knife crime offences (offences)")
        value.fill("about 130")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter the value of Knife crime offences as a number")
        assert axe(page, live_server) == []  # the page with its errors
        page.get_by_label("Knife crime offences (offences)").fill("130")
        page.get_by_label("Note on Knife crime offences (optional)").fill("Summer peak.")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "indicators' values were saved")
        expect(page.locator("#task-indicators-status")).to_have_text("Completed")
        page.goto(f"/risks/{risk1.pk}/")
        chart = page.locator('[data-chart-src^="chart-indicator-"]')
        expect(chart).to_have_attribute("data-plotly-rendered", "true")
        expect(page.locator("#indicators ~ section table")).to_contain_text("Red")
        assert axe(page, live_server) == []  # the chart beside its table
        assert signed.csp_errors == []
    finally:
        signed.close()
    assert IndicatorValue.objects.get().value == 130
