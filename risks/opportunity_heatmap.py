"""The opportunities' heat map: likelihood (rows) by benefit (columns), built in Python from
the rows the page already read (no query of its own). Its bands and their words are
settings.OPPORTUNITY_BANDS; its colours are benefit colours (static/css/opportunities.css),
never the risks'. A separate map of separate rows: no risk is ever counted on it."""

from dataclasses import dataclass, field

from django.conf import settings

from .models import Benefit, opportunity_position, opportunity_words
from .scoring import SCALE_RANGE, Scale

DETAIL_LIMIT = 150


@dataclass(frozen=True)
class BenefitBand:
    key: str
    label: str
    low: int
    high: int


def benefit_band(score: int) -> BenefitBand:
    for row in settings.OPPORTUNITY_BANDS:
        if row["low"] <= score <= row["high"]:
            return BenefitBand(**row)
    raise ValueError(f"No band holds the score {score}; check settings.OPPORTUNITY_BANDS.")


@dataclass
class Cell:
    likelihood: int
    benefit: int
    refs: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)

    @property
    def band(self) -> BenefitBand:
        return benefit_band(self.likelihood * self.benefit)

    @property
    def position(self) -> str:
        return opportunity_position(self.likelihood, self.benefit)

    @property
    def words(self) -> str:
        return opportunity_words(self.likelihood, self.benefit)


@dataclass
class OpportunityHeatMap:
    caption: str
    rows: list[tuple[str, list[Cell]]]
    benefits: list[str]
    count: int
    unscored: list[int]

    @property
    def detailed(self) -> bool:
        return self.count <= DETAIL_LIMIT


def opportunity_heat_map(rows, period) -> OpportunityHeatMap:
    """`rows`: OpportunityAssessments as the page shows them."""
    cells = {(lik, ben): Cell(lik, ben) for lik in SCALE_RANGE for ben in SCALE_RANGE}
    count, unscored = 0, []
    for a in rows:
        if a.likelihood is None:
            unscored.append(a.ref)
            continue
        count += 1
        cells[(a.likelihood, a.benefit)].refs.append(a.ref)
        if a.target_likelihood is not None:
            cells[(a.target_likelihood, a.target_benefit)].targets.append(a.ref)
    grid = [
        (Scale(lik).label, [cells[(lik, ben)] for ben in SCALE_RANGE])
        for lik in reversed(SCALE_RANGE)
    ]
    return OpportunityHeatMap(
        caption=f"Opportunities, {period.name}: likelihood by benefit",
        rows=grid, benefits=[Benefit(b).label for b in SCALE_RANGE], count=count,
        unscored=unscored,
    )
