"""controls/services.py: a control's status each quarter is versioned, a new control belongs to
the quarter it was added in, last quarter's statuses can be kept, and none of it changes once
the update is submitted."""

import pytest

from controls.models import Control, ControlUpdate
from controls.services import add_control, carry_forward_controls, save_control_update
from riskreg.quarterly.services import submit_update
from risks.models import Assessment
from risks.services import NotEditable, StaleVersion, confirm_unchanged


def test_a_control_update_is_versioned(q3, control, owner, lead):
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


def test_controls_cannot_change_once_the_update_is_submitted(q3, draft, control, owner):
    Assessment.objects.filter(pk=draft.pk).update(state="submitted")
    with pytest.raises(NotEditable):
        save_control_update(control=control, period=q3, by=owner, status="complete", note="",
                            version=0)
    with pytest.raises(NotEditable):
        add_control(risk=control.risk, period=q3, by=owner, title="Late", description="",
                    milestone="", status="not_started", note="")
    assert not ControlUpdate.objects.filter(period=q3).exists()


def test_a_new_control_belongs_to_the_period_it_was_added_in(q3, risk1, owner):
    control = add_control(risk=risk1, period=q3, by=owner, title="Safer streets", description="",
                          milestone="end of November", status="in_progress", note="Started.")
    assert control.added_in == q3
    others = Control.objects.filter(risk=risk1).exclude(pk=control.pk)
    assert control.order > max(others.values_list("order", flat=True))
    assert ControlUpdate.objects.get(control=control, period=q3).status == "in_progress"
    assert Control.history.get(id=control.pk).history_user == owner


def test_keeping_last_quarters_statuses(q3, draft, risk1, owner):
    assert carry_forward_controls(risk=risk1, period=q3, by=owner) == 2
    assert carry_forward_controls(risk=risk1, period=q3, by=owner) == 0
    # Carried-forward answers are confirmed too before submitting (issue 14).
    for version, section in enumerate(["score", "progress"], start=1):
        confirm_unchanged(assessment=draft, version=version, by=owner, section=section)
    submitted = submit_update(assessment=draft, version=3, by=owner)
    assert submitted.state == "submitted"
