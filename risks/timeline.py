"""The risk page's timeline: who changed what, and when, from django-simple-history.

Apps that build on risks (controls) add their own entries through register(), so that risks
never imports them. The records are read and compared by risks.history.
"""

from collections.abc import Callable, Iterable

from .history import FieldChange, HistoryEntry, Tracked, timeline_entries, who
from .models import Assessment, Indicator, IndicatorValue, Risk, RiskLead

TIMELINE_LIMIT = 200

Source = Callable[[Risk], Iterable[HistoryEntry]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def for_risk(risk: Risk, limit: int = TIMELINE_LIMIT) -> list[HistoryEntry]:
    entries = [*_risk_entries(risk), *_lead_entries(risk), *_assessment_entries(risk),
               *_indicator_entries(risk)]
    for source in _sources:
        entries.extend(source(risk))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


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


def _risk_entries(risk: Risk) -> list[HistoryEntry]:
    records = (
        Risk.history.filter(id=risk.pk)
        .select_related("history_user", "owner", "appetite_theme", "appetite_level")
        .order_by("history_date", "history_id")
    )
    return timeline_entries(records, fields=RISK_FIELDS, title=lambda r: "Risk details")


LEAD_CHANGES = {"+": "Added", "~": "Moved", "-": "Removed"}


def _lead_entries(risk: Risk) -> list[HistoryEntry]:
    """Each working lead added, moved or removed, with its place in the order."""
    records = (
        RiskLead.history.filter(risk_id=risk.pk)
        .select_related("history_user", "post")
        .order_by("history_date", "history_id")
    )
    return [
        HistoryEntry(
            when=r.history_date, who=who(r), title="Working leads",
            reason=r.history_change_reason or LEAD_CHANGES[r.history_type],
            changes=[FieldChange("Working lead", "", f"{r.post.name} (number {r.order + 1})")],
        )
        for r in records
    ]


def _assessment_entries(risk: Risk) -> list[HistoryEntry]:
    records = (
        Assessment.history.filter(risk_id=risk.pk)
        .select_related("history_user", "period")
        .order_by("history_date", "history_id")
    )
    return timeline_entries(
        records,
        fields=ASSESSMENT_FIELDS,
        title=lambda r: f"{r.period.name} update",
        in_open_period=lambda r: r.period.is_open,
    )


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


def _indicator_entries(risk: Risk) -> list[HistoryEntry]:
    """The risk's key risk indicators as the team kept them, and each quarter's values as the
    owner entered them (two queries)."""
    indicators = (
        Indicator.history.filter(risk_id=risk.pk)
        .select_related("history_user", "owner")
        .order_by("history_date", "history_id")
    )
    values = (
        IndicatorValue.history.filter(indicator__risk_id=risk.pk)
        .select_related("history_user", "period")
        .order_by("history_date", "history_id")
    )
    return [
        *timeline_entries(indicators, fields=INDICATOR_FIELDS,
                          title=lambda r: f"Key risk indicator “{r.name}”"),
        *timeline_entries(values, fields=VALUE_FIELDS,
                          title=lambda r: f"Key risk indicator “{r.name}” in {r.period.name}",
                          show_created_values=True, in_open_period=lambda r: r.period.is_open),
    ]
