"""The dashboard: counts of a period's risks by RAG, progress and trend per register, and each
risk's score over the quarters as a chart (plotly, drawn from a static file) beside a table."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from .fast_html import count_row_html, json_script
from .models import (
    RAG_FOR_PROGRESS,
    Assessment,
    IndicatorValue,
    Progress,
    Rag,
    Register,
    ReportingPeriod,
    Risk,
    Trend,
)
from .scoring import ALL_SCORES, band_for, bands, position_label


@dataclass
class Tally:
    key: str
    label: str
    count: int


@dataclass
class CountRow:
    register: Register
    tallies: list[Tally]
    total: int
    kind: str = ""
    url: str = ""  # the register page in the period counted
    breaches: int = 0  # risks whose current score is above their tolerance
    indicators_out: int = 0  # key risk indicators out of threshold, of the updates counted

    @property
    def html(self) -> SafeString:
        return count_row_html(self)


@dataclass
class CountTable:
    """One measure (RAG, progress or trend): registers as rows, the measure's values as columns.

    `kind` is also the register page's filter name, so each count links to its risks.
    """

    kind: str
    caption: str
    columns: list[str]
    rows: list[CountRow]


NOT_GIVEN = "Not assessed"
MEASURES = [
    ("rag", "RAG status", Rag.choices),
    ("progress", "Progress towards target", Progress.choices),
    ("trend", "Trend", Trend.choices),
]


# How many of an update's key risk indicators are out of threshold in its quarter: a subquery
# summed in the counts' own aggregate, so it costs the dashboard no query.
_out_of_threshold = (
    IndicatorValue.objects.filter(period=OuterRef("period"), indicator__risk=OuterRef("risk"))
    .out_of_threshold().order_by().values("period").annotate(n=Count("pk")).values("n")
)


def dashboard_counts(
    registers: list[Register], period: ReportingPeriod, user=None
) -> list[CountTable]:
    """Counts by RAG, progress and trend per register for one period, of what counts as
    `user` may see it (AssessmentQuerySet.shown and counted): one aggregate query."""
    url = {r.pk: f"{r.get_absolute_url()}?{urlencode({'period': period.slug})}" for r in registers}
    per_register: dict[int, Counter] = defaultdict(Counter)
    for row in (
        Assessment.objects.filter(risk__register__in=registers).shown(period, user).counted()
        .values("risk__register_id", "progress", "trend")
        .annotate(n=Count("pk"), breaches=Count("pk", filter=Q(
            tolerance__isnull=False, tolerance__lt=F("likelihood") * F("impact"))),
            indicators_out=Sum(Coalesce(Subquery(_out_of_threshold), 0)))
        .order_by()
    ):
        c = per_register[row["risk__register_id"]]
        c[("progress", row["progress"])] += row["n"]
        c[("trend", row["trend"])] += row["n"]
        c[("rag", RAG_FOR_PROGRESS.get(row["progress"], ""))] += row["n"]
        c["total"] += row["n"]
        c["breaches"] += row["breaches"]
        c["indicators_out"] += row["indicators_out"] or 0
    tables = []
    for kind, caption, choices in MEASURES:
        values = [*choices, ("", NOT_GIVEN)]
        rows = [
            CountRow(
                register=register,
                tallies=[
                    Tally(value, label, per_register[register.pk][(kind, value)])
                    for value, label in values
                ],
                total=per_register[register.pk]["total"],
                kind=kind,
                url=url[register.pk],
                breaches=per_register[register.pk]["breaches"],
                indicators_out=per_register[register.pk]["indicators_out"],
            )
            for register in registers
        ]
        tables.append(
            CountTable(
                kind=kind, caption=caption, columns=[label for _, label in values], rows=rows
            )
        )
    return tables


# Charts of each risk's score over the quarters ----------------------------------------------

@dataclass
class Point:
    period: str
    position: str
    score: int | None
    band: str
    start: datetime.date | None = None  # the quarter's first day, to find the latest


@dataclass
class RiskChart:
    risk: Risk | Assessment  # the risk, or a quarter's record of it (its ref, title, target)
    points: list[Point]
    figure: dict

    @property
    def risk_id(self) -> int:
        return self.risk.risk_id if isinstance(self.risk, Assessment) else self.risk.pk

    @property
    def element_id(self) -> str:
        return f"chart-risk-{self.risk_id}"

    @property
    def figure_script(self) -> SafeString:
        """The figure in a <script type="application/json">, as json_script writes it."""
        return json_script(self.element_id, self.figure)


def score_histories(risks: list[Risk | Assessment], up_to: ReportingPeriod) -> list[RiskChart]:
    """Each risk's score and band over the quarters up to `up_to` (one query). A risk may be
    given as a quarter's record of it, whose ref, title and target the chart then shows.

    Only what was reported counts: approved updates (a quarter that closed incomplete never
    approved the rest), while the risk was on the register.
    """
    points: dict[int, list[Point]] = defaultdict(list)
    ids = [r.risk_id if isinstance(r, Assessment) else r.pk for r in risks]
    for row in (
        Assessment.objects.filter(risk__in=ids, period__start__lte=up_to.start)
        .filter(state=Assessment.State.APPROVED, retired=False)
        .values("risk_id", "period__name", "period__start", "likelihood", "impact")
        .order_by("risk_id", "period__start")
    ):
        score = (
            row["likelihood"] * row["impact"] if row["likelihood"] is not None else None
        )
        band = band_for(score)
        points[row["risk_id"]].append(
            Point(
                period=row["period__name"],
                position=position_label(row["likelihood"], row["impact"]) or "Not scored",
                score=score,
                band=band.label if band else "Not scored",
                start=row["period__start"],
            )
        )
    return [
        RiskChart(risk=r, points=points[pk], figure=score_figure(r, points[pk]))
        for r, pk in zip(risks, ids, strict=True)
    ]


def last_charted(charts: list[RiskChart]) -> str:
    """The name of the latest quarter any of the charts reaches ("" if none has a point): the
    charts show approved updates only, so an open quarter's drafts are not in them."""
    last = max((c.points[-1] for c in charts if c.points), key=lambda p: p.start, default=None)
    return last.period if last else ""


