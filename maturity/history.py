"""Who changed what in the action plan, and when, read from django-simple-history's records.

Each change is a historical record compared with the one before it for the same row. The
previous record is found by a subquery, so a page of changes costs two queries per model
(and one per many-to-many field), however long the history.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.text import Truncator

from .models import ActionPlan, PlanAction, PlanItem, PlanItemUpdate, Theme

# Fields whose change says nothing a reader needs: the status says "complete", the record
# already names who made the change.
SKIPPED = {"id", "completed_at", "updated_by", "author", "created_at", "item", "plan"}
TEXT_LIMIT = 140


@dataclass
class Change:
    when: datetime.datetime
    who: str
    kind: str  # "added", "changed", "deleted"
    subject: str
    item_id: int | None
    details: list[str] = field(default_factory=list)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "Not recorded"
    return user.get_full_name() or user.get_username()


def _display(model, name: str, value, themes: dict[int, str]) -> str:
    if value in (None, ""):
        return "(blank)"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if name == "theme":
        return themes.get(value, "(a theme since removed)")
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return f"“{Truncator(str(value)).chars(TEXT_LIMIT)}”"


def _diff(model, old, new, themes, m2m_old=None, m2m_new=None) -> list[str]:
    details = []
    for f in model._meta.concrete_fields:
        if f.name in SKIPPED:
            continue
        before, after = getattr(old, f.attname), getattr(new, f.attname)
        if before != after:
            label = str(f.verbose_name).capitalize()
            details.append(
                f"{label}: {_display(model, f.name, before, themes)} → "
                f"{_display(model, f.name, after, themes)}"
            )
    for name in m2m_new or {}:
        before, after = m2m_old.get(name, set()), m2m_new[name]
        if before != after:
            label = str(model._meta.get_field(name).verbose_name).capitalize()
            if added := sorted(after - before):
                details.append(f"{label} added: {', '.join(added)}")
            if removed := sorted(before - after):
                details.append(f"{label} removed: {', '.join(removed)}")
    return details


def _with_previous(history: QuerySet, limit: int | None):
    """The records (newest first, up to `limit`) and their predecessors, in two queries."""
    previous = (
        history.model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = history.select_related("history_user").annotate(previous_id=Subquery(previous))
    records = list(records.order_by("-history_date", "-history_id")[:limit])
    wanted = {r.previous_id for r in records if r.previous_id}
    prior = {
        r.history_id: r
        for r in history.model.objects.filter(history_id__in=wanted).select_related("history_user")
    }
    return records, prior


def _m2m_snapshots(model, history_ids) -> dict[int, dict[str, set[str]]]:
    """For each historical record of a model with tracked m2m fields, the names it held."""
    snapshots: dict[int, dict[str, set[str]]] = defaultdict(dict)
    for m2m in getattr(model.history.model, "_history_m2m_fields", []):
        for hid in history_ids:
            snapshots[hid].setdefault(m2m.name, set())
        through = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{m2m.name}")
        target = m2m.related_model._meta.model_name
        for hid, name in through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}__name"
        ):
            snapshots[hid][m2m.name].add(name)
    return snapshots


def _changes(model, history, *, subject, item_of, themes, limit=None) -> list[Change]:
    records, prior = _with_previous(history, limit)
    m2m = {}
    if getattr(model.history.model, "_history_m2m_fields", None):
        m2m = _m2m_snapshots(model, [r.history_id for r in records] + list(prior))
    changes = []
    for record in records:
        before = prior.get(record.previous_id)
        if record.history_type == "+":
            changes.append(Change(record.history_date, _who(record), "added",
                                  subject(record), item_of(record)))
        elif record.history_type == "-":
            changes.append(Change(record.history_date, _who(record), "deleted",
                                  subject(record), item_of(record)))
        elif record.history_user_id is None and (before is None or before.history_user_id is None):
            # Userless edits straight after a userless start are a data load (loaddata sets
            # many-to-many fields after saving, and that makes records), not a reader's change.
            continue
        else:
            details = _diff(model, before, record, themes,
                            m2m.get(before.history_id) if before else None,
                            m2m.get(record.history_id)) if before else []
            if before is None or details:
                changes.append(Change(record.history_date, _who(record), "changed",
                                      subject(record), item_of(record), details))
    return changes


def _action_subject(record) -> str:
    return f"Action “{Truncator(record.text).chars(80)}”"


def item_changes(item: PlanItem) -> list[Change]:
    """Every recorded change to an item, its actions and its update log, newest first."""
    themes = dict(Theme.objects.filter(plan_id=item.theme.plan_id).values_list("pk", "title"))
    changes = (
        _changes(PlanItem, PlanItem.history.filter(id=item.pk),
                 subject=lambda r: f"Item {r.ref}", item_of=lambda r: r.id, themes=themes)
        + _changes(PlanAction, PlanAction.history.filter(item_id=item.pk),
                   subject=_action_subject, item_of=lambda r: r.item_id, themes=themes)
        + _changes(PlanItemUpdate, PlanItemUpdate.history.filter(item_id=item.pk),
                   subject=lambda r: f"Update log entry of {r.date.day} {r.date:%B %Y}",
                   item_of=lambda r: r.item_id, themes=themes)
    )
    return sorted(changes, key=lambda c: c.when, reverse=True)


def plan_changes(plan: ActionPlan, *, limit: int = 100) -> list[Change]:
    """The latest `limit` changes anywhere in the plan, newest first."""
    themes = dict(Theme.objects.filter(plan=plan).values_list("pk", "title"))
    item_ids = PlanItem.objects.filter(theme__plan=plan).values("pk")
    changes = (
        _changes(Theme, Theme.history.filter(plan_id=plan.pk),
                 subject=lambda r: f"Theme “{r.title}”", item_of=lambda r: None,
                 themes=themes, limit=limit)
        + _changes(PlanItem, PlanItem.history.filter(theme_id__in=list(themes)),
                   subject=lambda r: f"Item {r.ref}", item_of=lambda r: r.id,
                   themes=themes, limit=limit)
        + _changes(PlanAction, PlanAction.history.filter(item_id__in=item_ids),
                   subject=_action_subject, item_of=lambda r: r.item_id,
                   themes=themes, limit=limit)
        + _changes(PlanItemUpdate, PlanItemUpdate.history.filter(item_id__in=item_ids),
                   subject=lambda r: f"Update log entry of {r.date.day} {r.date:%B %Y}",
                   item_of=lambda r: r.item_id, themes=themes, limit=limit)
    )
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]
