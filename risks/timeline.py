"""The risk page's timeline: who changed what, and when, from django-simple-history.

Apps that build on risks (controls) add their own entries through register(), so that risks
never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .models import Assessment, Risk

TIMELINE_LIMIT = 200


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    long: bool = False  # free text: shown in full beneath, not inline


@dataclass
class Entry:
    when: datetime
    who: str
    title: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)
    in_open_period: bool = False  # work in progress: shown to those who may edit the risk


@dataclass(frozen=True)
class Tracked:
    name: str
    label: str
    long: bool = False


Source = Callable[[Risk], Iterable[Entry]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def for_risk(risk: Risk, limit: int = TIMELINE_LIMIT) -> list[Entry]:
    entries = [*_risk_entries(risk), *_assessment_entries(risk)]
    for source in _sources:
        entries.extend(source(risk))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _display(record, name: str) -> str:
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    getter = getattr(record, f"get_{name}_display", None)
    return str(getter() if getter else value)


def _raw(record, name: str):
    # Compare foreign keys by id, so that diffing never fetches the related row.
    return getattr(record, record._meta.get_field(name).attname)


def who(record) -> str:
    user = record.history_user
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def entries_from_history(
    records: Iterable,
    *,
    object_key: Callable,
    fields: list[Tracked],
    title: Callable[[object], str],
    show_created_values: bool = False,
    in_open_period: Callable[[object], bool] = lambda record: False,
) -> list[Entry]:
    """One entry per historical record, diffed against the same object's record before it.

    `records` must be ordered oldest first; everything is compared in memory (no queries).
    """
    previous: dict = {}
    entries = []
    for record in records:
        key = object_key(record)
        before = previous.get(key)
        previous[key] = record
        if before is None and record.history_type == "~" and not record.history_change_reason:
            continue  # rows loaded raw (the seed) have no creation record to diff against
        if record.history_type == "+" or before is None:
            changes = [
                Change(f.label, "", _display(record, f.name), f.long)
                for f in fields
                if show_created_values and _raw(record, f.name) not in (None, "")
            ]
        else:
            changes = [
                Change(f.label, _display(before, f.name), _display(record, f.name), f.long)
                for f in fields
                if _raw(before, f.name) != _raw(record, f.name)
            ]
            if not changes and not record.history_change_reason:
                continue  # a save that changed nothing anyone reads (a version bump)
        if record.history_type == "-":
            reason = "Deleted"
        elif record.history_type == "+":
            reason = record.history_change_reason or "Created"
        else:
            reason = record.history_change_reason or "Changed"
        entries.append(
            Entry(
                when=record.history_date,
                who=who(record),
                title=title(record),
                reason=reason,
                changes=changes,
                in_open_period=in_open_period(record),
            )
        )
    return entries


RISK_FIELDS = [
    Tracked("title", "Title"),
    Tracked("description", "Description", long=True),
    Tracked("description_agreed", "Description agreed"),
    Tracked("horizon", "Horizon"),
    Tracked("owner", "Risk owner"),
    Tracked("target_likelihood", "Target likelihood"),
    Tracked("target_impact", "Target impact"),
    Tracked("appetite", "Appetite", long=True),
    Tracked("is_active", "Active"),
]

ASSESSMENT_FIELDS = [
    Tracked("likelihood", "Likelihood"),
    Tracked("impact", "Impact"),
    Tracked("score_change_source", "Why the score changed"),
    Tracked("trend", "Trend"),
    Tracked("progress", "Progress towards target"),
    Tracked("reasons", "Reasons", long=True),
    Tracked("commentary", "Commentary", long=True),
    Tracked("state", "State"),
    Tracked("review_comment", "Review comment", long=True),
]


def _risk_entries(risk: Risk) -> list[Entry]:
    records = (
        Risk.history.filter(id=risk.pk)
        .select_related("history_user", "owner")
        .order_by("history_date", "history_id")
    )
    return entries_from_history(
        records, object_key=lambda r: r.id, fields=RISK_FIELDS, title=lambda r: "Risk details"
    )


def _assessment_entries(risk: Risk) -> list[Entry]:
    records = (
        Assessment.history.filter(risk_id=risk.pk)
        .select_related("history_user", "period")
        .order_by("history_date", "history_id")
    )
    return entries_from_history(
        records,
        object_key=lambda r: r.id,
        fields=ASSESSMENT_FIELDS,
        title=lambda r: f"{r.period.name} update",
        in_open_period=lambda r: r.period.is_open,
    )
