"""The risk page's key risk indicators: each indicator's values over the quarters the page
shows, as a plotly chart (drawn from a static file, as the dashboard's) beside a table that
gives the same figures in words. One query (none of its own on the risk page, which reads
the values with its other rows)."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from .fast_html import json_script
from .models import IndicatorValue, Risk
from .models.indicators import Direction, number


@dataclass
class IndicatorChart:
    indicator_id: int
    name: str  # as the latest quarter shown records it
    unit: str
    thresholds: str
    values: list[IndicatorValue] = field(default_factory=list)  # oldest first

    @property
    def element_id(self) -> str:
        return f"chart-indicator-{self.indicator_id}"

    @property
    def out_of_threshold(self) -> bool:
        return self.values[-1].out_of_threshold

    @property
    def tag_colour(self) -> str:
        return self.values[-1].tag_colour

    @property
    def figure_script(self) -> SafeString:
        return json_script(self.element_id, indicator_figure(self))


def indicator_values(risk: Risk, periods) -> QuerySet:
    """The values indicator_charts() draws (unordered, with their indicators) in `periods`
    (ids, or a query of them): to read with the page's other rows (risks.together)."""
    return (IndicatorValue.objects.filter(indicator__risk=risk, period_id__in=periods)
            .select_related("indicator"))


def charts_of(values: list[IndicatorValue], periods: dict[int, object]) -> list[IndicatorChart]:
    """The charts of indicator_values()' rows: by the indicators' order, oldest quarter first."""
    charts: dict[int, IndicatorChart] = {}
    for v in sorted(values, key=lambda v: (v.indicator.order, v.indicator_id,
                                           periods[v.period_id].start)):
        v.period = periods[v.period_id]
        chart = charts.get(v.indicator_id)
        if chart is None:
            chart = charts[v.indicator_id] = IndicatorChart(v.indicator_id, v.name, v.unit, "")
        chart.values.append(v)
        chart.name, chart.unit, chart.thresholds = v.name, v.unit, v.thresholds
    return list(charts.values())


def indicator_charts(risk: Risk, periods: dict[int, object]) -> list[IndicatorChart]:
    """The risk's indicators with their values in `periods` (id to period: the quarters the
    page shows the person, so readers get approved quarters only), oldest quarter first."""
    return charts_of(list(indicator_values(risk, list(periods))), periods)


def indicator_figure(chart: IndicatorChart) -> dict:
    """A plotly figure (plain dict in plotly's JSON schema, as risks.dashboard writes it): the
    values by quarter, with the latest quarter's green and amber limits as dashed lines."""
    last = chart.values[-1]
    higher = last.direction == Direction.HIGHER_IS_WORSE
    shapes, annotations = [], []
    for limit, label in ((last.green_limit, "Green"), (last.amber_limit, "Amber")):
        shapes.append({
            "type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y",
            "y0": float(limit), "y1": float(limit),
            "line": {"color": "#0b0c0c", "dash": "dash", "width": 1},
        })
        annotations.append({
            "text": f"{label} {'up' if higher else 'down'} to {number(limit)}",
            "showarrow": False, "xref": "x domain", "x": 1, "xanchor": "left", "xshift": 4,
            "yref": "y", "y": float(limit), "yanchor": "middle",
        })
    return {
        "data": [{
            "type": "scatter",
            "x": [v.period.name for v in chart.values],
            "y": [float(v.value) for v in chart.values],
            "text": [v.rag_label for v in chart.values],
            "mode": "lines+markers",
            "name": chart.name,
            "line": {"color": "#1d70b8", "width": 3},
            "marker": {"size": 9},
            "hovertemplate": "%{x}: %{y} (%{text})<extra></extra>",
        }],
        "layout": {
            "template": {"data": {"scatter": [{"type": "scatter"}]}},
            "height": 260,
            "margin": {"l": 60, "r": 120, "t": 20, "b": 50},
            "font": {"family": "arial, sans-serif", "color": "#0b0c0c"},
            "yaxis": {"title": {"text": chart.unit or "Value"}, "rangemode": "tozero"},
            "xaxis": {"title": {"text": "Quarter"}, "type": "category"},
            "showlegend": False,
            "shapes": shapes,
            "annotations": annotations,
        },
        "config": {"displayModeBar": False, "responsive": True},
    }
