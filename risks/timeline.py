"""The risk page's timeline: who changed what, and when, from django-simple-history.

Apps that build on risks (controls) add their own entries through register(), so that risks
never imports them. The records are read and compared by risks.history; every source's records
are read in one statement (risks.together), with whatever else the page reads beside them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .history import (
    FieldChange,
    HistoryEntry,
    Tracked,
    m2m_snapshot_rows,
    timeline_entries,
    who,
)
from .models import Assessment, Indicator, IndicatorValue, Risk, RiskLead
from .together import read_together

TIMELINE_LIMIT = 200


@dataclass
class Reading:
    """What a source reads (querysets, unordered: read together with the others) and how it
    makes entries of their rows (one list of rows a queryset, in their order)."""

    querysets: list[QuerySet]
    entries: Callable[..., list[HistoryEntry]]


Source = Callable[[Risk], Iterable[Reading]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def oldest_first(records: list) -> list:
    """History records as the timeline pairs them: by date, then as recorded."""
    return sorted(records, key=lambda r: (r.history_date, r.history_id))


@dataclass
class Plan:
    """A risk's timeline before its records are read: `querysets` to read (with others, in one
    statement), then entries() of their rows."""

    readings: list[Reading]
    limit: int

    @property
    def querysets(self) -> list[QuerySet]:
        return [qs for reading in self.readings for qs in reading.querysets]

    def entries(self, rows: list[list]) -> list[HistoryEntry]:
        result: list[HistoryEntry] = []
        at = 0
        for reading in self.readings:
            n = len(reading.querysets)
            result.extend(reading.entries(*rows[at:at + n]))
            at += n
        result.sort(key=lambda e: e.when, reverse=True)
        return result[:self.limit]


def plan(risk: Risk, limit: int = TIMELINE_LIMIT) -> Plan:
    readings = [_risk_entries(risk), _lead_entries(risk), _assessment_entries(risk),
                *_indicator_entries(risk)]
    for source in _sources:
        readings.extend(source(risk))
    return Plan(readings, limit)


def for_risk(risk: Risk, limit: int = TIMELINE_LIMIT) -> list[HistoryEntry]:
    """The risk's timeline, newest first: one query."""
    timeline = plan(risk, limit)
    return timeline.entries(read_together(timeline.querysets))


RISK_FIELDS = [
    Tracked("title", "Title"),
    Tracked("description", "Description", long=True),
    Tracked("description_agreed", "Description agreed"),
    Tracked("horizon", "Horizon"),
    Tracked("owner", "Risk owner"),
    Tracked("target_likelihood", "Target likelihood"),
    Tracked("target_impact", "Target impact"),
    Tracked("appetite", "Appetite", long=True),
    Tracked("appetite_theme", "Appetite theme"),
    Tracked("appetite_level", "Own appetite level"),
    Tracked("tolerance", "Tolerance"),
    Tracked("is_active", "Active"),
    Tracked("pillars", "Pillars"),
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


def _risk_entries(risk: Risk) -> Reading:
    records = Risk.history.filter(id=risk.pk).select_related(
        "history_user", "owner", "appetite_theme", "appetite_level")
    pillars = m2m_snapshot_rows(Risk.history.model, ["pillars"], id=risk.pk)["pillars"]
    return Reading([records, pillars], lambda records, pillars: timeline_entries(
        oldest_first(records), fields=RISK_FIELDS, title=lambda r: "Risk details",
        snapshot_rows={"pillars": pillars}))


LEAD_CHANGES = {"+": "Added", "~": "Moved", "-": "Removed"}


def _lead_entries(risk: Risk) -> Reading:
    """Each working lead added, moved or removed, with its place in the order."""
    records = RiskLead.history.filter(risk_id=risk.pk).select_related("history_user", "post")
    return Reading([records], lambda records: [
        HistoryEntry(
            when=r.history_date, who=who(r), title="Working leads",
            reason=r.history_change_reason or LEAD_CHANGES[r.history_type],
            changes=[FieldChange("Working lead", "", f"{r.post.name} (number {r.order + 1})")],
        )
        for r in oldest_first(records)
    ])


def _assessment_entries(risk: Risk) -> Reading:
    records = Assessment.history.filter(risk_id=risk.pk).select_related("history_user", "period")
    return Reading([records], lambda records: timeline_entries(
        oldest_first(records),
        fields=ASSESSMENT_FIELDS,
        title=lambda r: f"{r.period.name} update",
        in_open_period=lambda r: r.period.is_open,
    ))


INDICATOR_FIELDS = [
    Tracked("name", "Name"),
    Tracked("unit", "Unit"),
    Tracked("direction", "Which way is worse"),
    Tracked("green_limit", "Green limit"),
    Tracked("amber_limit", "Amber limit"),
    Tracked("source", "Source"),
    Tracked("owner", "Owner"),
    Tracked("is_active", "Active"),
]

VALUE_FIELDS = [
    Tracked("value", "Value"),
    Tracked("note", "Note", long=True),
]


def _indicator_entries(risk: Risk) -> list[Reading]:
    """The risk's key risk indicators as the team kept them, and each quarter's values as the
    owner entered them."""
    indicators = Indicator.history.filter(risk_id=risk.pk).select_related("history_user", "owner")
    values = IndicatorValue.history.filter(indicator__risk_id=risk.pk).select_related(
        "history_user", "period")
    return [
        Reading([indicators], lambda records: timeline_entries(
            oldest_first(records), fields=INDICATOR_FIELDS,
            title=lambda r: f"Key risk indicator “{r.name}”")),
        Reading([values], lambda records: timeline_entries(
            oldest_first(records), fields=VALUE_FIELDS,
            title=lambda r: f"Key risk indicator “{r.name}” in {r.period.name}",
            show_created_values=True, in_open_period=lambda r: r.period.is_open)),
    ]
