"""A risk not rated this quarter (risk 10, Legitimacy, while its description is not agreed)
needs no score, trend or progress, and stays out of every count, map and table."""

import pytest
from django.urls import reverse

from risks.models import Assessment, Register
from risks.services import approve_assessment
from tests.factories import make_planner


@pytest.fixture
def risk10(q3):
    return Assessment.objects.get(period=q3, risk__ref=10)


def test_the_seed_records_risk_10_as_not_rated_in_october(seed):
    a = Assessment.objects.get(period__slug="2021-22-q2", risk__ref=10)
    assert a.not_rated and a.not_rated_reason == "The risk description is not yet agreed"
    assert not Assessment.objects.filter(not_rated=True).exclude(risk__ref=10).exists()


def test_not_rated_is_carried_forward_and_needs_only_the_reason_and_commentary(
    client, planner, risk10
):
    assert risk10.not_rated and risk10.not_rated_reason
    client.force_login(planner)
    task_list = client.get(reverse("quarterly:update", args=[risk10.risk_id])).text
    assert "Not rated this quarter" in task_list
    progress = client.get(reverse("quarterly:update-progress", args=[risk10.risk_id])).text
    assert 'name="trend"' not in progress and 'name="progress"' not in progress
    assert 'name="commentary"' in progress
    # Carried forward means "to check" (issue 14): each section is confirmed unchanged first.
    for n, name in enumerate(["quarterly:update-score", "quarterly:update-progress"]):
        client.post(reverse(name, args=[risk10.risk_id]),
                    {"unchanged": "1", "version": risk10.version + n})
    client.post(reverse("quarterly:controls-unchanged", args=[risk10.risk_id]))
    response = client.post(
        reverse("quarterly:update-check", args=[risk10.risk_id]), {"version": risk10.version + 2}
    )
    assert response.status_code == 302
    risk10.refresh_from_db()
    assert risk10.state == "submitted" and (risk10.trend, risk10.progress) == ("", "")


def test_a_rated_risk_can_be_marked_not_rated_and_loses_its_rating(client, planner, q3):
    a = Assessment.objects.get(period=q3, risk__ref=2)
    assert a.progress and a.likelihood
    client.force_login(planner)
    url = reverse("quarterly:update-score", args=[a.risk_id])
    refused = client.post(url, {"likelihood": "2", "impact": "2", "not_rated": "on",
                                "not_rated_reason": "Under review", "version": a.version})
    assert refused.status_code == 200 and "clear them, or untick" in refused.text
    no_reason = client.post(url, {"not_rated": "on", "version": a.version})
    assert "Say why the risk is not rated this quarter" in no_reason.text
    assert Assessment.objects.get(pk=a.pk).version == a.version  # nothing saved
    saved = client.post(url, {"not_rated": "on", "not_rated_reason": "Under review",
                              "version": a.version})
    assert saved.status_code == 302
    a.refresh_from_db()
    assert a.not_rated and (a.likelihood, a.impact, a.trend, a.progress) == (None, None, "", "")


def test_a_not_rated_risk_is_listed_but_never_counted_or_mapped(client, panel, q3):
    for a in Assessment.objects.filter(period=q3).exclude(risk__ref__in=[10]):
        Assessment.objects.filter(pk=a.pk).update(state="submitted")
    checker = make_planner("checker")
    for a in Assessment.objects.filter(period=q3, state="submitted"):
        approve_assessment(assessment=a, version=a.version, by=checker)
    Assessment.objects.filter(period=q3, risk__ref=10).update(state="submitted")
    approve_assessment(
        assessment=Assessment.objects.get(period=q3, risk__ref=10),
        version=Assessment.objects.get(period=q3, risk__ref=10).version, by=checker,
    )
    corporate = Register.objects.get(slug="corporate")
    rows = Assessment.objects.of_register(corporate).shown(q3, None)
    assert rows.get(risk__ref=10).not_rated
    client.force_login(panel)
    page = client.get(f"/registers/corporate/?period={q3.slug}").text
    assert "Not rated this quarter: The risk description is not yet agreed" in page
    assert "Risk 10 is still to be finalised" in page
    from risks.dashboard import dashboard_counts

    (rag, *_) = dashboard_counts([corporate], q3)
    (row,) = rag.rows
    assert row.total == 11 and sum(t.count for t in row.tallies if t.key) == 10
