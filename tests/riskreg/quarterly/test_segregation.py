"""Nobody checks their own work: whoever wrote or submitted an update cannot approve it."""

import pytest
from django.urls import reverse

from risks.models import Assessment
from risks.services import InvalidTransition, approve_assessment, save_assessment, submit_assessment
from tests.factories import make_planner


@pytest.fixture
def submitted_by_planner(q3, risk1, planner):
    a = Assessment.objects.get(period=q3, risk=risk1)
    a = save_assessment(assessment=a, version=a.version, by=planner,
                        changes={"commentary": "Edited by the team."})
    return submit_assessment(assessment=a, version=a.version, by=planner)


def test_the_team_member_who_submitted_cannot_approve(submitted_by_planner, planner):
    a = submitted_by_planner
    with pytest.raises(InvalidTransition, match="another member"):
        approve_assessment(assessment=a, version=a.version, by=planner)
    assert Assessment.objects.get(pk=a.pk).state == "submitted"


def test_another_member_of_the_team_approves(submitted_by_planner):
    a = submitted_by_planner
    approve_assessment(assessment=a, version=a.version, by=make_planner("checker"))
    assert Assessment.objects.get(pk=a.pk).state == "approved"


def test_a_team_member_who_edited_cannot_approve_what_the_owner_submitted(
    q3, risk1, owner, planner
):
    a = Assessment.objects.get(period=q3, risk=risk1)
    a = save_assessment(assessment=a, version=a.version, by=planner,
                        changes={"commentary": "The team's words."})
    a = submit_assessment(assessment=a, version=a.version, by=owner)
    # The owner submitted last, but the commentary is the planner's own work.
    with pytest.raises(InvalidTransition):
        approve_assessment(assessment=a, version=a.version, by=planner)
    approve_assessment(assessment=a, version=a.version, by=make_planner("checker"))
    assert Assessment.objects.get(pk=a.pk).state == "approved"


def test_the_queue_says_why_approving_ones_own_submission_is_refused(
    client, submitted_by_planner, planner
):
    a = submitted_by_planner
    client.force_login(planner)
    response = client.post(
        reverse("quarterly:review-approve", args=[a.pk]), {"version": a.version}, follow=True
    )
    assert "another member of the Planning &amp; Risk Team must approve it" in response.text
    assert Assessment.objects.get(pk=a.pk).state == "submitted"
