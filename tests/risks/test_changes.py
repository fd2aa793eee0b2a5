"""Changed since last quarter, and the comparison of two periods."""

import datetime
import re

import pytest

from controls.models import Control
from riskreg.quarterly.changes import changes_since_previous
from risks.changes import compare
from risks.models import Assessment, Register, ReportingPeriod, Risk
from tests.factories import make_control, make_control_update, make_period, make_user

Q2, Q3 = "2021-22-q2", "2021-22-q3"


@pytest.fixture
def q3(seed):
    """2021/22 Q3 carried forward from Q2, then: risk 1 scored down, risk 2 worsening,
    risk 3 slipped, risk 4 new commentary; one control completed, one new control."""
    period = make_period(Q3, name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    for a in Assessment.objects.filter(period__slug=Q2).select_related("risk"):
        Assessment.objects.create(
            risk=a.risk, period=period, likelihood=a.likelihood, impact=a.impact,
            trend=a.trend, progress=a.progress, commentary=a.commentary, reasons=a.reasons,
        )
    Assessment.objects.filter(period=period, risk__ref=1).update(
        likelihood=1, impact=3, score_change_source="controls"
    )
    Assessment.objects.filter(period=period, risk__ref=2).update(trend="worsening")
    Assessment.objects.filter(period=period, risk__ref=3).update(
        progress="slipped", reasons="The campaign slipped to January."
    )
    Assessment.objects.filter(period=period, risk__ref=4).update(commentary="Recruitment rose.")
    op_orochi = Control.objects.get(title__startswith="Op Orochi")
    make_control_update(op_orochi, period, status="complete", note="County Lines closed.")
    vawg = Control.objects.get(title__startswith="Violence against women")
    make_control_update(vawg, period, status="in_progress")  # unchanged
    new = make_control(Risk.objects.get(ref=9), title="Community panels", added_in=period)
    make_control_update(new, period, status="not_started")
    return period


@pytest.fixture
def corporate(seed):
    return Register.objects.get(slug="corporate")


def test_risks_whose_score_trend_progress_or_commentary_changed_are_listed(corporate, q3):
    changes = changes_since_previous(corporate, q3)
    assert changes.previous.slug == Q2
    by_ref = {
        c.risk.ref: {ch.label: (ch.before, ch.after) for ch in c.changes} for c in changes.risks
    }
    assert sorted(by_ref) == [1, 2, 3, 4]
    assert by_ref[1] == {
        "Position and score": ("M v H (score 6, High)", "L v H (score 3, Low)")
    }
    assert by_ref[2] == {"Trend": ("↔ Stable", "↑ Worsening")}
    assert by_ref[3] == {"Progress towards target": ("On track (Green)", "Slipped (Red)")}
    assert by_ref[4]["Commentary"][1] == "Recruitment rose."
    assert by_ref[4]["Commentary"][0].startswith("The current and target Impact scores")



def test_a_new_risk_is_listed_as_added_and_short_term_risks_come_first(corporate, q3):
    from tests.factories import make_risk

    new = make_risk(corporate, ref=12, horizon="long", title="NEW RISK")
    Assessment.objects.create(risk=new, period=q3, likelihood=2, impact=2)
    changes = changes_since_previous(corporate, q3)
    assert [c.risk.ref for c in changes.risks] == [1, 2, 3, 4, 12]
    added = changes.risks[-1]
    assert added.before is None
    assert [(c.label, c.before, c.after) for c in added.changes] == [
        ("Risk", "Not on the register", "Added this quarter")
    ]


def test_an_unchanged_unscored_risk_is_not_a_change(corporate, q3):
    """Risk 10 is unscored in both quarters: NULL against NULL is no change."""
    changes = changes_since_previous(corporate, q3)
    assert 10 not in [c.risk.ref for c in changes.risks]
    Assessment.objects.filter(period=q3, risk__ref=10).update(likelihood=2, impact=2)
    changes = changes_since_previous(corporate, q3)
    found = {c.risk.ref: [ch.label for ch in c.changes] for c in changes.risks}
    assert found[10] == ["Position and score"]

def test_controls_whose_status_changed_are_listed_before_and_after(corporate, q3):
    changes = changes_since_previous(corporate, q3)
    found = [(c.risk_ref, c.control, c.before, c.after) for c in changes.controls]
    assert found == [
        (1, "Op Orochi – disrupting and closing County Lines", "In progress", "Complete"),
        (9, "Community panels", "New this quarter", "Not started"),
    ]


def test_changes_page_shows_before_and_after(client, planner, q3):
    client.force_login(planner)
    response = client.get("/registers/corporate/changes/", {"period": Q3})
    assert response.status_code == 200
    html = response.text
    assert "What changed in 2021/22 Q3 since 2021/22 Q2." in html
    assert "4 risks changed score, trend, progress or commentary." in html
    table = re.search(r'id="risk-change-1">(.*?)</table>', html, re.S).group(1)
    assert "M v H (score 6, High)" in table and "L v H (score 3, Low)" in table
    assert "Controls implemented" in table
    controls = re.search(r'id="control-changes">(.*?)</table>', html, re.S).group(1)
    assert "Op Orochi" in controls and "In progress" in controls and "Complete" in controls
    assert "Violence against women" not in controls


def test_the_first_period_has_nothing_to_compare_with(client, planner, seed):
    client.force_login(planner)
    html = client.get("/registers/corporate/changes/", {"period": "2021-22-q1"}).text
    assert "2021/22 Q1 is the first reporting period" in html


def test_q2_shows_risk_4s_reassessment_and_what_q1_did_not_record(corporate):
    changes = changes_since_previous(corporate, ReportingPeriod.objects.get(slug=Q2))
    assert changes.previous.slug == "2021-22-q1"
    by_ref = {
        c.risk.ref: {ch.label: (ch.before, ch.after) for ch in c.changes} for c in changes.risks
    }
    assert by_ref[4]["Position and score"] == ("H v H (score 9, High)", "H v M (score 6, High)")
    assert [ref for ref, found in by_ref.items() if "Position and score" in found] == [4]
    # The seed holds only Q1's positions: the rest is shown as not recorded, never hidden.
    assert by_ref[1]["Trend"] == ("Not recorded", "↓ Improving")
    assert by_ref[4]["Progress towards target"] == ("Not recorded", "Limited (Amber)")


def test_compare_says_how_each_risk_moved(corporate, q3):
    q2 = ReportingPeriod.objects.get(slug=Q2)
    moves = {m.risk.ref: m for m in compare(corporate, q2, q3)}
    assert moves[1].kind == "down" and moves[1].words == "Score fell from 6 to 3"
    assert moves[1].band_changed
    assert moves[2].kind == "same" and moves[2].words == "No change"
    assert moves[10].kind == "unscored"
    assert [m.risk.ref for m in compare(corporate, q2, q3)][:3] == [1, 2, 3]


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


@pytest.mark.parametrize("url", ["/registers/corporate/changes/", "/registers/corporate/compare/"])
def test_changes_and_compare_are_in_scope(client, q3, url):
    assert client.get(url).status_code == 302
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 404
