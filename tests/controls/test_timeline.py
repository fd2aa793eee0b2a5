"""controls/timeline.py: changes of a risk's controls are on the risk's timeline."""

from controls.services import save_control_update
from risks import timeline


def test_control_changes_appear_on_the_risk_timeline(q3, control, owner):
    save_control_update(control=control, period=q3, by=owner, status="delayed",
                        note="Waiting for funds.", version=0)
    entries = timeline.for_risk(control.risk)
    entry = next(e for e in entries if e.title == f"Control “{control.title}” in 2021/22 Q3")
    assert entry.who == "owner"
    assert [(c.label, c.new) for c in entry.changes][0] == ("Status", "Delayed")
