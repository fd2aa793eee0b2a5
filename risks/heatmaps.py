"""Heat maps: a 4 x 4 likelihood x impact grid per horizon, built from one aggregate query.

The same HeatMap objects feed the pages (risks/heatmap_table.html) and the Audit Panel PDF,
so nothing here knows about requests; cell links are built only when a `link` URL is given.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.db.models import CharField, F, Q, StringAgg, Value
from django.db.models.functions import Cast
from django.utils.safestring import SafeString, mark_safe

from . import fast_html
from .models import Assessment, Horizon, Register, ReportingPeriod
from .scoring import SCALE_RANGE, Band, Scale, band_for, position_label, position_words

# Rows run from Very High likelihood at the top to Low at the bottom, as risk matrices are drawn.
LIKELIHOODS = list(reversed(SCALE_RANGE))
IMPACTS = list(SCALE_RANGE)

# A map of more risks than this gives the number of risks in each cell instead of each risk's
# number: a 4 x 4 grid of hundreds of numbers cannot be read (a register of 1,000 risks drew
# 2,000 list items, 500 KB of page), and each cell's count links to the register's list of
# those risks with their positions and targets. The October 2021 maps hold 3 and 7 risks.
DETAIL_LIMIT = 150


def numbered(count: int) -> bool:
    """Whether a map or table of `count` risks gives each risk's number (see DETAIL_LIMIT)."""
    return count <= DETAIL_LIMIT

