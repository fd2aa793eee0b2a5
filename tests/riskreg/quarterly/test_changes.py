"""riskreg/quarterly/changes.py: what changed since last quarter (risks and controls), and its
page, paginated and at the same number of queries with 10 risks as with 500."""

import re

import pytest

from riskreg.quarterly.changes import changes_since_previous
from risks.models import Assessment, Register, ReportingPeriod
from tests.factories import make_user
from tests.queries import SIGNED_IN

Q2, Q3 = "2021-22-q2", "2021-22-q3"
AROUND_THE_VIEW = SIGNED_IN


@pytest.fixture
def q3(q3_with_changes):
    """2021/22 Q3 with changes since Q2 (tests/conftest.py)."""
    return q3_with_changes


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


# The changes page ------------------------------------------------------------------------------


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


@pytest.mark.parametrize("url", ["/registers/corporate/changes/", "/registers/corporate/compare/"])
def test_changes_and_compare_are_in_scope(client, q3, url):
    assert client.get(url).status_code == 302
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 404


def test_changes_are_paginated_and_counted_in_full(big_register):
    client, n = big_register
    html = client.get("/registers/big/changes/?period=q2").text
    assert f"{n} risks changed score, trend, progress or commentary." in html
    assert html.count('id="risk-change-') == min(n, 25)
    assert f"{n} controls changed status." in html
    controls = html[html.index('id="control-changes"'):]
    assert controls.count("In progress") == min(n, 50)
    if n > 50:
        second = client.get("/registers/big/changes/?period=q2&page=2&controls_page=2").text
        assert second.count('id="risk-change-') == 25 and f"Page 2 of {-(-n // 25)}." in second
        assert second[second.index('id="control-changes"'):].count("In progress") == 50


def test_the_changes_page_costs_a_constant_number_of_queries(
    big_register, django_assert_num_queries
):
    client, n = big_register
    # register, periods, changed risks (with their count), the earlier updates of those
    # shown, changed controls, and which risks came onto or went off the register
    with django_assert_num_queries(AROUND_THE_VIEW + 7):  # and its escalations (issue 17)
        response = client.get("/registers/big/changes/?period=q2")
    assert response.status_code == 200
