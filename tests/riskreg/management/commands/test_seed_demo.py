"""python manage.py seed_demo: the October 2021 register with a demo account per role, for
local use only."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from risks.models import Register

DEMO_USERS = ["owner", "lead", "planner", "panel", "admin"]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_account_sees_the_corporate_register_on_home(client, demo, username):
    assert client.post(
        "/accounts/login/", {"username": username, "password": "quarterly-review-2021"}
    ).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert "Corporate risk register" in response.text
    assert "2021/22 Q3" in response.text


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_account_reads_the_october_2021_register(client, demo, username):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/registers/corporate/?period=2021-22-q2")
    assert response.status_code == 200
    assert "VIOLENT CRIME" in response.text
    assert "M v H" in response.text


def test_seed_demo_is_idempotent(demo):
    call_command("seed_demo", verbosity=0)
    assert Register.objects.filter(slug="corporate").count() == 1


def test_seed_demo_refuses_without_debug(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("seed_demo", verbosity=0)


def test_seed_demo_adds_example_units_labelled_as_example_data(client, demo):
    from maturity.models import Unit

    units = list(Unit.objects.select_related("business_group", "commander"))
    assert len(units) == 3
    assert all(u.name.endswith("(example data)") for u in units)
    assert all(u.business_group.name.endswith("(example data)") for u in units)
    # The owner commands one of them, so the demo shows a self-assessment to complete.
    owner = get_user_model().objects.get(username="owner")
    assert [u.name for u in units if owner in u.commander.holders.all()] == [
        "Central West BCU (example data)"
    ]
    call_command("seed_demo", verbosity=0)
    assert Unit.objects.count() == 3
    client.force_login(owner)
    assert "Central West BCU (example data)" in client.get("/maturity/self-assessments/").text


def test_the_october_2021_fixture_holds_no_units():
    import json
    from pathlib import Path

    from django.conf import settings

    for name in ("corporate_2021_10.json", "report_2021_10.json"):
        rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / name).read_text())
        assert not [r for r in rows if r["model"] in ("maturity.unit", "maturity.businessgroup")]


def test_seed_demo_adds_example_appetite_criteria_that_no_real_risk_uses(client, demo):
    from risks.models import AppetiteLevel, AppetiteTheme, Assessment, Risk

    levels = list(AppetiteLevel.objects.values_list("name", "max_score"))
    assert levels[0] == ("Averse (example data)", 2) and len(levels) == 5
    assert all(name.endswith("(example data)") for name in AppetiteTheme.objects.values_list(
        "name", flat=True))
    call_command("seed_demo", verbosity=0)
    assert AppetiteLevel.objects.count() == 5
    # Never reaching a real risk, its quarter's record or the October 2021 paper: only the
    # example register's risks use them (issue 18's example data).
    assert not Risk.objects.filter(register__is_example=False).exclude(
        appetite_level=None, appetite_theme=None, tolerance=None)
    assert not Assessment.objects.filter(risk__register__is_example=False).exclude(
        appetite_level_name="", tolerance=None)
    client.force_login(get_user_model().objects.get(username="planner"))
    assert "Cautious (example data)" in client.get("/manage/appetite/").text


def test_seed_demo_adds_an_example_board_labelled_as_example_data(client, demo):
    """Issue 17: one example board over the corporate register, with a draft summary for
    2021/22 Q2; its pages say it is example data; the October 2021 paper never names it."""
    from riskreg.boards.models import BoardSummary
    from riskreg.report.document import render
    from riskreg.report.models import Report

    summary = BoardSummary.objects.select_related("board").get()
    assert summary.board.is_example and not summary.is_published
    assert summary.period.slug == "2021-22-q2"
    client.force_login(get_user_model().objects.get(username="planner"))
    for address in ("/boards/", summary.board.get_absolute_url(), summary.get_absolute_url()):
        response = client.get(address)
        assert response.status_code == 200
        assert "Example data" in response.text
    page = client.get(summary.get_absolute_url()).text
    assert "TECHNOLOGY" in page and "Added by the secretariat" in page
    assert client.get(summary.get_pdf_url()).status_code == 200
    # Readers see no draft: the Panel finds the board, not its draft summary
    client.force_login(get_user_model().objects.get(username="panel"))
    assert client.get(summary.get_absolute_url()).status_code == 404
    october = Report.objects.get(pk=1)
    for public in (False, True):
        body = str(render(october, public=public)[0].body)
        # (The paper itself names the real Risk and Assurance Board: the example's words are
        # its meeting, its notes and its label.)
        for words in ("Example data", "15 November 2021", summary.notes):
            assert words not in body


def test_the_october_2021_fixtures_hold_no_board():
    import json
    from pathlib import Path

    from django.conf import settings

    for name in ("corporate_2021_10.json", "report_2021_10.json"):
        rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / name).read_text())
        assert not [r for r in rows if "board" in r["model"]]


def test_seed_demo_loads_the_example_organisation_labelled_as_example_data(client, demo):
    from risks.models import Escalation

    # The example organisation's registers (the indicators' and opportunities' stand apart)
    examples = Register.objects.filter(is_example=True, slug__in=[
        "frontline-policing-example", "north-bcu-example", "south-bcu-example",
        "risk-assurance-board-example"])
    assert sorted(examples.values_list("kind", flat=True)) == [
        "board", "business_group", "unit", "unit"]
    assert Escalation.objects.get().to_register.slug == "frontline-policing-example"
    call_command("seed_demo", verbosity=0)  # loaded once
    assert Register.objects.filter(is_example=True).count() == 6
    client.post("/accounts/login/", {"username": "bcu", "password": "quarterly-review-2021"})
    page = client.get("/registers/north-bcu-example/").text
    assert "North BCU (example) is made-up data" in page
    assert client.get("/registers/corporate/").status_code == 404
    client.force_login(get_user_model().objects.get(username="owner"))
    branch = client.get("/registers/frontline-policing-example/?scope=branch").text
    assert "South BCU (example) is made-up data" in branch


def test_seed_demo_loads_the_example_register_with_appetite_tolerance_and_indicators(client, demo):
    from risks.models import IndicatorValue

    register = Register.objects.get(slug="example-roads-policing")
    assert register.is_example and register.name.endswith("(example data)")
    risk = register.risks.get(ref=1)
    assert (risk.tolerance, risk.appetite_theme.name) == (4, "Operational (example data)")
    values = IndicatorValue.objects.filter(period__slug="2021-22-q2").order_by("pk")
    assert [v.rag for v in values] == ["red", "amber", "green"]
    assert all(v.indicator.risk.register_id == register.pk for v in values)
    call_command("seed_demo", verbosity=0)  # idempotent, the example data once
    assert IndicatorValue.objects.count() == 3
    client.force_login(get_user_model().objects.get(username="panel"))
    page = client.get(risk.get_absolute_url()).text
    assert "data-example-data" in page
    assert "58 offences" in page and 'data-chart-src="chart-indicator-' in page
    q2 = client.get(register.get_absolute_url() + "?period=2021-22-q2").text
    assert "data-example-data" in q2 and "In breach" in q2
