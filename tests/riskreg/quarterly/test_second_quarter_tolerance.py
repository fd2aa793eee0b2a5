"""Appetite and tolerance belong to the quarter (issue 18): set in 2021/22 Q3, a breach shows on
the register, the risk page, the review page, the dashboard and the paper; Q3 closes with its
tolerance, Q4 changes it, and Q3 keeps its own, in the database as on every page."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from riskreg.report.data import build
from riskreg.report.document import render_body
from riskreg.report.services import create_report
from risks.appetite import save_level, save_theme
from risks.models import Assessment, PeriodClosed, Risk
from risks.services import risk_appetite_digest
from tests.factories import Q3, make_planner
from tests.riskreg.quarterly.test_second_quarter import (
    Q4,
    approve_all,
    open_quarter,
    the_team_submits_the_rest,
)


def set_tolerance(client, risk, tolerance, **extra):
    risk.refresh_from_db()
    return client.post(reverse("risks:risk-appetite", args=[risk.pk]), {
        "appetite": risk.appetite, "tolerance": str(tolerance),
        "was": risk_appetite_digest(risk), **extra,
    })


def test_a_breach_is_flagged_everywhere_and_each_quarter_keeps_its_tolerance(
    client, seed, planner
):
    risk1 = Risk.objects.get(register__slug="corporate", ref=1)  # M v H: score 6
    checker = make_planner("checker")
    cautious = save_level(level=None, name="Cautious", description="", max_score=4, order=3,
                          by=planner)
    operational = save_theme(theme=None, name="Operational", level=cautious, by=planner)

    q3 = open_quarter(client, planner, Q3)
    assert set_tolerance(client, risk1, 4, appetite_theme=operational.pk).status_code == 302
    draft = Assessment.objects.get(risk=risk1, period=q3)
    assert (draft.tolerance, draft.appetite_level_name, draft.in_breach) == (4, "Cautious", True)

    register = client.get(reverse("risks:register", args=["corporate"])).text
    row = register.split('id="risk-1"', 1)[1].split("</tr>", 1)[0]
    assert "In breach" in row and "above its tolerance of 4" in row
    assert "In breach" not in register.split('id="risk-2"', 1)[1].split("</tr>", 1)[0]
    assert "In breach: above tolerance 4" in client.get(risk1.get_absolute_url()).text
    assert "In breach: above tolerance 4" in client.get(
        reverse("quarterly:review-detail", args=[draft.pk])).text
    dashboard = client.get(reverse("risks:dashboard")).text
    assert "In breach of tolerance, 2021/22 Q3" in dashboard and "1 risk above its tolerance" \
        in dashboard

    the_team_submits_the_rest(q3, planner, skip=None)
    approve_all(q3, checker)
    assert client.post(reverse("quarterly:period-close", args=[q3.slug]), {}).status_code == 302

    report = create_report(register=risk1.register, period=q3,
                           meeting_date=datetime.date(2022, 1, 24), by=planner)
    report.appendix_b_risks.set([risk1])
    doc = build(report)
    assert ("Risk 1 (Violent Crime) is above its tolerance, the highest current score that is "
            "acceptable for it (risk 1: score 6 against 4).") in repr(doc.section1)
    body = render_body(doc)
    assert "Appetite level</th><td>Cautious (theme: Operational)" in body
    assert "A current score up to 4: in breach, at score 6" in body

    # Q4: the team raises the tolerance; the open quarter follows, the closed one does not.
    q4 = open_quarter(client, planner, Q4)
    assert set_tolerance(client, risk1, 9, appetite_theme=operational.pk).status_code == 302
    assert Assessment.objects.get(risk=risk1, period=q4).tolerance == 9
    q3_record = Assessment.objects.get(risk=risk1, period=q3)
    assert (q3_record.tolerance, q3_record.in_breach) == (4, True)
    assert "In breach" not in client.get(risk1.get_absolute_url() + f"?period={q4.slug}").text \
        .split("Quarter by quarter", 1)[1].split(q4.name, 1)[1].split("</tr>", 1)[0]
    q3_page = client.get(reverse("risks:register", args=["corporate"]) + f"?period={q3.slug}")
    assert "above its tolerance of 4" in q3_page.text

    # A bad tolerance changes nothing, and the closed quarter refuses any write.
    assert set_tolerance(client, risk1, 17).status_code == 400
    assert set_tolerance(client, risk1, "nine").status_code == 400
    risk1.refresh_from_db()
    assert risk1.tolerance == 9
    with pytest.raises(PeriodClosed):
        Assessment.objects.filter(pk=q3_record.pk).update(tolerance=16)
    # Past the model's guard, the database's trigger covers the new columns too.
    for column, value in (("tolerance", 16), ("appetite_level_name", "Eager"),
                          ("appetite_theme_name", "Financial")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment._base_manager.filter(pk=q3_record.pk).update(**{column: value})
    q3_record.refresh_from_db()
    assert (q3_record.tolerance, q3_record.appetite_level_name) == (4, "Cautious")
