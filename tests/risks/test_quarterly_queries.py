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

# Every page: session and user (2), the user's groups (1), and saving the session on every
# request (savepoint, update, release: 3). Then the page's own:
MY_RISKS_QUERIES = 6 + 4  # open period, its assessments, risks not started, the user's posts
REVIEW_QUERIES = 6 + 5  # the periods, the counts by state, the first rows of the three tables
#                         of updates, their previous updates, the first of who has not submitted
# One table of the queue, a page at a time: the periods, the counts, the page (with its count),
# and for updates their previous updates.
REVIEW_LIST_QUERIES = {"submitted": 6 + 4, "approved": 6 + 4, "not_submitted": 6 + 3}
# The risk page: the risk, its quarters with the open period and its working leads, and the
# history of the risk, its updates, its controls and their updates.
RISK_PAGE_QUERIES = 6 + 6

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
        response = client.get(reverse("quarterly:review"))
    assert response.status_code == 200
    # What changed since last quarter, for every update that is submitted or reviewed.
    reviewable = sum(1 for i in range(n - 1) if STATES[i % 4] != "draft")
    assert response.text.count("M v H → H v H") == reviewable


@pytest.mark.parametrize("n", [5, 30])  # from 5, every table has a row
@pytest.mark.parametrize("show", sorted(REVIEW_LIST_QUERIES))
def test_each_table_of_the_queue_costs_the_same_whatever_the_number_of_risks(
    client, db, django_assert_num_queries, planner, n, show
):
    build(n)
    client.force_login(planner)
    with django_assert_num_queries(REVIEW_LIST_QUERIES[show]):
        response = client.get(reverse("quarterly:review"), {"show": show})
    assert response.status_code == 200


def test_a_large_queue_shows_the_first_rows_of_each_table_and_counts_them_all(
    client, db, planner
):
    n = 121
    build(n)
    client.force_login(planner)
    html = client.get(reverse("quarterly:review")).text
    # 120 updates: 30 of each state; one risk not started.
    assert "<strong>30</strong> submitted for review" in html
    assert "<strong>31</strong> not yet submitted" in html
    assert "<strong>30</strong> approved, of 121" in html
    for table, shown in (("submitted", 25), ("returned", 10), ("approved", 10)):
        rows = html.split(f'id="queue-{table}"')[1].split("</table>")[0]
        assert rows.count('<tr class="govuk-table__row" id="row-') == shown, table
        assert f"show={table}" in html
    waiting = html.split('id="queue-not_submitted"')[1].split("</table>")[0]
    assert waiting.count("RISK ") == 10 and "Show all 31" in html
    page = client.get(reverse("quarterly:review"), {"show": "submitted", "page": 1}).text
    assert page.count('<tr class="govuk-table__row" id="row-') == 30
    assert 'id="queue-approved"' not in page and "Back to the whole queue" in page
    waiting = client.get(reverse("quarterly:review"), {"show": "not_submitted"}).text
    assert waiting.split('id="queue-not_submitted"')[1].count("RISK ") == 31
    assert f"RISK {n}" in waiting and "Not started" in waiting


@pytest.mark.parametrize("extra", [0, 8])
def test_the_risk_page_costs_a_fixed_number_of_queries(
    client, q3, risk1, owner, django_assert_num_queries, extra
):
    from controls.services import save_control_update
    from tests.factories import make_control

    for i in range(extra):
        control = make_control(risk1, title=f"Extra control {i}")
        save_control_update(control=control, period=q3, by=owner, status="in_progress",
                            note="", version=0)
    client.force_login(owner)
    with django_assert_num_queries(RISK_PAGE_QUERIES + 1):  # an owner: may they edit it?
        assert client.get(reverse("risks:risk", args=[risk1.pk])).status_code == 200


def test_the_risk_page_and_update_pages_do_not_grow_with_controls_or_history(client, q3, risk1, owner):
    """The timeline and the controls cost a fixed number of queries, however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from controls.services import save_control_update
    from tests.factories import make_control

    pages = [
        reverse("risks:risk", args=[risk1.pk]),
        reverse("quarterly:update", args=[risk1.pk]),
        reverse("quarterly:update-controls", args=[risk1.pk]),
        reverse("quarterly:update-check", args=[risk1.pk]),
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


@pytest.mark.parametrize("periods", [0, 1])
def test_the_risk_page_lists_the_working_leads_in_order(client, db, planner, periods):
    """With no period at all (leads read on their own) and beside the risk's quarters."""
    lead_a, lead_b = make_post("Zeta lead"), make_post("Alpha lead")
    risk = make_risk(make_register("corporate"), leads=[lead_a, lead_b])
    if periods:
        make_assessment(risk, make_period("now"), state="draft")
    client.force_login(planner)
    html = client.get(reverse("risks:risk", args=[risk.pk])).text
    assert "Zeta lead<br>Alpha lead" in html
