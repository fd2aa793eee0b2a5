"""riskreg/quarterly/review.py: the team's queue of a period's updates, one update beside the
last approved one (its controls too), approve and return, in place with htmx and without it;
and a queue that costs the same number of queries for 3 risks as for 30."""

import json

import pytest
from django.urls import reverse

from controls.services import add_control, save_control_update
from risks.models import Assessment
from risks.services import close_period, save_assessment, submit_assessment
from tests.factories import UPDATE_STATES, make_risks_of_one_person
from tests.queries import SIGNED_IN

from .helpers import HX, snapshot

# Every page: SIGNED_IN. Then the page's own:
REVIEW_QUERIES = SIGNED_IN + 6  # the periods, the counts by state, the first rows of the three tables, the registers to filter by (issue 17)
#                         of updates, their previous updates, the first of who has not submitted
# One table of the queue, a page at a time: the periods, the counts, the page (with its count),
# and for updates their previous updates, and the registers to filter by (issue 17).
# The counts alone, read again after a change in a row: the registers to filter by and the counts
# (the periods as the page cache read them for the page, under the same REFERENCE version).
REFRESH_QUERIES = SIGNED_IN + 2
REVIEW_LIST_QUERIES = {"submitted": SIGNED_IN + 5, "approved": SIGNED_IN + 5, "not_submitted": SIGNED_IN + 4}


