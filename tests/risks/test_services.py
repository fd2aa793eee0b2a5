"""risks/services.py: the writes of an assessment's workflow refuse what the workflow does not
have. (Saving, submitting, approving and returning through the pages: tests/riskreg/quarterly/;
two people saving at once: test_locking.py.)"""

import pytest

from risks.models import Assessment
from risks.services import (
    InvalidTransition,
    approve_assessment,
    save_assessment,
    submit_assessment,
)


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
