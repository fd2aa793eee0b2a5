"""Bad input gets a clear message and changes nothing; a stale save shows a conflict page."""

import pytest
from django.urls import reverse

from controls.models import Control, ControlUpdate
from risks.models import Assessment, Risk
from risks.services import (
    InvalidTransition,
    approve_assessment,
    save_assessment,
    submit_assessment,
)
from tests.factories import make_control


def snapshot(assessment):
    assessment.refresh_from_db()
    return {f: getattr(assessment, f) for f in (*Assessment.OWNER_FIELDS, "state", "version")}


SCORE_CASES = [
    ({"likelihood": "5", "impact": "3"}, "Choose a likelihood from Low to Very High"),
    ({"likelihood": "0", "impact": "3"}, "Choose a likelihood from Low to Very High"),
    ({"likelihood": "high", "impact": "3"}, "Choose a likelihood from Low to Very High"),
    ({"likelihood": "2", "impact": "-1"}, "Choose a impact from Low to Very High"),
    ({"likelihood": "2"}, "Choose the current impact as well as the likelihood"),
    ({}, "Choose the current likelihood"),
    ({"likelihood": "3", "impact": "3", "score_change_source": "luck"},
     "Choose controls implemented or a re-assessment"),
]


@pytest.mark.parametrize(("data", "message"), SCORE_CASES)
def test_bad_score_is_refused_with_a_message(client, owner, draft, risk1, data, message):
    client.force_login(owner)
    before = snapshot(draft)
    response = client.post(reverse("quarterly:update-score", args=[risk1.pk]), data | {"version": 1})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert snapshot(draft) == before


PROGRESS = {"trend": "stable", "progress": "on_track", "reasons": "", "commentary": "Words."}
PROGRESS_CASES = [
    ({"progress": "slipped"}, "Progress is slipped: give the reasons why it is not on track"),
    ({"progress": "no_progress", "reasons": "   "}, "give the reasons why it is not on track"),
    ({"progress": "great"}, "Choose on track, limited, slipped or no progress"),
    ({"trend": "sideways"}, "Choose improving, stable or worsening"),
    ({"commentary": ""}, "Enter the commentary"),
]


@pytest.mark.parametrize(("change", "message"), PROGRESS_CASES)
def test_bad_progress_is_refused_with_a_message(client, owner, draft, risk1, change, message):
    client.force_login(owner)
    before = snapshot(draft)
    data = PROGRESS | change | {"version": 1}
    response = client.post(reverse("quarterly:update-progress", args=[risk1.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("", "The page was missing its version"),
        ("abc", "The page sent a version that is not a number"),
        ("0", "The page sent an impossible version"),
        ("-3", "The page sent an impossible version"),
    ],
)
def test_a_tampered_version_is_refused_with_a_message(client, owner, draft, risk1, version, message):
    client.force_login(owner)
    before = snapshot(draft)
    response = client.post(
        reverse("quarterly:update-progress", args=[risk1.pk]), PROGRESS | {"version": version}
    )
    assert response.status_code == 200
    assert message in response.text
    assert snapshot(draft) == before


def test_a_version_from_the_future_is_a_conflict_not_a_save(client, owner, draft, risk1):
    client.force_login(owner)
    before = snapshot(draft)
    response = client.post(
        reverse("quarterly:update-progress", args=[risk1.pk]), PROGRESS | {"version": 99}
    )
    assert response.status_code == 409
    assert snapshot(draft) == before


def test_a_control_of_another_risk_is_not_found(client, owner, q3, risk1):
    other = Control.objects.exclude(risk=risk1).first()
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:control-update", args=[risk1.pk, other.pk]),
        {"status": "complete", "note": "", "version": 0},
    )
    assert response.status_code == 404
    assert not ControlUpdate.objects.filter(period=q3).exists()


def test_a_bad_control_status_is_refused(client, owner, q3, risk1):
    control = Control.objects.filter(risk=risk1).first()
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:control-update", args=[risk1.pk, control.pk]),
        {"status": "finished-ish", "note": "", "version": 0},
    )
    assert response.status_code == 200
    assert "Choose not started, in progress, complete or delayed" in response.text
    assert not ControlUpdate.objects.filter(period=q3).exists()


