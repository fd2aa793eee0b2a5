"""riskreg/quarterly/services.py: the writes of the quarterly update that span a risk's
assessment and its controls."""

import pytest

from riskreg.quarterly.services import submit_update
from risks.models import Assessment
from risks.services import IncompleteUpdate


def test_submission_needs_every_control_and_every_answer(q3, draft, risk1, owner):
    Assessment.objects.filter(pk=draft.pk).update(commentary="")
    with pytest.raises(IncompleteUpdate) as incomplete:
        submit_update(assessment=draft, version=1, by=owner)
    # The score, complete as carried forward, is still to check (issue 14).
    assert set(incomplete.value.missing) == {"controls", "commentary", "score_checked"}
    assert "2 controls" in incomplete.value.missing["controls"]
    draft.refresh_from_db()
    assert draft.state == "draft"