def score_figure(risk: Risk | Assessment, points: list[Point]) -> dict:
    """A plotly figure of one risk's score by quarter, as the plain dict json_script writes.

    Written straight in plotly's JSON schema: building it with plotly.graph_objects (the
    hline, one hrect per band) took 40 ms a chart, most of the dashboard's time. The dict is
    what Figure.to_dict() gave for the same figure (template "none", shapes spanning the
    x domain, each with its annotation).
    """
    shapes, annotations = [], []
    if risk.target_score is not None:
        # A line across the whole plot: with one quarter so far a two-point trace would not show.
        shapes.append({
            "type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y",
            "y0": risk.target_score, "y1": risk.target_score,
            "line": {"color": "#0b0c0c", "dash": "dash", "width": 2},
        })
        annotations.append({
            "text": f"Target {risk.target_score}", "showarrow": False,
            "xref": "x domain", "x": 0, "xanchor": "left",
            "yref": "y", "y": risk.target_score, "yanchor": "bottom",
        })
    for band in bands():
        y0, y1 = band.low - 0.5, band.high + 0.5
        shapes.append({
            "type": "rect", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y0, "y1": y1,
            "fillcolor": band.fill, "opacity": 0.6,
            "line": {"width": 0}, "layer": "below",
        })
        # In the right margin, outside the plot: inside it the labels sat on the points.
        annotations.append({
            "text": band.label, "showarrow": False,
            "xref": "x domain", "x": 1, "xanchor": "left", "xshift": 4,
            "yref": "y", "y": (y0 + y1) / 2, "yanchor": "middle",
        })
    return {
        "data": [{
            "type": "scatter",
            "x": [p.period for p in points],
            "y": [p.score for p in points],
            # Each point's band is the region it sits in, named in the margin and the table:
            # the text is for the hover label only, not drawn beside the point.
            "mode": "lines+markers",
            "text": [p.band if p.score is not None else "" for p in points],
            "name": "Current score",
            "line": {"color": "#1d70b8", "width": 3},
            "marker": {"size": 9},
            "hovertemplate": "%{x}: score %{y} (%{text})<extra></extra>",
        }],
        "layout": {
            "template": {"data": {"scatter": [{"type": "scatter"}]}},
            "height": 280,
            "margin": {"l": 50, "r": 90, "t": 20, "b": 50},
            "font": {"family": "arial, sans-serif", "color": "#0b0c0c"},
            "yaxis": {"title": {"text": "Score"}, "range": [0, 16.5], "tickvals": ALL_SCORES},
            "xaxis": {"title": {"text": "Quarter"}, "type": "category"},
            "showlegend": False,
            "shapes": shapes,
            "annotations": annotations,
        },
        "config": {"displayModeBar": False, "responsive": True},
    }
