"""risks/views/registers.py: the register page (the October 2021 data as Appendix A, past
periods, htmx, access), the heat maps page, the comparison of two quarters and the dashboard;
and every one of them at the same number of queries with 10 risks as with 500."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from risks.models import Post, Register, ReportingPeriod, Risk
from tests.factories import make_assessment, make_period, make_user
from tests.queries import SIGNED_IN
from tests.risks.register_page import Q2, URL, rows, table_refs

Q3 = "2021-22-q3"

# Appendix A of the October 2021 report: ref -> (position, arrow, owner, leads in order, target).
APPENDIX_A = {
    1: ("1 M v H", "↓", "AC Frontline Policing",
        ["Head of Profession – CP, Inclusion & Engagement", "Cmdr Frontline Policing"], "L v M"),
    2: ("2 H v M", "↔", "Deputy Commissioner", ["Chief Digital and Technology Officer"], "M v M"),
    3: ("3 H v H", "↔", "AC Professionalism", ["DAC Professionalism"], "L v L"),
    4: ("4 H v M", "↔", "Chief of Corporate Services", ["Director of HR"], "M v M"),
    5: ("5 M v VH", "↔", "AC Professionalism", ["Director Learning"], "L v L"),
    6: ("6 H v H", "↓", "Chief of Corporate Services",
        ["Director of Finance", "Director of Strategy and Governance"], "L v L"),
    7: ("7 M v M", "↔", "Chief Digital and Technology Officer",
        ["Digital Policing Directors", "Director Strategy & Governance", "Transformation Director",
         "Director of Commercial Services", "Heads of Profession"], "L v L"),
    8: ("8 M v H", "↓", "AC Professionalism",
        ["Head of Profession – CP, Inclusion & Engagement"], "L v H"),
    9: ("9 M v H", "↓", "AC Professionalism",
        ["Head of Profession – CP, Inclusion & Engagement"], "M v M"),
    10: ("10", "", "Commissioner", ["Director of Strategy and Governance"], ""),
    11: ("11 M v H", "↓", "SRO Estates Programme", ["Director of Property Services"], "L v M"),
}
TITLES = {1: "VIOLENT CRIME", 2: "NEW SYSTEMS", 3: "STANDARDS", 4: "PEOPLE", 5: "CAPABILITY",
          6: "MONEY", 7: "TECHNOLOGY", 8: "CRIME PREVENTION", 9: "PUBLIC & LOCAL ENGAGEMENT",
          10: "LEGITIMACY", 11: "ESTATES"}


@pytest.fixture
def corporate(seed):
    return Register.objects.get(slug="corporate"), ReportingPeriod.objects.get(slug=Q2)


@pytest.fixture
def q3(q3_with_changes):
    """2021/22 Q3 with changes since Q2 (tests/conftest.py), for the comparison."""
    return q3_with_changes


# The register page -----------------------------------------------------------------------------


def test_october_2021_register_gives_appendix_a(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    found = rows(html)
    assert sorted(found) == list(range(1, 12))
    for ref, (position, arrow, owner, leads, target) in APPENDIX_A.items():
        cells = found[ref]
        assert cells["position"] == position, ref
        assert cells["trend"].startswith(arrow), ref
        assert cells["owner"] == owner, ref
        assert cells["leads"].split("|") == leads, ref
        assert cells["target"] == target, ref
        assert cells["description"].startswith(TITLES[ref]), ref


def test_short_and_long_term_risks_are_in_their_own_tables(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    assert table_refs(html, "short") == [1, 2, 3]
    assert table_refs(html, "long") == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "SHORT-TERM" in html and "LONG-TERM" in html


def test_trend_arrow_comes_with_its_word(planner_client):
    found = rows(planner_client.get(URL, {"period": Q2}).text)
    assert found[1]["trend"] == "↓ Improving"
    assert found[2]["trend"] == "↔ Stable"
    assert '<span aria-hidden="true">↓</span> Improving' in planner_client.get(URL).text


def test_rag_and_progress_are_tags_holding_the_word(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    found = rows(html)
    assert [r for r, c in found.items() if c["rag"] == "Green"] == [1, 2, 3, 5, 6, 8, 9, 11]
    assert [r for r, c in found.items() if c["rag"] == "Amber"] == [4, 7]
    assert found[4]["progress"] == "Limited" and found[1]["progress"] == "On track"
    assert html.count('<strong class="govuk-tag govuk-tag--green">Green</strong>') == 8
    assert html.count('<strong class="govuk-tag govuk-tag--yellow">Amber</strong>') == 2


def test_risk_10_is_listed_without_a_position_and_its_description_is_marked_not_agreed(
    planner_client,
):
    html = planner_client.get(URL, {"period": Q2}).text
    cells = rows(html)[10]
    assert cells["position"] == "10"
    assert cells["trend"] == "" and cells["rag"] == "" and cells["target"] == ""
    assert "<em>Legitimacy in the Met is weakened" in html


def test_filter_form_works_without_javascript_and_with_htmx(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    form = re.search(
        r'<form method="get" action="/registers/corporate/" class="rr-filters"(.*?)>', html, re.S
    )
    assert form, "the filter form submits by GET to the register without JavaScript"
    attrs = form.group(1)
    assert 'hx-get="/registers/corporate/"' in attrs
    assert 'hx-target="#register-results"' in attrs
    assert 'hx-push-url="true"' in attrs
    for name in ["horizon", "owner", "rag", "progress", "trend", "pillar", "band"]:
        assert f'name="{name}"' in html
    assert '<input type="hidden" name="period" value="2021-22-q2">' in html


def test_htmx_request_gets_only_the_results_partial(planner_client):
    response = planner_client.get(
        URL, {"period": Q2, "rag": "amber"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<form" not in response.text
    assert sorted(rows(response.text)) == [4, 7]
    assert "2 risks match the filters" in response.text


def test_htmx_history_restore_gets_the_whole_page(planner_client):
    response = planner_client.get(
        URL, {"period": Q2}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


def test_every_hx_get_has_an_href(planner_client, monkeypatch):
    monkeypatch.setattr("risks.views.registers.REGISTER_PAGE_SIZE", 3)
    html = planner_client.get(URL, {"period": Q2, "rag": "green"}).text
    links = re.findall(r"<a [^>]*hx-get[^>]*>", html)
    assert links, "pagination links use htmx"
    for link in links:
        assert 'href="' in link
        href = re.search(r'href="([^"]*)"', link).group(1)
        assert href == re.search(r'hx-get="([^"]*)"', link).group(1)


def test_big_registers_are_paginated_keeping_the_filters(planner_client, monkeypatch):
    monkeypatch.setattr("risks.views.registers.REGISTER_PAGE_SIZE", 3)
    first = planner_client.get(URL, {"period": Q2, "horizon": "long"}).text
    second = planner_client.get(URL, {"period": Q2, "horizon": "long", "page": 2}).text
    assert sorted(rows(first)) == [4, 5, 6]
    assert sorted(rows(second)) == [7, 8, 9]
    assert "page 2 of 3" in second
    assert "?period=2021-22-q2&amp;horizon=long&amp;page=3" in second


def test_a_past_period_is_shown_as_it_was(planner_client):
    q2 = ReportingPeriod.objects.get(slug=Q2)
    q3 = make_period("2021-22-q3", name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    for risk in Risk.objects.filter(register__slug="corporate"):
        make_assessment(risk, q3, likelihood=1, impact=1, trend="improving")
    now = rows(planner_client.get(URL).text)  # the open period is the default
    assert now[1]["position"] == "1 L v L"
    assert now[10]["position"] == "10 L v L"
    then = rows(planner_client.get(URL, {"period": q2.slug}).text)
    assert then[1]["position"] == "1 M v H"
    assert then[10]["position"] == "10"
    assert then[3]["trend"] == "↔ Stable"


def test_the_open_period_is_flagged_and_unapproved_rows_say_so(planner_client):
    q3 = make_period("2021-22-q3", name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    make_assessment(Risk.objects.get(ref=1), q3, state="draft")
    html = planner_client.get(URL).text
    assert "2021/22 Q3 is open" in html
    assert "Draft" in rows(html)[1]["description"]


def test_period_menu_lists_every_period_and_an_unknown_one_is_404(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    assert '<option value="2021-22-q2" selected>2021/22 Q2</option>' in html
    assert planner_client.get(URL, {"period": "1999-q9"}).status_code == 404


def test_register_page_shows_heat_maps_and_alignment(planner_client):
    html = planner_client.get(URL, {"period": Q2}).text
    assert "Short-term heat map, 2021/22 Q2" in html
    assert "Long-term heat map, 2021/22 Q2" in html
    assert "Alignment with Met Direction pillars" in html
    assert "Risk 10 is still to be finalised" in html


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, seed, outsider):
    assert client.get(URL).status_code == 302
    assert client.get(URL)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(URL).status_code == 404
    assert client.get(URL, headers={"HX-Request": "true"}).status_code == 404


def test_risk_owner_and_panel_read_the_register(client, owner, panel):
    for user in (owner, panel):
        client.force_login(user)
        assert client.get(URL, {"period": Q2}).status_code == 200


def test_an_owner_does_not_see_other_registers(client, owner):
    other = Register.objects.create(name="Frontline", slug="frontline")
    Risk.objects.create(
        register=other, ref=1, title="X", horizon="short",
        owner=Post.objects.create(name="Someone else"),
    )
    client.force_login(owner)
    assert client.get("/registers/frontline/").status_code == 404
    client.force_login(make_user("nobody-else"))
    assert client.get(URL).status_code == 404


def test_no_period_yet_says_so(client, planner):
    from tests.factories import make_register

    make_register("empty")
    client.force_login(planner)
    response = client.get("/registers/empty/")
    assert response.status_code == 200
    assert "No reporting period has been opened yet" in response.text


def test_changing_the_period_keeps_the_filters(planner_client):
    html = planner_client.get(URL, {"period": Q2, "rag": "amber", "horizon": "long"}).text
    period_form = re.search(
        r'<form method="get"[^>]*class="govuk-!-margin-bottom-4">(.*?)</form>', html, re.S
    )
    assert '<input type="hidden" name="rag" value="amber">' in period_form.group(1)
    assert '<input type="hidden" name="horizon" value="long">' in period_form.group(1)


def test_htmx_pushes_the_address_without_empty_fields(planner_client):
    response = planner_client.get(
        URL + "?period=2021-22-q2&horizon=&owner=&rag=amber&trend=&sort=ref",
        headers={"HX-Request": "true"},
    )
    assert response["HX-Push-Url"] == "/registers/corporate/?period=2021-22-q2&rag=amber"


# The heat maps page ----------------------------------------------------------------------------


def test_heat_maps_page_defaults_to_the_first_register_and_current_period(
    client, corporate, planner
):
    client.force_login(planner)
    response = client.get("/heatmaps/")
    assert response.status_code == 200
    assert "Short-term heat map, 2021/22 Q2" in response.text
    assert "Long-term heat map, 2021/22 Q2" in response.text
    assert "Alignment with Met Direction pillars, 2021/22 Q2" in response.text


def test_heat_maps_page_takes_register_and_period(client, corporate, planner):
    client.force_login(planner)
    response = client.get("/heatmaps/", {"register": "corporate", "period": Q2})
    assert response.status_code == 200
    assert 'id="heatmap-long-2021-22-q2"' in response.text
    assert client.get("/heatmaps/", {"register": "nope"}).status_code == 404
    assert client.get("/heatmaps/", {"period": "nope"}).status_code == 404


def test_heat_maps_page_scope(client, corporate, owner):
    assert client.get("/heatmaps/").status_code == 302
    client.force_login(make_user("stranger"))
    response = client.get("/heatmaps/")
    assert response.status_code == 200
    assert "no registers to show" in response.text
    assert client.get("/heatmaps/", {"register": "corporate"}).status_code == 404
    client.force_login(owner)
    assert client.get("/heatmaps/", {"register": "corporate"}).status_code == 200


# The comparison of two quarters ----------------------------------------------------------------


def test_compare_page_shows_both_periods_and_their_heat_maps(client, planner, q3):
    client.force_login(planner)
    response = client.get("/registers/corporate/compare/", {"from": Q2, "to": Q3})
    assert response.status_code == 200
    html = response.text
    row = re.search(r'id="move-1"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "M v H" in row and "L v H" in row and "Score fell from 6 to 3" in row
    assert "band High to Low" in row
    for slug in (Q2, Q3):
        assert f'id="heatmap-short-{slug}"' in html and f'id="heatmap-long-{slug}"' in html


def test_compare_defaults_to_the_current_period_and_the_one_before(client, planner, q3):
    client.force_login(planner)
    html = client.get("/registers/corporate/compare/").text
    assert "How each risk moved from 2021/22 Q2 to 2021/22 Q3" in html
    reversed_html = client.get("/registers/corporate/compare/", {"from": Q3, "to": Q2}).text
    assert "How each risk moved from 2021/22 Q2 to 2021/22 Q3" in reversed_html


# The dashboard ---------------------------------------------------------------------------------


def test_dashboard_charts_are_started_from_static_files_with_a_table_beside_each(
    client, planner, corporate
):
    client.force_login(planner)
    response = client.get("/dashboard/", {"period": Q2, "register": "corporate"})
    assert response.status_code == 200
    html = response.text
    risk1 = Register.objects.get(slug="corporate").risks.get(ref=1)
    element = f"chart-risk-{risk1.pk}"
    assert f'<div class="rr-chart" data-plotly-chart data-chart-src="{element}"' in html
    data = re.search(rf'<script id="{element}" type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(data.group(1))["data"][0]["y"] == [6, 6]  # Q1 and Q2
    assert '<script src="/static/vendor/plotly-strict.min.js"></script>' in html
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    assert not re.search(r"\son\w+=", html) and "hx-on" not in html and "style=" not in html
    assert "Risk 1: score by quarter" in html
    table = re.search(r"Risk 1: score by quarter.*?</table>", html, re.S).group(0)
    assert "2021/22 Q2" in table and "M v H" in table and ">6<" in table and "High" in table


def test_an_unscored_risk_is_charted_as_not_scored(client, planner, corporate):
    client.force_login(planner)
    html = client.get("/dashboard/", {"period": Q2}).text
    section = re.search(r"Risk 10 LEGITIMACY.*?</section>", html, re.S).group(0)
    assert "Not scored" in section


def test_dashboard_scope(client, corporate):
    assert client.get("/dashboard/").status_code == 302
    client.force_login(make_user("stranger"))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "no registers to show" in response.text
    assert client.get("/dashboard/", {"register": "corporate"}).status_code == 404


# Queries, with 10 risks and with 500 -----------------------------------------------------------

# The number of queries each page costs, whatever the size of the register, besides SIGNED_IN.
AROUND_THE_VIEW = SIGNED_IN
PAGES = [
    # register, periods, pillars, owners, the page of rows (with their count and leads),
    # the heat maps and alignment table (one aggregate)
    ("/registers/big/?period=q2", 6),
    ("/registers/big/?period=q1&horizon=long&rag=amber&band=high&sort=score", 6),
    # the htmx fragment skips the heat maps and the alignment table
    ("/registers/big/?period=q2&trend=stable", 5),
    # registers, periods, pillars, heat maps and alignment (one aggregate)
    ("/heatmaps/?register=big&period=q2", 4),
    # register, periods, both periods' assessments, two heat maps
    ("/registers/big/compare/?from=q1&to=q2", 5),
    # registers, periods, counts, risks page (with its count), their histories
    ("/dashboard/?register=big&period=q2", 5),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_page_costs_a_constant_number_of_queries(
    big_register, url, queries, django_assert_num_queries
):
    client, n = big_register
    headers = {"HX-Request": "true"} if "trend=stable" in url else {}
    with django_assert_num_queries(AROUND_THE_VIEW + queries):
        response = client.get(url, headers=headers)
    assert response.status_code == 200


def test_the_big_register_is_paginated(big_register):
    client, n = big_register
    html = client.get("/registers/big/?period=q2").text
    assert html.count('data-ref="') == min(n, 50)
    assert f"{n} risks in Q2" in html


def test_the_comparison_is_paginated(big_register):
    client, n = big_register
    html = client.get("/registers/big/compare/?from=q1&to=q2").text
    assert html.count('<tr class="govuk-table__row" id="move-') == min(n, 50)
    if n > 50:
        assert f"{n} risks, page 1 of {-(-n // 50)}." in html
        last = client.get(f"/registers/big/compare/?from=q1&to=q2&page={-(-n // 50)}").text
        assert last.count('<tr class="govuk-table__row" id="move-') == (n % 50 or 50)
