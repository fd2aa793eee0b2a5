"""Who changed what in the action plan, and when: risks.history reads and compares the records.

Only the newest records are read, each with its predecessor found by a subquery, so a page of
changes costs two queries per model (and one per many-to-many field), however long the history.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator

from risks.history import HistoryEntry, latest_entries, tracked_fields

from .models import ActionPlan, PlanAction, PlanItem, PlanItemUpdate, Theme

# Fields whose change says nothing a reader needs: the status says "complete", the record
# already names who made the change.
SKIPPED = {"id", "completed_at", "updated_by", "author", "created_at", "item", "plan"}

THEME_FIELDS = tracked_fields(Theme, skip=SKIPPED)
ITEM_FIELDS = tracked_fields(PlanItem, skip=SKIPPED)
ACTION_FIELDS = tracked_fields(PlanAction, skip=SKIPPED)
LOG_FIELDS = tracked_fields(PlanItemUpdate, skip=SKIPPED)


def _item_url(item_id: int) -> str:
    return reverse("maturity:item", args=[item_id])


def _changes(history, *, fields, title, item_of, themes, limit=None) -> list[HistoryEntry]:
    return latest_entries(
        history, limit=limit, fields=fields, title=title,
        url=lambda r: _item_url(item_id) if (item_id := item_of(r)) else "",
        names={"theme": themes},
    )


def _item_title(record) -> str:
    return f"Item {record.ref}"


def _action_title(record) -> str:
    return f"Action “{Truncator(record.text).chars(80)}”"


def _log_title(record) -> str:
    return f"Update log entry of {date_format(record.date)}"


def item_changes(item: PlanItem) -> list[HistoryEntry]:
    """Every recorded change to an item, its actions and its update log, newest first."""
    themes = dict(Theme.objects.filter(plan_id=item.theme.plan_id).values_list("pk", "title"))
    changes = (
        _changes(PlanItem.history.filter(id=item.pk), fields=ITEM_FIELDS,
                 title=_item_title, item_of=lambda r: r.id, themes=themes)
        + _changes(PlanAction.history.filter(item_id=item.pk), fields=ACTION_FIELDS,
                   title=_action_title, item_of=lambda r: r.item_id, themes=themes)
        + _changes(PlanItemUpdate.history.filter(item_id=item.pk), fields=LOG_FIELDS,
                   title=_log_title, item_of=lambda r: r.item_id, themes=themes)
    )
    return sorted(changes, key=lambda c: c.when, reverse=True)


def plan_changes(plan: ActionPlan, *, limit: int = 100) -> list[HistoryEntry]:
    """The latest `limit` changes anywhere in the plan, newest first."""
    themes = dict(Theme.objects.filter(plan=plan).values_list("pk", "title"))
    item_ids = PlanItem.objects.filter(theme__plan=plan).values("pk")
    changes = (
        _changes(Theme.history.filter(plan_id=plan.pk), fields=THEME_FIELDS,
                 title=lambda r: f"Theme “{r.title}”", item_of=lambda r: None,
                 themes=themes, limit=limit)
        + _changes(PlanItem.history.filter(theme_id__in=list(themes)), fields=ITEM_FIELDS,
                   title=_item_title, item_of=lambda r: r.id, themes=themes, limit=limit)
        + _changes(PlanAction.history.filter(item_id__in=item_ids), fields=ACTION_FIELDS,
                   title=_action_title, item_of=lambda r: r.item_id, themes=themes, limit=limit)
        + _changes(PlanItemUpdate.history.filter(item_id__in=item_ids), fields=LOG_FIELDS,
                   title=_log_title, item_of=lambda r: r.item_id, themes=themes, limit=limit)
    )
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]
