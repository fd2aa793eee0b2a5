"""Controls in the quarterly update: versioned statuses, new controls, submission, history."""

import pytest
from django.urls import reverse

from controls.models import Control, ControlUpdate
from controls.services import add_control, carry_forward_controls, save_control_update
from riskreg.quarterly.services import submit_update
from risks import timeline
from risks.models import Assessment, PeriodClosed
from risks.services import (
    IncompleteUpdate,
    NotEditable,
    StaleVersion,
    close_period,
    confirm_unchanged,
)
from tests.risks.quarterly_fixtures import fast_password_hashing, q3, risk1  # noqa: F401


@pytest.fixture
def draft(q3, risk1):  # noqa: F811
    return Assessment.objects.get(risk=risk1, period=q3)


@pytest.fixture
def control(risk1):  # noqa: F811
    return Control.objects.filter(risk=risk1).order_by("order", "pk").first()


def test_a_control_update_is_versioned(q3, control, owner, lead):  # noqa: F811
    first = save_control_update(control=control, period=q3, by=owner, status="complete",
                                note="Done.", version=0)
    assert first.version == 1
    with pytest.raises(StaleVersion) as stale:
        save_control_update(control=control, period=q3, by=lead, status="delayed", note="",
                            version=0)
    assert stale.value.current.note == "Done."
    second = save_control_update(control=control, period=q3, by=lead, status="delayed",
                                 note="Slipped.", version=1)
    assert (second.version, second.updated_by) == (2, lead)
    with pytest.raises(StaleVersion):
        save_control_update(control=control, period=q3, by=owner, status="complete", note="",
                            version=1)
    assert ControlUpdate.objects.get(control=control, period=q3).note == "Slipped."
    # Each save is in the history, with who made it.
    users = list(ControlUpdate.history.filter(control=control, period=q3)
                 .order_by("history_date").values_list("history_user__username", flat=True))
    assert users == ["owner", "lead"]


def test_controls_cannot_change_once_the_update_is_submitted(q3, draft, control, owner):  # noqa: F811
    Assessment.objects.filter(pk=draft.pk).update(state="submitted")
    with pytest.raises(NotEditable):
        save_control_update(control=control, period=q3, by=owner, status="complete", note="",
                            version=0)
    with pytest.raises(NotEditable):
        add_control(risk=control.risk, period=q3, by=owner, title="Late", description="",
                    milestone="", status="not_started", note="")
    assert not ControlUpdate.objects.filter(period=q3).exists()


def test_a_new_control_belongs_to_the_period_it_was_added_in(q3, risk1, owner):  # noqa: F811
    control = add_control(risk=risk1, period=q3, by=owner, title="Safer streets", description="",
                          milestone="end of November", status="in_progress", note="Started.")
    assert control.added_in == q3
    others = Control.objects.filter(risk=risk1).exclude(pk=control.pk)
    assert control.order > max(others.values_list("order", flat=True))
    assert ControlUpdate.objects.get(control=control, period=q3).status == "in_progress"
    assert Control.history.get(id=control.pk).history_user == owner


def test_submission_needs_every_control_and_every_answer(q3, draft, risk1, owner):  # noqa: F811
    Assessment.objects.filter(pk=draft.pk).update(commentary="")
    with pytest.raises(IncompleteUpdate) as incomplete:
        submit_update(assessment=draft, version=1, by=owner)
    # The score, complete as carried forward, is still to check (issue 14).
    assert set(incomplete.value.missing) == {"controls", "commentary", "score_checked"}
    assert "2 controls" in incomplete.value.missing["controls"]
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_keeping_last_quarters_statuses(q3, draft, risk1, owner):  # noqa: F811
    assert carry_forward_controls(risk=risk1, period=q3, by=owner) == 2
    assert carry_forward_controls(risk=risk1, period=q3, by=owner) == 0
    # Carried-forward answers are confirmed too before submitting (issue 14).
    for version, section in enumerate(["score", "progress"], start=1):
        confirm_unchanged(assessment=draft, version=version, by=owner, section=section)
    submitted = submit_update(assessment=draft, version=3, by=owner)
    assert submitted.state == "submitted"


def test_a_closed_periods_control_updates_are_frozen(q3, control, owner, planner):  # noqa: F811
    update = save_control_update(control=control, period=q3, by=owner, status="complete",
                                 note="", version=0)
    close_period(period=q3, by=planner, incomplete=True)
    with pytest.raises(PeriodClosed):
        save_control_update(control=control, period=q3, by=owner, status="delayed", note="",
                            version=update.version)
    update.note = "changed"
    with pytest.raises(PeriodClosed):
        update.save()
    with pytest.raises(PeriodClosed):
        update.delete()
    with pytest.raises(PeriodClosed):
        ControlUpdate.objects.bulk_create(
            [ControlUpdate(control=Control.objects.exclude(pk=control.pk).first(), period=q3,
                           status="complete")]
        )


def test_the_admin_cannot_change_a_closed_periods_rows(admin_client, q3, draft, control, owner, planner):  # noqa: F811, E501
    update = save_control_update(control=control, period=q3, by=owner, status="complete",
                                 note="", version=0)
    close_period(period=q3, by=planner, incomplete=True)
    for url in (
        reverse("admin:risks_assessment_change", args=[draft.pk]),
        reverse("admin:controls_controlupdate_change", args=[update.pk]),
    ):
        response = admin_client.post(url, {"commentary": "via the admin", "note": "via the admin"})
        assert response.status_code == 403
        assert "via the admin" not in admin_client.get(url).text
    draft.refresh_from_db()
    assert draft.commentary != "via the admin"


def test_control_changes_appear_on_the_risk_timeline(q3, control, owner):  # noqa: F811
    save_control_update(control=control, period=q3, by=owner, status="delayed",
                        note="Waiting for funds.", version=0)
    entries = timeline.for_risk(control.risk)
    entry = next(e for e in entries if e.title == f"Control “{control.title}” in 2021/22 Q3")
    assert entry.who == "owner"
    assert [(c.label, c.new) for c in entry.changes][0] == ("Status", "Delayed")


def test_the_controls_page_shows_last_quarter_beside_this_one(client, q3, risk1, owner):  # noqa: F811
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-controls", args=[risk1.pk])).text
    assert "Op Orochi – disrupting and closing County Lines" in page
    assert page.count("Not updated yet") == 2
    assert "2021/22 Q2" in page and "In progress" in page
