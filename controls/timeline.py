"""Controls' entries on the risk page's timeline (risks.timeline calls in; risks never imports us)."""

from risks import timeline
from risks.history import Tracked, timeline_entries
from risks.models import Risk

from .models import Control, ControlUpdate

CONTROL_FIELDS = [
    Tracked("title", "Title"),
    Tracked("description", "Description", long=True),
    Tracked("owner", "Owner"),
    Tracked("category", "Category"),
    Tracked("is_key", "Key control"),
    Tracked("milestone", "Milestone"),
    Tracked("is_active", "Active"),
]

UPDATE_FIELDS = [
    Tracked("status", "Status"),
    Tracked("note", "Note", long=True),
]


@timeline.register
def control_entries(risk: Risk) -> list[timeline.Reading]:
    controls = Control.history.filter(risk_id=risk.pk).select_related(
        "history_user", "owner")  # the owner is named: not fetched per change
    updates = ControlUpdate.history.filter(control__risk_id=risk.pk).select_related(
        "history_user", "period", "control")
    return [
        timeline.Reading([controls], lambda records: timeline_entries(
            timeline.oldest_first(records), fields=CONTROL_FIELDS,
            title=lambda r: f"Control “{r.title}”",
        )),
        timeline.Reading([updates], lambda records: timeline_entries(
            timeline.oldest_first(records), fields=UPDATE_FIELDS,
            title=lambda r: f"Control “{r.control.title}” in {r.period.name}",
            show_created_values=True,
            in_open_period=lambda r: r.period.is_open,
        )),
    ]
