"""The register page's rows: its filters (read from the query string), sorts and grouping.

A page of rows costs one query however many risks the register holds; the tests in
tests/risks/ pin the numbers with 10 and with 500 risks.
"""

from collections import defaultdict

from django import forms
from django.db.models import F, QuerySet

from .fast_html import QuickSelect
from .models import (
    RAG_FOR_PROGRESS,
    Assessment,
    Horizon,
    Pillar,
    Progress,
    Rag,
    ReportingPeriod,
    Trend,
    short_term_first,
)
from .pages import url_maker
from .scoring import Scale, bands

SORTS = {
    "ref": ("Reference", [F("ref").asc()]),
    "score": ("Current score, highest first", [F("score_value").desc(nulls_last=True), "ref"]),
    "title": ("Title", ["title", "ref"]),
    "owner": ("Risk owner", ["owner_name", "ref"]),
}

ANY = [("", "Any")]


class RegisterFilterForm(forms.Form):
    """The register's filters, read from the query string; each name is part of shared URLs."""

    horizon = forms.ChoiceField(
        label="Horizon", required=False, widget=QuickSelect, choices=ANY + Horizon.choices
    )
    owner = forms.TypedChoiceField(
        label="Risk owner", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    rag = forms.ChoiceField(
        label="RAG status", required=False, widget=QuickSelect, choices=ANY + Rag.choices
    )
    progress = forms.ChoiceField(
        label="Progress towards target", required=False, widget=QuickSelect,
        choices=ANY + Progress.choices,
    )
    trend = forms.ChoiceField(
        label="Trend", required=False, widget=QuickSelect, choices=ANY + Trend.choices
    )
    pillar = forms.TypedChoiceField(
        label="Pillar", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    band = forms.ChoiceField(label="Score band", required=False, widget=QuickSelect)
    likelihood = forms.TypedChoiceField(
        label="Likelihood", required=False, coerce=int, empty_value=None, widget=QuickSelect,
        choices=ANY + [(str(v), label) for v, label in Scale.choices],
    )
    impact = forms.TypedChoiceField(
        label="Impact", required=False, coerce=int, empty_value=None, widget=QuickSelect,
        choices=ANY + [(str(v), label) for v, label in Scale.choices],
    )
    sort = forms.ChoiceField(
        label="Sort by", required=False, widget=QuickSelect,
        choices=[(k, v[0]) for k, v in SORTS.items()],
    )

    def __init__(self, data, *, owners: list[tuple[int, str]], pillars: list[Pillar]):
        super().__init__(data)
        self.fields["owner"].choices = ANY + [(str(pk), name) for pk, name in owners]
        self.fields["pillar"].choices = ANY + [(str(p.pk), p.name) for p in pillars]
        self.fields["band"].choices = ANY + [(b.key, b.label) for b in bands()]
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "govuk-select govuk-!-width-full"
            if self.is_bound and name in self.errors:
                f.widget.attrs["aria-describedby"] = f"id_{name}-error"

    def filters(self) -> dict:
        """The valid, non-empty filters; an invalid value is reported and otherwise ignored."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {k: v for k, v in cleaned.items() if v not in (None, "") and k != "sort"}

    @property
    def sort_key(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("sort") or "ref"


def owner_choices(rows: QuerySet[Assessment]) -> list[tuple[int, str]]:
    """(id, name) of each post that owns a risk among the rows (a quarter's record), by name."""
    return sorted(
        set(rows.exclude(owner=None).values_list("owner_id", "owner_name").order_by()),
        key=lambda pair: (pair[1], pair[0]),
    )


# The columns the register table shows: long texts it does not (commentary, reasons, review
# comments) stay in the database.
REGISTER_ROW_FIELDS = [
    "risk_id", "period_id", "likelihood", "impact", "trend", "progress", "state",
    "not_rated", "not_rated_reason", "ref", "title", "description", "description_agreed",
    "horizon", "owner_id", "owner_name", "lead_names", "target_likelihood", "target_impact",
    "retired", "tolerance",
]


def register_rows(rows: QuerySet[Assessment], filters: dict, sort: str = "ref") -> QuerySet[Assessment]:
    """The register as a quarter records it (`rows`: Assessment.objects.shown()), filtered
    and sorted. Short-term risks come first, as Appendix A sets them out. A page of rows is
    one query: each row carries the risk as its quarter recorded it."""
    rows = rows.only(*REGISTER_ROW_FIELDS).annotate(
        score_value=F("likelihood") * F("impact"),
        horizon_order=short_term_first("horizon"),
    )
    if "horizon" in filters:
        rows = rows.filter(horizon=filters["horizon"])
    if "owner" in filters:
        rows = rows.filter(owner_id=filters["owner"])
    if "rag" in filters:
        rows = rows.filter(
            progress__in=[p for p, rag in RAG_FOR_PROGRESS.items() if rag == filters["rag"]]
        )
    if "progress" in filters:
        rows = rows.filter(progress=filters["progress"])
    if "trend" in filters:
        rows = rows.filter(trend=filters["trend"])
    if "pillar" in filters:
        rows = rows.filter(pillar_links__pillar=filters["pillar"])
    if "band" in filters:
        band = next(b for b in bands() if b.key == filters["band"])
        rows = rows.filter(score_value__gte=band.low, score_value__lte=band.high)
    if "likelihood" in filters:
        rows = rows.filter(likelihood=filters["likelihood"])
    if "impact" in filters:
        rows = rows.filter(impact=filters["impact"])
    return rows.order_by("horizon_order", *SORTS.get(sort, SORTS["ref"])[1])


# GOV.UK tag colours: one per meaning across the service (risks/includes/rag_tag.html).
RAG_TAGS = {Rag.GREEN: "green", Rag.AMBER: "yellow", Rag.RED: "red"}
TREND_LABELS = dict(Trend.choices)
PROGRESS_LABELS = dict(Progress.choices)
STATE_LABELS = dict(Assessment.State.choices)


def record_note(a: Assessment, period: ReportingPeriod, periods: dict[int, str]) -> tuple[str, str]:
    """(words, tag colour) that say where a row of `period`'s register stands, if anything
    needs saying: retired, never approved by a closed quarter, still in progress, or the
    last approved update of an earlier quarter (AssessmentQuerySet.shown)."""
    if a.retired:
        return "Retired", "grey"
    if a.period_id != period.pk:
        return f"Last approved in {periods.get(a.period_id, 'an earlier quarter')}", "grey"
    if a.state == Assessment.State.APPROVED:
        return "", ""
    if not period.is_open:
        return "Not approved", "red"
    return STATE_LABELS.get(a.state, a.state), a.state_tag_colour


def group_by_horizon(
    rows, period: ReportingPeriod, periods: list[ReportingPeriod]
) -> list[tuple[str, str, list[Assessment]]]:
    """(horizon value, label, rows) for each horizon present, short-term first.

    Each row also gets what the register table shows, looked up here once rather than by
    model methods in the template (a page is 50 rows): risk_url, trend_label, progress_label,
    the RAG tag's colour and a record note (record_note())."""
    groups: dict[str, list[Assessment]] = defaultdict(list)
    risk_url = url_maker("risks:risk")
    names = {p.pk: p.name for p in periods}
    for a in rows:
        a.risk_url = risk_url(a.risk_id)
        a.trend_label = TREND_LABELS.get(a.trend, a.trend)
        a.progress_label = PROGRESS_LABELS.get(a.progress, a.progress)
        a.rag_tag = RAG_TAGS.get(a.rag, "grey")
        a.record_note, a.record_tag = record_note(a, period, names)
        groups[a.horizon].append(a)
    return [(value, label, groups[value]) for value, label in Horizon.choices if groups[value]]
