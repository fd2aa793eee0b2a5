"""Controls' entries on the risk page's timeline (risks.timeline calls in; risks never imports us)."""

from risks import timeline
from risks.models import Risk
from risks.timeline import Tracked, entries_from_history

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
def control_entries(risk: Risk) -> list[timeline.Entry]:
    controls = (
        Control.history.filter(risk_id=risk.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    updates = (
        ControlUpdate.history.filter(control__risk_id=risk.pk)
        .select_related("history_user", "period", "control")
        .order_by("history_date", "history_id")
    )
    return [
        *entries_from_history(
            controls, object_key=lambda r: r.id, fields=CONTROL_FIELDS,
            title=lambda r: f"Control “{r.title}”",
        ),
        *entries_from_history(
            updates, object_key=lambda r: r.id, fields=UPDATE_FIELDS,
            title=lambda r: f"Control “{r.control.title}” in {r.period.name}",
            show_created_values=True,
            in_open_period=lambda r: r.period.is_open,
        ),
    ]
