"""Carried forward means "to check" (issue 14): each section of a carried-forward update is
not started until its owner saves it or confirms it as "No change this quarter", and the update
cannot be submitted before every section is one or the other."""

import pytest
from django.urls import reverse

from controls.models import Control, ControlUpdate
from controls.services import carry_forward_controls, save_control_update
from riskreg.quarterly.services import missing_for_submission, submit_update
from risks.models import Assessment
from risks.services import (
    IncompleteUpdate,
    NotEditable,
    StaleVersion,
    confirm_unchanged,
    save_assessment,
)


@pytest.fixture
def draft(q3, risk1):
    return Assessment.objects.get(risk=risk1, period=q3)


def statuses(client, risk_pk) -> dict[str, str]:
    """The task list's status of each task, by its slug."""
    html = client.get(reverse("quarterly:update", args=[risk_pk])).text
    found = {}
    for slug in ("score", "progress", "controls", "check"):
        after = html.split(f'id="task-{slug}-status"', 1)[1].split("</div>", 1)[0]
        found[slug] = after.replace("</strong>", "").rsplit(">", 1)[-1].strip()
    return found


def test_a_carried_forward_update_starts_with_every_section_not_started(client, owner, draft):
    assert (draft.score_checked_at, draft.progress_checked_at, draft.controls_checked_at) == (
        None, None, None,
    )
    # Its answers are complete: last quarter's, carried forward.
    assert draft.likelihood and draft.trend and draft.commentary
    client.force_login(owner)
    assert statuses(client, draft.risk_id) == {
        "score": "Not started", "progress": "Not started", "controls": "Not started",
        "check": "Cannot start yet",
    }


