"""A closed quarter is the whole truth: change every definition of a risk and of a control in
the open quarter, and every page of every closed quarter (and a report drawn from one) reads
exactly as before, for the team and for the Audit Panel."""

import datetime
import re

import pytest
from django.utils import timezone

from controls.models import Control, ControlUpdate
from riskreg.quarterly.services import close_quarter
from riskreg.report.data import build
from riskreg.report.document import render_body
from riskreg.report.services import create_report
from risks.models import Assessment, Pillar, Post, ReportingPeriod, Risk, RiskLead
from risks.services import approve_assessment, open_period, record_definitions, retire_risk
from tests.factories import Q3, make_planner

Q4 = {
    "name": "2021/22 Q4", "slug": "2021-22-q4", "start": datetime.date(2022, 1, 1),
    "end": datetime.date(2022, 3, 31), "deadline": datetime.date(2022, 3, 4),
}


@pytest.fixture
def three_quarters(seed, planner):
    """Q2 as the seed closed it; Q3 run through the cycle and closed with its controls
    recorded (one update left unapproved: it closed incomplete); Q4 open."""
    q3 = open_period(**Q3, by=planner)
    checker = make_planner("checker")
    rows = Assessment.objects.filter(period=q3).exclude(risk__ref=5)
    rows.update(state="submitted", submitted_at=timezone.now())
    for a in Assessment.objects.filter(period=q3, state="submitted"):
        approve_assessment(assessment=a, version=a.version, by=checker)
    orochi = Control.objects.get(title__startswith="Op Orochi")
    ControlUpdate.objects.create(control=orochi, period=q3, status="complete", note="Closed.")
    q3 = close_quarter(period=q3, by=planner, incomplete=True)
    q4 = open_period(**Q4, by=planner)
    return q3, q4


def _pages(q3):
    risk1 = Risk.objects.get(ref=1)
    q3_update = Assessment.objects.get(period=q3, risk=risk1)
    pages = []
    for slug in ("2021-22-q1", "2021-22-q2", "2021-22-q3"):
        pages += [
            f"/registers/corporate/?period={slug}",
            f"/registers/corporate/?period={slug}&sort=owner",
            f"/registers/corporate/?period={slug}&horizon=long&sort=title",
            f"/heatmaps/?register=corporate&period={slug}",
            f"/registers/corporate/changes/?period={slug}",
            f"/dashboard/?register=corporate&period={slug}",
        ]
    pages += [
        "/registers/corporate/compare/?from=2021-22-q1&to=2021-22-q2",
        "/registers/corporate/compare/?from=2021-22-q2&to=2021-22-q3",
    ]
    team_only = ["/review/?period=2021-22-q3", f"/review/{q3_update.pk}/"]
    return pages, team_only, risk1


def _normal(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"csrfToken": "[^"]*"|X-CSRFToken[^}]*}', "", html)


def _quarters_table(html: str) -> str:
    """The risk page's record of its quarters (its heading shows the risk as it is now)."""
    return re.search(r"<h2[^>]*>Quarter by quarter</h2>(.*?)</table>", html, re.S).group(1)


def _snapshot(client, users, q3, report):
    pages, team_only, risk1 = _pages(q3)
    seen = {}
    for role, user in users.items():
        client.force_login(user)
        for url in pages + (team_only if role == "team" else []):
            response = client.get(url)
            assert response.status_code == 200, url
            seen[(role, url)] = _normal(response.text)
        seen[(role, "risk page")] = _quarters_table(client.get(f"/risks/{risk1.pk}/").text)
    seen["report"] = render_body(build(report))
    return seen


def _change_every_definition(q4, planner):
    risk1, risk3 = Risk.objects.get(ref=1), Risk.objects.get(ref=3)
    other_post = Post.objects.get(name="Deputy Commissioner")
    Risk.objects.filter(pk=risk1.pk).update(
        title="RENAMED", description="A new description.", description_agreed=False,
        horizon="long", owner=other_post, target_likelihood=4, target_impact=4,
        appetite="A new appetite.",
    )
    RiskLead.objects.filter(risk=risk1).delete()
    RiskLead.objects.create(risk=risk1, post=Post.objects.get(name="Director of HR"), order=0)
    risk1.pillars.set([Pillar.objects.order_by("-pk").first()])
    Post.objects.filter(name="Head of Profession – CP, Inclusion & Engagement").update(
        name="A renamed post"
    )
    orochi = Control.objects.get(title__startswith="Op Orochi")
    Control.objects.filter(pk=orochi.pk).update(
        title="Renamed control", owner=other_post, category="Influence", is_key=False,
        milestone="Never", risk=risk3,
    )
    Control.objects.filter(title__startswith="Violence against women").update(is_active=False)
    record_definitions(period=q4)
    retire_risk(risk=Risk.objects.get(ref=2), by=planner)


def test_every_page_of_every_closed_quarter_keeps_its_record(client, three_quarters, planner, panel):
    q3, q4 = three_quarters
    report = create_report(
        register=q3.assessments.first().risk.register, period=q3,
        meeting_date=datetime.date(2022, 1, 20), by=planner,
    )
    report.appendix_b_risks.set(Risk.objects.filter(ref__in=[1, 3]))
    report.noted_risks.set(Risk.objects.filter(ref__in=[1, 3]))
    users = {"team": planner, "panel": panel}
    before = _snapshot(client, users, q3, report)
    _change_every_definition(q4, planner)
    after = _snapshot(client, users, q3, report)
    changed = [key for key in before if before[key] != after[key]]
    assert changed == [], changed
    # The edits did reach the open quarter.
    q4_risk1 = Assessment.objects.get(period=q4, risk__ref=1)
    assert (q4_risk1.title, q4_risk1.owner_name, q4_risk1.horizon) == (
        "RENAMED", "Deputy Commissioner", "long",
    )
    assert Assessment.objects.get(period=q4, risk__ref=2).retired


def test_the_quarter_that_closed_incomplete_says_so_and_counts_only_what_was_approved(
    client, three_quarters, panel, planner
):
    q3, _ = three_quarters
    assert ReportingPeriod.objects.get(pk=q3.pk).closed_incomplete
    client.force_login(panel)
    register = client.get(f"/registers/corporate/?period={q3.slug}").text
    row = re.search(r'id="risk-5".*?</tr>', register, re.S).group(0)
    assert "Not approved" in row
    changes = client.get(f"/registers/corporate/changes/?period={q3.slug}").text
    assert "closed before 1 update was approved: risk 5" in changes
    report = create_report(
        register=q3.assessments.first().risk.register, period=q3,
        meeting_date=datetime.date(2022, 1, 20), by=planner,
    )
    doc = build(report)
    assert doc.figures.approved == 10
    assert sum(doc.figures.count(rag) for rag in ("green", "amber", "red")) == 9  # 10 unrated
    said = " ".join(b.text for part in doc.section1 if part.item for b in part.item.blocks)
    assert "2021/22 Q3 closed before every update was approved: the update of risk 5" in said
    mapped = {ref for m in doc.heat_maps for ref in (mv.ref for mv in m.movements)}
    assert 5 not in mapped and 5 not in {r for row in doc.alignment.rows for c in row.cells for r in c}