# Direction of the target on the drawn grid: (likelihood step, impact step) -> arrow.
# Likelihood rises up the page and impact to the right. Double arrows, always followed by
# "T" on the map (fast_html.movement_pieces): the trend's single arrows (↓ ↔ ↑) mean
# something else, and a risk's "2↓" read as an improving trend (issue 14).
_ARROWS = {
    (-1, -1): "⇙", (-1, 0): "⇓", (-1, 1): "⇘",
    (0, -1): "⇐", (0, 0): "", (0, 1): "⇒",
    (1, -1): "⇖", (1, 0): "⇑", (1, 1): "⇗",
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

    @property
    def cell_html(self) -> str:
        return fast_html.movement_cell_html(self.ref, self._pieces())

    @property
    def list_html(self) -> str:
        return fast_html.movement_list_html(self.ref, self._pieces())

    def _pieces(self) -> tuple[str, str, str]:
        return _movement_pieces(
            self.likelihood, self.impact, self.target_likelihood, self.target_impact
        )


@cache
def _movement_pieces(
    likelihood: int, impact: int, target_likelihood: int | None, target_impact: int | None
) -> tuple[str, str, str]:
    """The markup every risk with this current and target position shares."""
    m = Movement(0, likelihood, impact, target_likelihood, target_impact)
    return fast_html.movement_pieces(
        arrow=m.arrow, sentence=m.sentence.removeprefix("Risk 0 is at "), position=m.position,
        target_position=m.target_position if m.has_target else "", at_target=m.at_target,
    )


@cache
def _cell_words(likelihood: int, impact: int) -> tuple[str, str]:
    return position_label(likelihood, impact), position_words(likelihood, impact)


@dataclass
class Cell:
    likelihood: int
    impact: int
    band: Band
    movements: list[Movement] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    url: str = ""
    breaches: list[int] = field(default_factory=list)  # refs above their quarter's tolerance
    breach_count: int = 0
    # The risks here and the risks whose target is here (on a map too large for numbers,
    # the only record: movements and targets are then left empty).
    count: int = 0
    target_count: int = 0

    @property
    def position(self) -> str:
        return _cell_words(self.likelihood, self.impact)[0]

    @property
    def words(self) -> str:
        return _cell_words(self.likelihood, self.impact)[1]

    @property
    def refs_html(self) -> SafeString:
        """The <li> of each risk in this cell (see Movement.cell_html)."""
        # Only ints and the escaped pieces of _movement_pieces() go into this markup.
        return mark_safe("".join(m.cell_html for m in self.movements))  # noqa: S308

    @property
    def targets_html(self) -> SafeString:
        """A "T<ref>" marker for each risk whose target is this cell."""
        return fast_html.targets_html(self.targets)


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
    count: int = 0
    at_target: int = 0
    without_target: int = 0
    linked: bool = False  # whether cells' counts link to the register
    breaches: list[int] = field(default_factory=list)  # refs in breach of their tolerance

    @property
    def detailed(self) -> bool:
        """Whether each risk's number is drawn (see DETAIL_LIMIT)."""
        return numbered(self.count)

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
    def movements_html(self) -> SafeString:
        """The list under the map: one <li> per risk (see Movement.list_html)."""
        # Only ints and the escaped pieces of _movement_pieces() go into this markup.
        return mark_safe("".join(m.list_html + "\n  " for m in self.movements))  # noqa: S308


def _empty_rows() -> dict[tuple[int, int], Cell]:
    return {
        (lik, imp): Cell(likelihood=lik, impact=imp, band=band_for(lik * imp))
        for lik in LIKELIHOODS
        for imp in IMPACTS
    }


def heat_maps(
    register: Register, period: ReportingPeriod, *, rows=None, link: str = ""
) -> list[HeatMap]:
    """Both horizons' maps of `rows` (the quarter as a person may see it:
    AssessmentQuerySet.shown(); by default, the quarter's record), from a single aggregate
    query of those that count.

    `link` is the register page's URL: when given, each non-empty cell links to the register
    filtered to that period, horizon and cell. The PDF passes nothing and gets no links.
    """
    if rows is None:
        rows = Assessment.objects.of_register(register).shown(period, None)
    return build_heat_maps(register, period, heat_map_groups(rows), link=link)


def heat_map_groups(rows, *, by_pillar: bool = False):
    """The aggregate behind the heat maps: one row per (horizon, current cell, target cell),
    at most 2 x 17 x 17 rows however many risks there are, with the refs of its risks, of
    `rows` that count (AssessmentQuerySet.counted).

    With `by_pillar` the rows are split by pillar as well (`pillar`), so that the alignment
    table can be built from the same query (risks.alignment.maps_and_alignment); a risk with
    two pillars is then in two rows, and build_heat_maps() counts it once.
    """
    fields = ["horizon", "likelihood", "impact", "target_likelihood", "target_impact"]
    rows = rows.counted()
    if by_pillar:
        rows = rows.annotate(pillar=F("pillar_links__pillar"))
        fields.append("pillar")
    ref = Cast("ref", CharField())
    return (
        rows.values(*fields)
        .annotate(
            refs=StringAgg(ref, Value(",")),
            # Those whose current score is above the tolerance their quarter recorded.
            breached=StringAgg(ref, Value(","), filter=Q(
                tolerance__isnull=False, tolerance__lt=F("likelihood") * F("impact"))),
        )
        .order_by()
    )


def build_heat_maps(
    register: Register, period: ReportingPeriod, groups, *, link: str = ""
) -> list[HeatMap]:
    """Both horizons' maps from the rows of heat_map_groups() (no query of its own)."""
    # Each group's risks, once each (by_pillar rows repeat a risk with two pillars).
    placed: dict[str, list[tuple[int, int, tuple, list[int]]]] = defaultdict(list)
    unscored: dict[str, list[int]] = defaultdict(list)
    breached: dict[str, set[int]] = defaultdict(set)
    seen: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        horizon = g["horizon"]
        refs = [ref for ref in map(int, g["refs"].split(",")) if ref not in seen[horizon]]
        seen[horizon].update(refs)
        if g.get("breached"):
            breached[horizon].update(map(int, g["breached"].split(",")))
        if g["likelihood"] is None:
            unscored[horizon].extend(refs)
        elif refs:
            target = (g["target_likelihood"], g["target_impact"])
            placed[horizon].append((g["likelihood"], g["impact"], target, refs))

    maps = []
    for horizon in Horizon.values:
        cells = _empty_rows()
        heatmap = HeatMap(
            register=register, period=period, horizon=horizon, rows=[], movements=[],
            unscored=sorted(unscored[horizon]),
            count=sum(len(refs) for *_, refs in placed[horizon]), linked=bool(link),
        )
        detailed = heatmap.detailed
        for likelihood, impact, target, refs in placed[horizon]:
            # Every risk of a group moves alike: the same cell, the same target cell.
            cell = cells[(likelihood, impact)]
            cell.count += len(refs)
            in_breach = [ref for ref in refs if ref in breached[horizon]]
            cell.breach_count += len(in_breach)
            if detailed:
                cell.breaches.extend(in_breach)
            if target[0] is None:
                heatmap.without_target += len(refs)
            else:
                cells[target].target_count += len(refs)
                if target == (likelihood, impact):
                    heatmap.at_target += len(refs)
            if detailed:
                moved = [Movement(ref, likelihood, impact, *target) for ref in refs]
                heatmap.movements.extend(moved)
                cell.movements.extend(moved)
                if target[0] is not None:
                    cells[target].targets.extend(refs)
        query = link + ("&" if "?" in link else "?") + urlencode({"period": period.slug, "horizon": horizon})
        for cell in cells.values():
            cell.breaches.sort()
            cell.movements.sort(key=lambda m: m.ref)
            cell.targets.sort()
            if link and cell.count:
                cell.url = f"{query}&likelihood={cell.likelihood}&impact={cell.impact}"
        heatmap.movements.sort(key=lambda m: m.ref)
        heatmap.breaches = sorted(breached[horizon] - set(heatmap.unscored))
        heatmap.rows = [
            Row(
                likelihood=lik,
                label=Scale(lik).label,
                cells=[cells[(lik, imp)] for imp in IMPACTS],
            )
            for lik in LIKELIHOODS
        ]
        maps.append(heatmap)
    return maps