def test_confirming_a_section_records_it_and_changes_no_answer(client, owner, draft):
    client.force_login(owner)
    before = {f: getattr(draft, f) for f in Assessment.OWNER_FIELDS}
    page = client.get(reverse("quarterly:update-score", args=[draft.risk_id])).text
    assert "No change this quarter" in page and "Carried forward from 2021/22 Q2" in page
    response = client.post(
        reverse("quarterly:update-score", args=[draft.risk_id]),
        {"unchanged": "1", "version": draft.version}, follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("quarterly:update-progress",
                                                     args=[draft.risk_id])
    assert "The current score: no change this quarter, confirmed for 2021/22 Q3." in response.text
    draft.refresh_from_db()
    assert {f: getattr(draft, f) for f in Assessment.OWNER_FIELDS} == before
    assert draft.score_checked_at is not None and draft.progress_checked_at is None
    assert draft.version == 2 and draft.updated_by == owner
    last = Assessment.history.filter(id=draft.pk).latest("history_date")
    assert (last.history_change_reason, last.history_user) == (
        "Confirmed no change: current score", owner,
    )
    # Confirmed: the section is done, and its page no longer offers the confirmation.
    assert statuses(client, draft.risk_id)["score"] == "Completed"
    page = client.get(reverse("quarterly:update-score", args=[draft.risk_id])).text
    assert 'name="unchanged"' not in page


def test_saving_a_section_checks_it(client, owner, draft):
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:update-progress", args=[draft.risk_id]),
        {"trend": "stable", "progress": "on_track", "commentary": "Knife crime fell.",
         "version": draft.version},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.progress_checked_at is not None and draft.score_checked_at is None
    assert statuses(client, draft.risk_id)["progress"] == "Completed"
    assert statuses(client, draft.risk_id)["score"] == "Not started"


def test_submission_is_refused_until_every_section_is_saved_or_confirmed(client, owner, draft):
    client.force_login(owner)
    check = reverse("quarterly:update-check", args=[draft.risk_id])
    page = client.get(check).text
    # The check page lists what is still to check, each with a link to its section.
    listed = page.split('id="to-check"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{reverse("quarterly:update-score", args=[draft.risk_id])}"' in listed
    assert f'href="{reverse("quarterly:update-progress", args=[draft.risk_id])}"' in listed
    assert f'href="{reverse("quarterly:update-controls", args=[draft.risk_id])}"' in listed
    assert "confirm there is no change this quarter" in listed

    response = client.post(check, {"version": draft.version})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert "Check the current score" in response.text
    draft.refresh_from_db()
    assert draft.state == "draft"

    with pytest.raises(IncompleteUpdate) as refused:
        submit_update(assessment=draft, version=draft.version, by=owner)
    assert list(refused.value.missing) == ["score_checked", "progress_checked", "controls"]

    confirm_unchanged(assessment=draft, version=1, by=owner, section="score")
    confirm_unchanged(assessment=draft, version=2, by=owner, section="progress")
    draft.refresh_from_db()
    assert list(missing_for_submission(draft)) == ["controls"]
    carry_forward_controls(risk=draft.risk, period=draft.period, by=owner)
    draft.refresh_from_db()
    assert missing_for_submission(draft) == {}
    assert "to-check" not in client.get(check).text
    assert statuses(client, draft.risk_id) == {
        "score": "Completed", "progress": "Completed", "controls": "Completed",
        "check": "Not started",
    }
    assert client.post(check, {"version": 3}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "submitted"


def test_a_section_with_answers_missing_cannot_be_confirmed(owner, draft):
    Assessment.objects.filter(pk=draft.pk).update(trend="")
    with pytest.raises(IncompleteUpdate) as refused:
        confirm_unchanged(assessment=draft, version=1, by=owner, section="progress")
    assert set(refused.value.missing) == {"trend"}
    draft.refresh_from_db()
    assert draft.progress_checked_at is None and draft.version == 1


def test_the_confirm_button_is_offered_only_for_whole_answers(client, owner, draft):
    Assessment.objects.filter(pk=draft.pk).update(trend="")
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-progress", args=[draft.risk_id])).text
    assert 'name="unchanged"' not in page
    # Posted anyway: refused with a message, nothing written.
    response = client.post(reverse("quarterly:update-progress", args=[draft.risk_id]),
                           {"unchanged": "1", "version": 1}, follow=True)
    assert "cannot be confirmed as it is: choose the trend" in response.text
    draft.refresh_from_db()
    assert draft.progress_checked_at is None and draft.version == 1
    assert statuses(client, draft.risk_id)["progress"] == "Not started"


def test_a_stale_confirmation_is_refused_and_says_who_changed_it(client, owner, lead, draft):
    save_assessment(assessment=draft, version=1, by=lead, changes={"likelihood": 3,
                    "score_change_source": "reassessment"})
    client.force_login(owner)
    response = client.post(reverse("quarterly:update-progress", args=[draft.risk_id]),
                           {"unchanged": "1", "version": 1}, follow=True)
    assert "changed this update after you opened the page, so nothing was confirmed" in (
        response.text
    )
    draft.refresh_from_db()
    assert draft.progress_checked_at is None and draft.version == 2
    with pytest.raises(StaleVersion):
        confirm_unchanged(assessment=draft, version=1, by=owner, section="progress")


def test_a_submitted_update_cannot_be_confirmed(owner, draft):
    Assessment.objects.filter(pk=draft.pk).update(state="submitted")
    with pytest.raises(NotEditable):
        confirm_unchanged(assessment=draft, version=1, by=owner, section="score")


def test_whoever_confirmed_a_section_cannot_approve_the_update(draft, owner, planner):
    """Confirming words unchanged vouches for them as much as writing them."""
    from risks.services import InvalidTransition, approve_assessment
    from tests.factories import make_planner

    confirm_unchanged(assessment=draft, version=1, by=planner, section="score")
    confirm_unchanged(assessment=draft, version=2, by=owner, section="progress")
    carry_forward_controls(risk=draft.risk, period=draft.period, by=owner)
    submitted = submit_update(assessment=draft, version=3, by=owner)
    with pytest.raises(InvalidTransition, match="another member"):
        approve_assessment(assessment=submitted, version=submitted.version, by=planner)
    approve_assessment(assessment=submitted, version=submitted.version, by=make_planner("checker"))


# The controls section --------------------------------------------------------------------


def test_no_change_for_the_controls_is_recorded_as_kept_not_written(client, owner, draft, q3):
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-controls", args=[draft.risk_id])).text
    assert "No change this quarter: keep last quarter's status for the 2 controls" in page
    response = client.post(reverse("quarterly:controls-unchanged", args=[draft.risk_id]),
                           follow=True)
    assert "No change this quarter: 2 controls marked unchanged since last quarter." in (
        response.text
    )
    records = ControlUpdate.objects.filter(period=q3, control__risk=draft.risk_id)
    assert records.count() == 2
    q2 = draft.period.previous()
    for record in records:
        before = ControlUpdate.objects.get(control=record.control, period=q2)
        assert (record.status, record.note) == (before.status, before.note)
        assert record.confirmed_unchanged and record.note_carried_from_id == q2.pk
        assert not record.note_written_this_quarter
    draft.refresh_from_db()
    assert draft.controls_checked_at is not None and draft.version == 1
    last = Assessment.history.filter(id=draft.pk).latest("history_date")
    assert last.history_change_reason == "Confirmed no change: controls"
    assert "No change this quarter: status and note kept from 2021/22 Q2" in response.text
    assert statuses(client, draft.risk_id)["controls"] == "Completed"


def test_one_control_saved_and_one_waiting_is_incomplete(client, owner, draft, q3):
    first = Control.objects.filter(risk=draft.risk_id).order_by("order", "pk").first()
    save_control_update(control=first, period=q3, by=owner, status="complete",
                        note="Forty lines closed.", version=0)
    client.force_login(owner)
    assert statuses(client, draft.risk_id)["controls"] == "Incomplete"
    record = ControlUpdate.objects.get(control=first, period=q3)
    assert not record.confirmed_unchanged and record.note_carried_from is None
    assert record.note_written_this_quarter


def test_a_saved_note_the_same_as_the_previous_one_is_not_written_this_quarter(owner, draft, q3):
    control = Control.objects.filter(risk=draft.risk_id).order_by("order", "pk").first()
    previous = ControlUpdate.objects.get(control=control, period=draft.period.previous())
    kept = save_control_update(control=control, period=q3, by=owner, status="complete",
                               note=f"  {previous.note}\n", version=0)
    assert kept.note_carried_from_id == previous.period_id and not kept.confirmed_unchanged
    assert not kept.note_written_this_quarter
    # Rewritten: now it is this quarter's note.
    rewritten = save_control_update(control=control, period=q3, by=owner, status="complete",
                                    note="Forty more lines closed.", version=kept.version)
    assert rewritten.note_carried_from is None and rewritten.note_written_this_quarter
    # A confirmed record changed by its owner is no longer a confirmation.
    other = Control.objects.filter(risk=draft.risk_id).order_by("order", "pk").last()
    carry_forward_controls(risk=draft.risk, period=q3, by=owner)
    record = ControlUpdate.objects.get(control=other, period=q3)
    assert record.confirmed_unchanged
    changed = save_control_update(control=other, period=q3, by=owner, status="delayed",
                                  note=record.note, version=record.version)
    assert not changed.confirmed_unchanged and changed.note_carried_from_id == previous.period_id


def test_a_risk_with_no_controls_needs_its_owner_to_confirm_none(client, planner, q3):
    a = Assessment.objects.get(period=q3, risk__ref=10)
    assert not Control.objects.filter(risk=a.risk_id).exists()
    client.force_login(planner)
    assert statuses(client, a.risk_id)["controls"] == "Not started"
    assert missing_for_submission(a)["controls"].startswith("Check the controls")
    page = client.get(reverse("quarterly:update-controls", args=[a.risk_id])).text
    assert "This risk has no controls" in page and 'name="csrfmiddlewaretoken"' in page
    response = client.post(reverse("quarterly:controls-unchanged", args=[a.risk_id]), follow=True)
    assert "the risk has no controls to report" in response.text
    a.refresh_from_db()
    assert a.controls_checked_at is not None
    assert statuses(client, a.risk_id)["controls"] == "Completed"
    assert "controls" not in missing_for_submission(a)


def test_a_new_risk_has_nothing_to_confirm(client, planner, q3):
    """A risk added this quarter has no answers: its sections are not started, and there is
    nothing whole to confirm until they are answered."""
    from risks.services import start_assessment
    from tests.factories import make_risk

    risk = make_risk(draft_register(), title="NEW RISK")
    a = start_assessment(risk=risk, period=q3, by=planner)
    client.force_login(planner)
    assert statuses(client, risk.pk)["score"] == "Not started"
    page = client.get(reverse("quarterly:update-score", args=[risk.pk])).text
    assert 'name="unchanged"' not in page
    with pytest.raises(IncompleteUpdate):
        confirm_unchanged(assessment=a, version=a.version, by=planner, section="score")


def draft_register():
    from risks.models import Register

    return Register.objects.get(slug="corporate")
