"""Heat maps: a 4 x 4 likelihood x impact grid per horizon, built from one aggregate query.

The same HeatMap objects feed the pages (risks/heatmap_table.html) and the Audit Panel PDF,
so nothing here knows about requests; cell links are built only when a `link` URL is given.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import CharField, StringAgg, Value
from django.db.models.functions import Cast

from .models import Assessment, Horizon, Register, ReportingPeriod
from .scoring import SCALE_RANGE, Band, Scale, band_for, position_label, position_words

# Rows run from Very High likelihood at the top to Low at the bottom, as risk matrices are drawn.
LIKELIHOODS = list(reversed(SCALE_RANGE))
IMPACTS = list(SCALE_RANGE)

# Direction of travel on the drawn grid: (likelihood step, impact step) -> arrow.
# Likelihood rises up the page and impact to the right.
_ARROWS = {
    (-1, -1): "↙", (-1, 0): "↓", (-1, 1): "↘",
    (0, -1): "←", (0, 0): "", (0, 1): "→",
    (1, -1): "↖", (1, 0): "↑", (1, 1): "↗",
}


def _step(a: int, b: int) -> int:
    return (b > a) - (b < a)


@dataclass(frozen=True)
class Movement:
    """One risk's journey from its current cell to its target cell."""

    ref: int
    likelihood: int
    impact: int
    target_likelihood: int | None
    target_impact: int | None

    @property
    def position(self) -> str:
        return position_label(self.likelihood, self.impact)

    @property
    def target_position(self) -> str:
        return position_label(self.target_likelihood, self.target_impact)

    @property
    def has_target(self) -> bool:
        return self.target_likelihood is not None

    @property
    def at_target(self) -> bool:
        return (self.likelihood, self.impact) == (self.target_likelihood, self.target_impact)

    @property
    def arrow(self) -> str:
        if not self.has_target:
            return ""
        return _ARROWS[
            (_step(self.likelihood, self.target_likelihood), _step(self.impact, self.target_impact))
        ]

    @property
    def sentence(self) -> str:
        """What the arrow draws, in words, for screen readers and the list under the map."""
        here = position_words(self.likelihood, self.impact)
        if not self.has_target:
            return f"Risk {self.ref} is at {here}; it has no target set."
        if self.at_target:
            return f"Risk {self.ref} is at {here}, which is its target."
        there = position_words(self.target_likelihood, self.target_impact)
        return f"Risk {self.ref} is at {here}; its target is {there}."


@dataclass
class Cell:
    likelihood: int
    impact: int
    band: Band
    movements: list[Movement] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    url: str = ""

    @property
    def count(self) -> int:
        return len(self.movements)

    @property
    def position(self) -> str:
        return position_label(self.likelihood, self.impact)

    @property
    def words(self) -> str:
        return position_words(self.likelihood, self.impact)


@dataclass
class Row:
    likelihood: int
    label: str
    cells: list[Cell]


@dataclass
class HeatMap:
    register: Register
    period: ReportingPeriod
    horizon: str
    rows: list[Row]
    movements: list[Movement]
    unscored: list[int]

    @property
    def horizon_label(self) -> str:
        return Horizon(self.horizon).label

    @property
    def caption(self) -> str:
        return f"{self.horizon_label} heat map, {self.period.name}"

    @property
    def impacts(self) -> list[str]:
        return [Scale(i).label for i in IMPACTS]

    @property
    def dom_id(self) -> str:
        return f"heatmap-{self.horizon}-{self.period.slug}"

    @property
    def count(self) -> int:
        return len(self.movements)


def _empty_rows() -> dict[tuple[int, int], Cell]:
    return {
        (lik, imp): Cell(likelihood=lik, impact=imp, band=band_for(lik * imp))
        for lik in LIKELIHOODS
        for imp in IMPACTS
    }


def heat_maps(
    register: Register, period: ReportingPeriod, *, link: str = ""
) -> list[HeatMap]:
    """Both horizons' maps for one register and period, from a single aggregate query.

    `link` is the register page's URL: when given, each non-empty cell links to the register
    filtered to that period, horizon and cell. The PDF passes nothing and gets no links.
    """
    # One row per (horizon, current cell, target cell): at most 2 x 17 x 17 rows however many
    # risks there are, and the refs in each group say which risks moved from where to where.
    groups = (
        Assessment.objects.filter(period=period, risk__register=register)
        .values(
            "risk__horizon", "likelihood", "impact",
            "risk__target_likelihood", "risk__target_impact",
        )
        .annotate(refs=StringAgg(Cast("risk__ref", CharField()), Value(",")))
        .order_by()
    )
    cells = {h: _empty_rows() for h in Horizon.values}
    movements: dict[str, list[Movement]] = defaultdict(list)
    unscored: dict[str, list[int]] = defaultdict(list)
    for g in groups:
        horizon = g["risk__horizon"]
        refs = [int(r) for r in g["refs"].split(",")]
        if g["likelihood"] is None:
            unscored[horizon].extend(refs)
            continue
        for ref in refs:
            movement = Movement(
                ref=ref,
                likelihood=g["likelihood"],
                impact=g["impact"],
                target_likelihood=g["risk__target_likelihood"],
                target_impact=g["risk__target_impact"],
            )
            movements[horizon].append(movement)
            cells[horizon][(movement.likelihood, movement.impact)].movements.append(movement)
            if movement.has_target:
                cells[horizon][(movement.target_likelihood, movement.target_impact)].targets.append(
                    ref
                )

    maps = []
    for horizon in Horizon.values:
        for cell in cells[horizon].values():
            cell.movements.sort(key=lambda m: m.ref)
            cell.targets.sort()
            if link and cell.count:
                cell.url = link + "?" + urlencode(
                    {
                        "period": period.slug,
                        "horizon": horizon,
                        "likelihood": cell.likelihood,
                        "impact": cell.impact,
                    }
                )
        rows = [
            Row(
                likelihood=lik,
                label=Scale(lik).label,
                cells=[cells[horizon][(lik, imp)] for imp in IMPACTS],
            )
            for lik in LIKELIHOODS
        ]
        maps.append(
            HeatMap(
                register=register,
                period=period,
                horizon=horizon,
                rows=rows,
                movements=sorted(movements[horizon], key=lambda m: m.ref),
                unscored=sorted(unscored[horizon]),
            )
        )
    return maps