def test_review_queue_returns_in_place(client, planner, q3, risk1):
    a = Assessment.objects.get(risk=risk1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(state="submitted")
    client.force_login(planner)
    queue = client.get(reverse("quarterly:review")).text
    url = reverse("quarterly:review-return", args=[a.pk])
    assert f'href="{url}" hx-get="{url}"' in queue
    form = client.get(url, headers=HX).text
    assert form.strip().startswith(f'<tr class="govuk-table__row" id="row-{a.pk}">')
    assert f'hx-post="{url}"' in form
    # Without htmx the same address is a page whose form does not swap into a queue row.
    page = client.get(url).text
    assert "<html" in page and "hx-post" not in page
    error = client.post(url, {"comment": "", "version": 1}, headers=HX).text
    assert "Enter a comment" in error and f'id="row-{a.pk}"' in error
    done = client.post(url, {"comment": "Add the Q3 numbers.", "version": 1}, headers=HX).text
    assert "Returned" in done and "Add the Q3 numbers." in done and "<form" not in done


def test_an_update_approved_or_returned_in_place_has_the_queue_count_again(
    client, planner, q3, risk1, seed, django_assert_num_queries
):
    """The row's swap alone left the counts above the tables as they were: a change in place
    announces rr-queue-changed, and the counts read themselves again from the page's own
    address (a register's scope with it); a refusal changes nothing and announces nothing."""
    a = Assessment.objects.get(risk=risk1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(state="submitted")
    client.force_login(planner)
    scoped = reverse("quarterly:review") + "?register=corporate&scope=branch"
    queue = client.get(scoped).text
    assert ('id="queue-counts" aria-live="polite" aria-atomic="true"'
            ' hx-get="/review/?register=corporate&amp;scope=branch"'
            ' hx-trigger="rr-queue-changed from:body"') in queue
    assert 'id="queue-submitted-count">(1)</span>' in queue
    approve = reverse("quarterly:review-approve", args=[a.pk])
    refused = client.post(approve, {"version": 99}, headers=HX)
    assert "changed after you opened the queue" in refused.text
    assert "HX-Trigger" not in refused
    done = client.post(approve, {"version": 1}, headers=HX)
    assert json.loads(done["HX-Trigger"]) == {"rr-queue-changed": {}}
    # What the counts read again: the counts at that address as they now are, and each table's
    # count out of band, in a fixed number of queries (no table's rows).
    with django_assert_num_queries(REFRESH_QUERIES):
        again = client.get(scoped, headers={**HX, "HX-Target": "queue-counts"}).text
    assert again.startswith('<ul class="govuk-list">') and "<table" not in again
    assert "<strong>0</strong> submitted for review" in again
    assert "<strong>1</strong> approved" in again
    for name, count in (("submitted", 0), ("returned", 0), ("approved", 1)):
        assert f'id="queue-{name}-count" hx-swap-oob="true">({count})</span>' in again
        # The number of its "Show all" link too (the link hidden while every row is shown).
        assert f'<span id="queue-{name}-all" hx-swap-oob="true">{count}</span>' in again
        assert f'hidden><a class="govuk-link" href="?register=corporate&amp;scope=branch&amp;show={name}">' in queue
    # Another htmx request of the same address is not served the counts kept for theirs.
    assert "<table" in client.get(scoped, headers=HX).text
    # A page of one table has only that table's count to put right.
    one = client.get(scoped + "&show=approved", headers={**HX, "HX-Target": "queue-counts"}).text
    assert one.count("hx-swap-oob") == 1 and 'id="queue-approved-count"' in one  # paged: no link
    # Returned in place, the same.
    b = Assessment.objects.exclude(pk=a.pk).filter(period=q3).first()
    Assessment.objects.filter(pk=b.pk).update(state="submitted")
    returned = client.post(reverse("quarterly:review-return", args=[b.pk]),
                           {"comment": "Add the Q3 numbers.", "version": 1}, headers=HX)
    assert json.loads(returned["HX-Trigger"]) == {"rr-queue-changed": {}}
    # A return that is refused (no comment) announces nothing.
    c = Assessment.objects.exclude(pk__in=[a.pk, b.pk]).filter(period=q3).first()
    Assessment.objects.filter(pk=c.pk).update(state="submitted")
    error = client.post(reverse("quarterly:review-return", args=[c.pk]),
                        {"comment": "", "version": 1}, headers=HX)
    assert "Enter a comment" in error.text and "HX-Trigger" not in error


def test_queue_lists_who_has_not_submitted(client, planner, q3, risk1):
    client.force_login(planner)
    page = client.get(reverse("quarterly:review")).text
    assert "Not yet submitted" in page
    assert "AC Frontline Policing" in page  # risk 1's owner, still drafting
    assert "Not touched since carried forward" in page


def test_queue_counts_active_risks_without_an_update_and_ignores_inactive_ones(
    client, planner, q3, seed
):
    """Q3 carried a draft forward for each of the 11 risks. A new risk has no update yet; an
    inactive risk with none is not waiting for anyone; one made inactive after its draft was
    carried forward still counts in its state."""
    from risks.models import Register, Risk
    from tests.factories import make_risk

    corporate = Register.objects.get(slug="corporate")
    make_risk(corporate, ref=12, title="NEW RISK")
    make_risk(corporate, ref=13, title="RETIRED RISK", is_active=False)
    Risk.objects.filter(register=corporate, ref=2).update(is_active=False)
    client.force_login(planner)
    html = client.get(reverse("quarterly:review")).text
    assert Assessment.objects.filter(period=q3, state="draft").count() == 11
    assert "<strong>12</strong> not yet submitted" in html  # 11 drafts and risk 12
    assert "approved, of 12" in html
    listed = client.get(reverse("quarterly:review"), {"show": "not_submitted"}).text
    assert "12 NEW RISK" in listed and "RETIRED RISK" not in listed


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


# Unknown transitions ---------------------------------------------------------------------------


def test_approving_a_draft_is_refused_and_changes_nothing(client, planner, draft):
    client.force_login(planner)
    before = snapshot(draft)
    response = client.post(
        reverse("quarterly:review-approve", args=[draft.pk]), {"version": 1}, follow=True
    )
    assert "This update is draft, so it cannot be approved." in response.text
    assert snapshot(draft) == before


def test_returning_a_draft_is_refused_and_changes_nothing(client, planner, draft):
    client.force_login(planner)
    before = snapshot(draft)
    response = client.post(
        reverse("quarterly:review-return", args=[draft.pk]), {"version": 1, "comment": "No."}
    )
    assert response.status_code == 200
    assert "This update is draft, so it cannot be returned." in response.text
    assert snapshot(draft) == before


def test_an_approve_from_a_stale_queue_is_refused_in_the_row(client, planner, owner, draft, risk1):
    Assessment.objects.filter(pk=draft.pk).update(state="submitted", version=5)
    client.force_login(planner)
    response = client.post(
        reverse("quarterly:review-approve", args=[draft.pk]), {"version": 4},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "changed after you opened the queue" in response.text
    draft.refresh_from_db()
    assert draft.state == "submitted"


# Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 30])
def test_review_queue_costs_the_same_whatever_the_number_of_risks(
    client, db, django_assert_num_queries, planner, n
):
    make_risks_of_one_person(n)
    client.force_login(planner)
    with django_assert_num_queries(REVIEW_QUERIES):
        response = client.get(reverse("quarterly:review"))
    assert response.status_code == 200
    # What changed since last quarter, for every update that is submitted or reviewed.
    reviewable = sum(1 for i in range(n - 1) if UPDATE_STATES[i % 4] != "draft")
    assert response.text.count("M v H → H v H") == reviewable


@pytest.mark.parametrize("n", [5, 30])  # from 5, every table has a row
@pytest.mark.parametrize("show", sorted(REVIEW_LIST_QUERIES))
def test_each_table_of_the_queue_costs_the_same_whatever_the_number_of_risks(
    client, db, django_assert_num_queries, planner, n, show
):
    make_risks_of_one_person(n)
    client.force_login(planner)
    with django_assert_num_queries(REVIEW_LIST_QUERIES[show]):
        response = client.get(reverse("quarterly:review"), {"show": show})
    assert response.status_code == 200


def test_a_large_queue_shows_the_first_rows_of_each_table_and_counts_them_all(
    client, db, planner
):
    n = 121
    make_risks_of_one_person(n)
    client.force_login(planner)
    html = client.get(reverse("quarterly:review")).text
    # 120 updates: 30 of each state; one risk not started.
    assert "<strong>30</strong> submitted for review" in html
    assert "<strong>31</strong> not yet submitted" in html
    assert "<strong>30</strong> approved, of 121" in html
    for table, shown in (("submitted", 25), ("returned", 10), ("approved", 10)):
        rows = html.split(f'id="queue-{table}"')[1].split("</table>")[0]
        assert rows.count('<tr class="govuk-table__row" id="row-') == shown, table
        assert f'<p class="govuk-body"><a class="govuk-link" href="?show={table}">' in html
        assert f'Show all <span id="queue-{table}-all">30</span>' in html
    waiting = html.split('id="queue-not_submitted"')[1].split("</table>")[0]
    assert waiting.count("RISK ") == 10
    assert 'Show all <span id="queue-not_submitted-all">31</span>' in html
    page = client.get(reverse("quarterly:review"), {"show": "submitted", "page": 1}).text
    assert page.count('<tr class="govuk-table__row" id="row-') == 30
    assert 'id="queue-approved"' not in page and "Back to the whole queue" in page
    waiting = client.get(reverse("quarterly:review"), {"show": "not_submitted"}).text
    assert waiting.split('id="queue-not_submitted"')[1].count("RISK ") == 31
    assert f"RISK {n}" in waiting and "Not started" in waiting


def test_return_is_a_secondary_button_to_the_owner_who_submitted(client, q3, risk1, owner, planner):
    a = submitted_update(q3, risk1, owner)
    client.force_login(planner)
    for url in (reverse("quarterly:review-detail", args=[a.pk]),
                reverse("quarterly:review-return", args=[a.pk])):
        page = client.get(url).text
        assert ('<button type="submit" class="govuk-button govuk-button--secondary" '
                'data-module="govuk-button">Return to the owner</button>') in page
        assert "govuk-button--warning" not in page


def test_return_says_lead_when_a_lead_submitted(client, q3, risk1, lead, planner):
    a = submitted_update(q3, risk1, lead)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[a.pk])).text
    assert "Return to the lead</button>" in page and "to the owner" not in page
    form = client.get(reverse("quarterly:review-return", args=[a.pk])).text
    assert "What should the lead change?" in form and "Return to the lead</button>" in form
    refused = client.post(reverse("quarterly:review-return", args=[a.pk]),
                          {"comment": "", "version": a.version})
    assert "Enter a comment that tells the lead what to change" in refused.text
    done = client.post(reverse("quarterly:review-return", args=[a.pk]),
                       {"comment": "Add the Q3 figures.", "version": a.version}, follow=True)
    assert "returned to the lead with your comment" in done.text


def test_every_return_comment_is_kept_and_shown(client, q3, risk1, owner, planner):
    a = submitted_update(q3, risk1, owner)
    client.force_login(planner)
    url = reverse("quarterly:review-return", args=[a.pk])
    client.post(url, {"comment": "First: add the Q3 figures.", "version": a.version})
    a.refresh_from_db()
    a = save_assessment(assessment=a, version=a.version, by=owner, changes={"impact": 3})
    a = submit_assessment(assessment=a, version=a.version, by=owner)
    client.post(url, {"comment": "Second: say why the impact rose.", "version": a.version})
    a.refresh_from_db()
    a = submit_assessment(assessment=a, version=a.version, by=owner)
    page = client.get(reverse("quarterly:review-detail", args=[a.pk])).text
    assert "Returned 2 times this quarter" in page
    first = page.index("First: add the Q3 figures.")
    assert first < page.index("Second: say why the impact rose.")


def test_the_conflict_page_says_when_it_was_your_own_save_elsewhere(client, owner, draft, risk1):
    client.force_login(owner)
    url = reverse("quarterly:update-score", args=[risk1.pk])
    # Another tab, by the same person, saves first.
    save_assessment(assessment=draft, version=1, by=owner, changes={"likelihood": 2, "impact": 2,
                                                                   "score_change_source": "controls"})
    page = client.post(url, {"likelihood": "3", "impact": "3", "score_change_source": "controls",
                             "version": 1})
    assert page.status_code == 409
    assert "You saved this in another tab or window" in page.text
    assert "Someone else" not in page.text


def test_the_conflict_page_names_someone_else(client, owner, lead, draft, risk1):
    client.force_login(owner)
    save_assessment(assessment=draft, version=1, by=lead, changes={"likelihood": 2, "impact": 2,
                                                                  "score_change_source": "controls"})
    page = client.post(reverse("quarterly:update-score", args=[risk1.pk]), {
        "likelihood": "3", "impact": "3", "score_change_source": "controls", "version": 1,
    })
    assert page.status_code == 409
    assert "Someone else saved this update" in page.text
    assert "another tab or window" not in page.text


def test_the_review_page_says_submitted_once(client, q3, risk1, owner, planner):
    import re

    a = submitted_update(q3, risk1, owner)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[a.pk])).text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Submitted Sent for review on" in text and "Submitted Submitted" not in text
