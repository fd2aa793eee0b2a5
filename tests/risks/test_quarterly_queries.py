""""My risks" and the review queue cost the same number of queries for 3 risks as for 30."""

import pytest
from django.urls import reverse
from django.utils import timezone

from risks.models import ReportingPeriod
from tests.factories import (
    make_assessment,
    make_period,
    make_post,
    make_register,
    make_risk,
    make_user,
)

from .quarterly_fixtures import fast_password_hashing, q3, risk1  # noqa: F401

# Every page: session and user (2), the user's groups (1), and saving the session on every
# request (savepoint, update, release: 3). Then the page's own:
MY_RISKS_QUERIES = 6 + 4  # open period, its assessments, risks not started, the user's posts
REVIEW_QUERIES = 6 + 5  # period, assessments with their previous's id, those previous ones,
#                         risks not started, the period menu

STATES = ["draft", "submitted", "returned", "approved"]


def build(n: int):
    """n risks, half owned and half led by one person, with an approved quarter behind them."""
    register = make_register("corporate")
    owner_post, lead_post = make_post("Owner post"), make_post("Lead post")
    person = make_user("person", posts=[owner_post, lead_post])
    last = make_period("last", start=timezone.now().date().replace(month=1, day=1))
    risks = []
    for i in range(n):
        owned = i % 2 == 0
        risk = make_risk(register, owner=owner_post if owned else make_post(), ref=i + 1,
                         leads=() if owned else [lead_post])
        risks.append(risk)
        make_assessment(risk, last, state="approved", likelihood=2, impact=3)
    ReportingPeriod.objects.filter(pk=last.pk).update(state="closed", closed_at=timezone.now())
    now = make_period("now", start=last.end.replace(day=1).replace(month=(last.end.month % 12) + 1))
    for i, risk in enumerate(risks[:-1]):  # the last risk has not started its update
        state = STATES[i % 4]
        make_assessment(
            risk, now, state=state, likelihood=3, impact=3, reasons="Because.",
            progress="limited", review_comment="Fix it." if state == "returned" else "",
            submitted_by=person if state != "draft" else None, updated_by=person,
        )
    return person


@pytest.mark.parametrize("n", [3, 30])
def test_my_risks_costs_the_same_whatever_the_number_of_risks(
    client, db, django_assert_num_queries, n
):
    person = build(n)
    client.force_login(person)
    with django_assert_num_queries(MY_RISKS_QUERIES):
        response = client.get(reverse("risks:my-risks"))
    assert response.status_code == 200
    assert response.text.count("Working lead") == (n - 1) // 2
    assert f"RISK {n}" in response.text  # the one not started is listed too


@pytest.mark.parametrize("n", [3, 30])
def test_review_queue_costs_the_same_whatever_the_number_of_risks(
    client, db, django_assert_num_queries, planner, n
):
    build(n)
    client.force_login(planner)
    with django_assert_num_queries(REVIEW_QUERIES):
        response = client.get(reverse("risks:review"))
    assert response.status_code == 200
    # What changed since last quarter, for every update that is submitted or reviewed.
    reviewable = sum(1 for i in range(n - 1) if STATES[i % 4] != "draft")
    assert response.text.count("M v H → H v H") == reviewable


def test_the_risk_page_and_update_pages_do_not_grow_with_controls_or_history(client, q3, risk1, owner):  # noqa: F811, E501
    """The timeline and the controls cost a fixed number of queries, however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from controls.services import save_control_update
    from tests.factories import make_control

    pages = [
        reverse("risks:risk", args=[risk1.pk]),
        reverse("controls:update", args=[risk1.pk]),
        reverse("controls:update-controls", args=[risk1.pk]),
        reverse("controls:update-check", args=[risk1.pk]),
    ]
    client.force_login(owner)

    def counts():
        result = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            result.append(len(captured))
        return result

    before = counts()
    for i in range(8):
        control = make_control(risk1, title=f"Extra control {i}")
        update = save_control_update(control=control, period=q3, by=owner, status="in_progress",
                                     note="", version=0)
        save_control_update(control=control, period=q3, by=owner, status="complete", note="Done",
                            version=update.version)
    assert counts() == before
