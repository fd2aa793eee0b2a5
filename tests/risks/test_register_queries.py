"""Every register page costs the same number of queries with 10 risks as with 500."""

import datetime
import itertools

import pytest
from django.utils import timezone

from controls.models import Control, ControlUpdate
from risks.models import Assessment, Pillar, Post, ReportingPeriod, Risk, RiskLead
from tests.factories import make_period, make_planner, make_register

SIZES = [10, 500]


def build_register(n: int):
    """A register of n risks with leads, pillars, controls and two quarters of history,
    written with bulk_create so that building 500 stays quick."""
    register = make_register("big")
    posts = Post.objects.bulk_create([Post(name=f"Post {i}") for i in range(8)])
    pillars = Pillar.objects.bulk_create([Pillar(name=f"Pillar {i}", order=i) for i in range(4)])
    # Q1 is filled while open, then closed (closed periods refuse writes); Q2 stays open.
    before = make_period("q1", name="Q1", start=datetime.date(2030, 1, 1))
    positions = list(itertools.product(range(1, 5), range(1, 5)))
    risks = Risk.objects.bulk_create(
        Risk(
            register=register, ref=i + 1, title=f"RISK {i + 1}", description="A description",
            horizon="short" if i % 3 == 0 else "long", owner=posts[i % 8],
            target_likelihood=1, target_impact=1 + i % 2,
        )
        for i in range(n)
    )
    RiskLead.objects.bulk_create(
        RiskLead(risk=r, post=posts[(i + k) % 8], order=k)
        for i, r in enumerate(risks) for k in range(2)
    )
    Risk.pillars.through.objects.bulk_create(
        Risk.pillars.through(risk=r, pillar=pillars[i % 4]) for i, r in enumerate(risks)
    )
    controls = Control.objects.bulk_create(Control(risk=r, title="Control") for r in risks)
    stamp = timezone.now()

    def fill(period, shift, status):
        Assessment.objects.bulk_create(
            Assessment(
                risk=r, period=period, likelihood=positions[(i + shift) % 16][0],
                impact=positions[(i + shift) % 16][1],
                trend=["improving", "stable", "worsening"][i % 3],
                progress=["on_track", "limited", "slipped"][i % 3], reasons="Why",
                commentary=f"Commentary {shift}", state="approved", reviewed_at=stamp,
            )
            for i, r in enumerate(risks)
        )
        ControlUpdate.objects.bulk_create(
            ControlUpdate(control=c, period=period, status=status) for c in controls
        )

    fill(before, 0, "in_progress")
    ReportingPeriod.objects.filter(pk=before.pk).update(state="closed", closed_at=stamp)
    after = make_period("q2", name="Q2", start=datetime.date(2030, 4, 1))
    fill(after, 1, "complete")
    return register, before, after


@pytest.fixture(params=SIZES, ids=[f"{n}-risks" for n in SIZES])
def big(request, db, client):
    register, before, after = build_register(request.param)
    client.force_login(make_planner())
    return client, request.param


# The number of queries each page costs, whatever the size of the register. Every request
# costs 6 outside the view: the session, the user and the user's groups before it, and saving
# the session after it (SESSION_SAVE_EVERY_REQUEST: an update between two savepoints).
AROUND_THE_VIEW = 6
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
    # register, periods, previous period, assessments of both, control updates of both
    ("/registers/big/changes/?period=q2", 5),
    # registers, periods, counts, risks page (with their count), their histories
    ("/dashboard/?register=big&period=q2", 5),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_page_costs_a_constant_number_of_queries(big, url, queries, django_assert_num_queries):
    client, n = big
    headers = {"HX-Request": "true"} if "trend=stable" in url else {}
    with django_assert_num_queries(AROUND_THE_VIEW + queries):
        response = client.get(url, headers=headers)
    assert response.status_code == 200


def test_the_big_register_is_paginated(big):
    client, n = big
    html = client.get("/registers/big/?period=q2").text
    assert html.count('data-ref="') == min(n, 50)
    assert f"{n} risks in Q2" in html


def test_every_risk_is_on_the_heat_map(big):
    from risks.heatmaps import heat_maps
    from risks.models import Register

    _, n = big
    maps = heat_maps(Register.objects.get(slug="big"), ReportingPeriod.objects.get(slug="q2"))
    assert sum(m.count for m in maps) == n


def test_changes_are_paginated_and_counted_in_full(big):
    client, n = big
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


def test_the_comparison_is_paginated(big):
    client, n = big
    html = client.get("/registers/big/compare/?from=q1&to=q2").text
    assert html.count('<tr class="govuk-table__row" id="move-') == min(n, 50)
    if n > 50:
        assert f"{n} risks, page 1 of {-(-n // 50)}." in html
        last = client.get(f"/registers/big/compare/?from=q1&to=q2&page={-(-n // 50)}").text
        assert last.count('<tr class="govuk-table__row" id="move-') == (n % 50 or 50)