def test_a_duplicate_control_name_is_refused(client, owner, q3, risk1):
    existing = Control.objects.filter(risk=risk1).first()
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:control-add", args=[risk1.pk]),
        {"title": existing.title.upper(), "status": "not_started"},
    )
    assert response.status_code == 200
    assert "already has a control with that name" in response.text
    assert Control.objects.filter(risk=risk1).count() == 2


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


def test_the_services_refuse_transitions_the_workflow_does_not_have(owner, planner, draft):
    with pytest.raises(InvalidTransition):
        approve_assessment(assessment=draft, version=1, by=planner)
    Assessment.objects.filter(pk=draft.pk).update(state="approved", reviewed_at=draft.updated_at)
    with pytest.raises(InvalidTransition):
        submit_assessment(assessment=draft, version=1, by=owner)
    with pytest.raises(Exception, match="can no longer be changed"):
        save_assessment(assessment=draft, version=1, by=owner, changes={"trend": "stable"})
    with pytest.raises(ValueError, match="Not an owner's field"):
        save_assessment(assessment=draft, version=1, by=owner, changes={"state": "draft"})


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


# Conflicts: nothing lost -----------------------------------------------------------------------


def test_a_stale_save_shows_both_versions_and_can_keep_mine(client, owner, lead, draft, risk1):
    url = reverse("quarterly:update-progress", args=[risk1.pk])
    # Both open the page at version 1; the lead saves first.
    save_assessment(assessment=draft, version=1, by=lead,
                    changes=PROGRESS | {"commentary": "The lead's words."})
    client.force_login(owner)
    mine = PROGRESS | {"commentary": "The owner's words.", "version": 1}
    response = client.post(url, mine)
    assert response.status_code == 409
    page = response.text
    assert "Someone else saved this update while you were editing it" in page
    assert "The owner&#x27;s words." in page and "The lead&#x27;s words." in page
    assert "lead" in page
    draft.refresh_from_db()
    assert draft.commentary == "The lead's words." and draft.version == 2
    # The page carries the owner's answers and the stored version, so keeping them is one click.
    assert 'name="version" value="2"' in page
    assert 'name="commentary" value="The owner&#x27;s words."' in page
    response = client.post(url, mine | {"version": 2})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.commentary == "The owner's words." and draft.version == 3


def test_a_stale_control_save_shows_both_answers(client, owner, lead, q3, risk1):
    from controls.services import save_control_update

    control = Control.objects.filter(risk=risk1).first()
    save_control_update(control=control, period=q3, by=lead, status="complete", note="Lead's.",
                        version=0)
    client.force_login(owner)
    url = reverse("quarterly:control-update", args=[risk1.pk, control.pk])
    response = client.post(url, {"status": "delayed", "note": "Owner's.", "version": 0})
    assert response.status_code == 409
    assert "Owner&#x27;s." in response.text and "Lead&#x27;s." in response.text
    assert ControlUpdate.objects.get(control=control, period=q3).note == "Lead's."
    # In place with htmx the same comparison replaces the control's card.
    response = client.post(url, {"status": "delayed", "note": "Owner's.", "version": 0},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="control-{control.pk}"' in response.text and "Saved now" in response.text


def test_risk_10_may_be_submitted_without_a_score(client, q3, planner):
    """Risk 10 (LEGITIMACY) is still to be finalised: no agreed description, no scores."""
    risk10 = Risk.objects.get(register__slug="corporate", ref=10)
    a = Assessment.objects.get(risk=risk10, period=q3)
    client.force_login(planner)
    response = client.post(reverse("quarterly:update-score", args=[risk10.pk]), {"version": 1})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.score is None


def test_a_new_risk_starts_its_draft_on_first_use(client, q3, owner, risk1):
    from tests.factories import make_risk

    late = make_risk(risk1.register, owner=risk1.owner, ref=50, title="LATE")
    make_control(late, title="Late control")
    client.force_login(owner)
    assert "Start the update" in client.get(reverse("quarterly:update", args=[late.pk])).text
    response = client.post(reverse("quarterly:update", args=[late.pk]))
    assert response.status_code == 302
    assert Assessment.objects.filter(risk=late, period=q3, state="draft").exists()
