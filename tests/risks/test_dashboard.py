"""The dashboard: counts by RAG, progress and trend per register; a chart per risk."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from risks.dashboard import dashboard_counts, last_charted, score_histories
from risks.models import Register, ReportingPeriod
from tests.factories import make_period

Q2 = "2021-22-q2"


@pytest.fixture
def corporate(seed):
    return Register.objects.get(slug="corporate"), ReportingPeriod.objects.get(slug=Q2)


def tallies(table) -> dict[str, int]:
    (row,) = table.rows
    return {t.label: t.count for t in row.tallies}


def test_october_2021_counts_eight_green_and_two_amber(corporate):
    register, period = corporate
    rag, progress, trend = dashboard_counts([register], period)
    assert (rag.kind, progress.kind, trend.kind) == ("rag", "progress", "trend")
    assert tallies(rag) == {"Green": 8, "Amber": 2, "Red": 0, "Not assessed": 1}
    assert tallies(progress) == {
        "On track": 8, "Limited": 2, "Slipped": 0, "No progress": 0, "Not assessed": 1,
    }
    assert tallies(trend) == {"Improving": 5, "Stable": 5, "Worsening": 0, "Not assessed": 1}
    assert rag.rows[0].total == 11


def test_counts_cost_one_query(corporate, django_assert_num_queries):
    register, period = corporate
    with django_assert_num_queries(1):
        dashboard_counts([register], period)


def test_dashboard_page_links_each_count_to_the_filtered_register(client, planner, corporate):
    client.force_login(planner)
    html = client.get("/dashboard/", {"period": Q2}).text
    table = re.search(r'id="counts-rag">(.*?)</table>', html, re.S).group(1)
    assert 'href="/registers/corporate/?period=2021-22-q2&amp;rag=green">8<' in table
    assert 'href="/registers/corporate/?period=2021-22-q2&amp;rag=amber">2<' in table
    assert re.search(r'id="counts-trend">.*?trend=improving">5<', html, re.S)


def test_score_history_spans_the_quarters_and_skips_unapproved_drafts(corporate):
    register, q2 = corporate
    q3 = make_period("2021-22-q3", name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    risk1 = register.risks.get(ref=1)
    risk3 = register.risks.get(ref=3)
    from tests.factories import make_assessment

    make_assessment(risk1, q3, likelihood=1, impact=3, state="approved")
    make_assessment(risk3, q3, likelihood=1, impact=1, state="draft")
    charts = {c.risk.ref: c for c in score_histories([risk1, risk3], q3)}
    assert [(p.period, p.position, p.score, p.band) for p in charts[1].points] == [
        ("2021/22 Q1", "M v H", 6, "High"), ("2021/22 Q2", "M v H", 6, "High"),
        ("2021/22 Q3", "L v H", 3, "Low"),
    ]
    assert [p.period for p in charts[3].points] == ["2021/22 Q1", "2021/22 Q2"]
    assert [p.period for p in score_histories([risk1], q2)[0].points] == [
        "2021/22 Q1", "2021/22 Q2"
    ]


def test_chart_figure_is_plotly_json_with_score_and_target(corporate):
    register, period = corporate
    (chart,) = score_histories([register.risks.get(ref=1)], period)
    figure = json.loads(json.dumps(chart.figure))
    assert set(figure) >= {"data", "layout"}
    (score,) = figure["data"]
    assert score["x"] == ["2021/22 Q1", "2021/22 Q2"]
    assert score["y"] == [6, 6] and score["text"] == ["High", "High"]
    shapes = figure["layout"]["shapes"]
    assert len(shapes) == 5  # the target line and one region per band
    target = next(s for s in shapes if s["type"] == "line")
    assert (target["y0"], target["y1"], target["line"]["dash"]) == (2, 2, "dash")


def test_chart_figure_is_a_figure_plotly_itself_accepts(corporate):
    """The figure is written straight in plotly's JSON schema (plotly's Python API cost 60 ms
    a chart): plotly's own validation, strict, accepts every key and value of it."""
    import plotly.graph_objects as go

    register, period = corporate
    (chart,) = score_histories([register.risks.get(ref=1)], period)
    figure = {k: v for k, v in chart.figure.items() if k != "config"}
    validated = go.Figure(figure, skip_invalid=False).to_plotly_json()
    assert validated["data"][0]["y"] == [6, 6]
    assert len(validated["layout"]["shapes"]) == 5


def test_band_labels_sit_in_the_margin_and_points_carry_no_label(corporate):
    """Drawn beside each point and inside the plot's right edge, the band names overlapped."""
    register, period = corporate
    (chart,) = score_histories([register.risks.get(ref=1)], period)
    (score,) = chart.figure["data"]
    assert "text" not in score["mode"]
    bands = [a for a in chart.figure["layout"]["annotations"] if not a["text"].startswith("Target")]
    assert [a["text"] for a in bands] == ["Low", "Medium", "High", "Very high"]
    assert {(a["x"], a["xanchor"]) for a in bands} == {(1, "left")}
    assert chart.figure["layout"]["margin"]["r"] >= 80  # room for "Very high"


def test_the_charts_last_quarter_is_the_latest_approved_one(corporate, q3):
    register, q2 = corporate
    risks = [register.risks.get(ref=1), register.risks.get(ref=3)]
    assert last_charted(score_histories(risks, q3)) == "2021/22 Q2"  # Q3 holds drafts only
    q3.assessments.filter(risk=risks[1]).update(state="approved", reviewed_at=timezone.now())
    assert last_charted(score_histories(risks, q3)) == "2021/22 Q3"
    assert last_charted([]) == ""


def test_the_dashboard_says_the_quarter_its_charts_reach(client, planner, corporate, q3):
    client.force_login(planner)
    html = client.get("/dashboard/", {"period": q3.slug, "register": "corporate"}).text
    scope = re.search(r'<p class="govuk-body" id="charts-scope">(.*?)</p>', html, re.S).group(1)
    assert "up to 2021/22 Q2, as approved" in scope
    assert "Updates of 2021/22 Q3 that are not approved are not charted." in scope
    html = client.get("/dashboard/", {"period": Q2, "register": "corporate"}).text
    scope = re.search(r'<p class="govuk-body" id="charts-scope">(.*?)</p>', html, re.S).group(1)
    assert "up to 2021/22 Q2, as approved" in scope and "not charted" not in scope
