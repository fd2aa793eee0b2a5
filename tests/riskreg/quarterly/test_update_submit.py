"""riskreg/quarterly/update_submit.py: check and submit (no Submit while anything is missing),
what the update says once submitted, and recalling a submission back to a draft."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from controls.services import carry_forward_controls
from riskreg.quarterly.services import submit_update
from risks.models import Assessment, PeriodClosed
from risks.services import (
    approve_assessment,
    close_period,
    confirm_unchanged,
    recall_assessment,
    return_assessment,
)
from tests.factories import make_planner


def ready(a: Assessment, by) -> Assessment:
    """Every section of the update checked this quarter, as its owner would (nothing changed)."""
    a = confirm_unchanged(assessment=a, version=a.version, by=by, section="score")
    a = confirm_unchanged(assessment=a, version=a.version, by=by, section="progress")
    carry_forward_controls(risk=a.risk, period=a.period, by=by)
    a.refresh_from_db()
    return a


def submitted(a: Assessment, by) -> Assessment:
    a = ready(a, by)
    return submit_update(assessment=a, version=a.version, by=by)


def url(name, risk):
    return reverse(f"quarterly:{name}", args=[risk.pk])


def test_the_check_page_offers_no_submit_while_sections_are_missing(client, owner, draft, risk1):
    client.force_login(owner)
    page = client.get(url("update-check", risk1)).text
    assert "Before you can submit, check these" in page
    assert "Submit for review" not in page
    ready(draft, owner)
    page = client.get(url("update-check", risk1)).text
    assert "Before you can submit" not in page
    assert "Submit for review</button>" in page


def test_a_submitted_update_says_so_once_and_offers_no_more_changes(client, owner, draft, risk1):
    submitted(draft, owner)
    client.force_login(owner)
    page = client.get(url("update", risk1)).text
    assert "Submitted</strong>" in page
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Submitted Submitted" not in text
    assert "Sent for review on" in page
    assert "come back and change it" not in page


def test_the_submitter_recalls_the_update_to_a_draft_and_the_history_says_so(
    client, owner, draft, risk1
):
    a = submitted(draft, owner)
    client.force_login(owner)
    page = client.get(url("update", risk1)).text
    assert "Recall the update</button>" in page
    response = client.post(url("update-recall", risk1), {"version": a.version})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == "draft" and a.submitted_at is None and a.version == 5
    latest = Assessment.history.filter(id=a.pk).latest("history_date")
    assert (latest.history_change_reason, latest.history_user) == ("Recalled", owner)
    page = client.get(url("update", risk1)).text
    assert "is recalled: it is a draft again" in page and "Recall the update" not in page
    # Still whole: it can be submitted again at once.
    assert client.post(url("update-check", risk1), {"version": a.version}).status_code == 302


def test_only_the_submitter_may_recall(client, owner, lead, draft, risk1):
    a = submitted(draft, owner)
    client.force_login(lead)
    assert "Recall the update" not in client.get(url("update", risk1)).text
    response = client.post(url("update-recall", risk1), {"version": a.version}, follow=True)
    assert "Only the person who submitted this update can recall it." in response.text
    a.refresh_from_db()
    assert a.state == "submitted"


def test_a_stale_recall_changes_nothing(client, owner, draft, risk1):
    a = submitted(draft, owner)
    client.force_login(owner)
    response = client.post(url("update-recall", risk1), {"version": a.version - 1}, follow=True)
    assert "You changed this update in another tab or window after you opened the page" in (
        response.text
    )
    a.refresh_from_db()
    assert a.state == "submitted"


@pytest.mark.parametrize("review", ["approved", "returned"])
def test_a_recall_is_refused_once_reviewed(client, owner, draft, risk1, review):
    a = submitted(draft, owner)
    checker = make_planner("checker")
    if review == "approved":
        a = approve_assessment(assessment=a, version=a.version, by=checker)
    else:
        a = return_assessment(assessment=a, version=a.version, by=checker, comment="Say more.")
    before = (a.state, a.version)
    client.force_login(owner)
    assert "Recall the update" not in client.get(url("update", risk1)).text
    response = client.post(url("update-recall", risk1), {"version": a.version}, follow=True)
    assert f"This update is {review}, so it cannot be recalled." in response.text
    a.refresh_from_db()
    assert (a.state, a.version) == before


def test_a_recall_is_refused_once_the_quarter_is_closed(client, owner, draft, risk1, q3):
    a = submitted(draft, owner)
    close_period(period=q3, by=make_planner("checker"), incomplete=True)
    with pytest.raises(PeriodClosed):
        recall_assessment(assessment=a, version=a.version, by=owner)
    client.force_login(owner)
    # No quarter is open: there is no update to recall at its address.
    assert client.post(url("update-recall", risk1), {"version": a.version}).status_code == 404
    a.refresh_from_db()
    assert a.state == "submitted"


def test_a_recall_without_a_version_changes_nothing(client, owner, draft, risk1):
    a = submitted(draft, owner)
    client.force_login(owner)
    for data in ({}, {"version": "x"}, {"version": "99999999999999999999"}):
        assert client.post(url("update-recall", risk1), data).status_code == 302
    a.refresh_from_db()
    assert a.state == "submitted" and a.submitted_at <= timezone.now()
