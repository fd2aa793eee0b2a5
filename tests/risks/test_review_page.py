"""The team's review of one update: this quarter beside the last approved one, controls too."""

from django.urls import reverse

from controls.services import add_control, save_control_update
from risks.models import Assessment
from risks.services import close_period, save_assessment, submit_assessment


def submitted_update(q3, risk1, owner):
    a = Assessment.objects.get(risk=risk1, period=q3)
    a = save_assessment(assessment=a, version=1, by=owner, changes={
        "likelihood": 3, "score_change_source": "reassessment", "trend": "worsening",
    })
    controls = list(risk1.controls.order_by("order", "pk"))
    save_control_update(control=controls[0], period=q3, by=owner, status="complete",
                        note="Closed forty lines.", version=0)
    save_control_update(control=controls[1], period=q3, by=owner, status="in_progress",
                        note="", version=0)
    add_control(risk=risk1, period=q3, by=owner, title="Safer streets", description="",
                milestone="", status="not_started", note="")
    return submit_assessment(assessment=a, version=a.version, by=owner)


def test_review_page_compares_the_quarters_and_the_controls(client, q3, risk1, owner, planner):
    a = submitted_update(q3, risk1, owner)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[a.pk])).text
    assert "2021/22 Q2 (approved)" in page
    assert "M v H" in page and "H v H" in page
    assert "Re-assessment of the score" in page
    assert "Changed since last quarter: position, trend." in page
    assert page.count("govuk-tag--purple") == 1  # the new control
    assert "Changed</strong>" in page  # the control now complete
    assert "Closed forty lines." in page
    assert f'action="/review/{a.pk}/approve/"' in page
    response = client.post(reverse("quarterly:review-approve", args=[a.pk]), {"version": a.version},
                           follow=True)
    assert "update approved" in response.text
    a.refresh_from_db()
    assert a.state == "approved"


def test_a_closed_quarter_is_read_only_in_the_review_pages(client, q3, risk1, owner, planner):
    a = submitted_update(q3, risk1, owner)
    close_period(period=q3, by=planner, incomplete=True)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[a.pk])).text
    assert "Approve</button>" not in page and "Return to the owner" not in page
    queue = client.get(reverse("quarterly:review") + "?period=" + q3.slug).text
    assert "Approve<span" not in queue and "closed" in queue
    response = client.post(reverse("quarterly:review-approve", args=[a.pk]), {"version": a.version},
                           follow=True)
    assert "is closed" in response.text
    a.refresh_from_db()
    assert a.state == "submitted"
    assert client.get(reverse("quarterly:period-close", args=[q3.slug])).status_code == 404


def test_periods_page_records_who_closed_and_whether_incomplete(client, q3, planner):
    close_period(period=q3, by=planner, incomplete=True)
    client.force_login(planner)
    page = client.get(reverse("quarterly:periods")).text
    assert "with updates not approved" in page
    assert "Open the next period" in page
    form = client.get(reverse("quarterly:period-open")).text
    assert 'value="2022-01-01"' in form and 'value="2022-03-31"' in form  # the next quarter


def test_risk_page_offers_the_update_to_editors_only(client, q3, risk1, owner, panel):
    client.force_login(owner)
    assert "2021/22 Q3 update</a>" in client.get(reverse("risks:risk", args=[risk1.pk])).text
    client.force_login(panel)
    page = client.get(reverse("risks:risk", args=[risk1.pk])).text
    assert "2021/22 Q3 update</a>" not in page
    # The history holds drafts and return comments: the editors' alone (issue 13, 15).
    assert 'id="history"' not in page and "2021/22 Q3 update: carried forward" not in page


def test_readers_see_approved_quarters_but_not_work_in_progress(client, q3, risk1, owner, panel):
    a = Assessment.objects.get(risk=risk1, period=q3)
    save_assessment(assessment=a, version=1, by=owner, changes={"commentary": "Draft thoughts."})
    client.force_login(owner)
    assert "Draft thoughts." in client.get(reverse("risks:risk", args=[risk1.pk])).text
    client.force_login(panel)
    page = client.get(reverse("risks:risk", args=[risk1.pk])).text
    assert "Draft thoughts." not in page
    assert "2021/22 Q3" not in page
    assert "2021/22 Q2" in page and "An improving trend" in page
