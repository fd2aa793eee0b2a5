"""controls/models.py: a closed period's control updates are frozen."""

import pytest

from controls.models import Control, ControlUpdate
from controls.services import save_control_update
from risks.models import PeriodClosed
from risks.services import close_period


def test_a_closed_periods_control_updates_are_frozen(q3, control, owner, planner):
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
