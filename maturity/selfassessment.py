"""Self-assessment results: per unit and per business group, against level 4, year on year.

A unit's level is the mean of its dimension levels; it is at the target when that mean is 4.0
or more. A business group's level is the mean of its assessed units' levels (each unit counts
once, whatever its size). Changes compare the rounded figures, so that the numbers a reader
sees add up.

`benchmark_summary(year)` is what paragraph 1.11 of the Audit Panel report quotes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from .models import (
    TARGET_LEVEL,
    BusinessGroup,
    Dimension,
    DimensionScore,
    Level,
    SelfAssessment,
    Unit,
    year_label,
)

ONE_PLACE = Decimal("0.1")


def _mean(values) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(ONE_PLACE, ROUND_HALF_UP)


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or before is None:
        return None
    return now - before


def change_words(change: Decimal | None) -> str:
    """"up 0.4", "down 0.2", "no change"; empty when there is nothing to compare with."""
    if change is None:
        return ""
    if change > 0:
        return f"up {change}"
    if change < 0:
        return f"down {-change}"
    return "no change"


@dataclass
class UnitResult:
    unit: Unit
    levels: list[int | None]  # one per dimension of the results, in order
    mean: Decimal | None
    previous_mean: Decimal | None
    assessment: SelfAssessment | None

    @property
    def completed(self) -> bool:
        return self.assessment is not None

    @property
    def change(self) -> Decimal | None:
        return _change(self.mean, self.previous_mean)

    @property
    def change_words(self) -> str:
        return change_words(self.change)

    @property
    def at_target(self) -> bool:
        return self.mean is not None and self.mean >= TARGET_LEVEL

    @property
    def gap(self) -> Decimal | None:
        if self.mean is None or self.at_target:
            return None
        return Decimal(TARGET_LEVEL) - self.mean

    @property
    def cells(self) -> list[tuple[int | None, bool]]:
        """(level, below target) per dimension, for the table."""
        return [(level, level is not None and level < TARGET_LEVEL) for level in self.levels]


@dataclass
class GroupResult:
    """A business group's figures (or, with group None, the whole organisation's)."""

    group: BusinessGroup | None
    units: list[UnitResult] = field(default_factory=list)
    dimension_means: list[Decimal | None] = field(default_factory=list)
    mean: Decimal | None = None
    previous_mean: Decimal | None = None

    @property
    def name(self) -> str:
        return self.group.name if self.group else "All units"

    @property
    def units_total(self) -> int:
        return len(self.units)

    @property
    def units_assessed(self) -> int:
        return sum(1 for u in self.units if u.completed)

    @property
    def units_at_target(self) -> int:
        return sum(1 for u in self.units if u.at_target)

    @property
    def change(self) -> Decimal | None:
        return _change(self.mean, self.previous_mean)

    @property
    def change_words(self) -> str:
        return change_words(self.change)

    @property
    def at_target(self) -> bool:
        return self.mean is not None and self.mean >= TARGET_LEVEL


@dataclass
class Results:
    year: int
    dimensions: list[Dimension]
    units: list[UnitResult]
    groups: list[GroupResult]
    overall: GroupResult
    target: int = TARGET_LEVEL

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def previous_year_label(self) -> str:
        return year_label(self.year - 1)

    @property
    def has_results(self) -> bool:
        return self.overall.units_assessed > 0


def years_with_results() -> list[int]:
    return list(
        SelfAssessment.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def _group_result(group: BusinessGroup | None, units: list[UnitResult], n_dims: int) -> GroupResult:
    done = [u for u in units if u.completed]
    return GroupResult(
        group=group,
        units=units,
        dimension_means=[
            _mean(u.levels[i] for u in done if u.levels[i] is not None) for i in range(n_dims)
        ],
        mean=_mean(u.mean for u in done if u.mean is not None),
        previous_mean=_mean(u.previous_mean for u in units if u.previous_mean is not None),
    )


def results_for(year: int) -> Results:
    """Every unit's and business group's results for one year. Four queries."""
    assessments = {
        a.unit_id: a
        for a in SelfAssessment.objects.filter(year=year).select_related("completed_by")
    }
    # Inactive units still count for a year in which they were assessed.
    units = list(
        Unit.objects.filter(Q(is_active=True) | Q(self_assessments__year=year))
        .select_related("business_group", "commander")
        .distinct()
        .order_by("business_group__order", "business_group__name", "name")
    )
    scores: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for unit_id, score_year, dimension_id, level in DimensionScore.objects.filter(
        assessment__year__in=[year, year - 1]
    ).values_list("assessment__unit_id", "assessment__year", "dimension_id", "level"):
        scores[(unit_id, score_year)][dimension_id] = level
    scored_dimension_ids = {d for (_, y), levels in scores.items() if y == year for d in levels}
    dimensions = list(
        Dimension.objects.filter(Q(is_active=True) | Q(pk__in=scored_dimension_ids))
        .order_by("order", "name")
    )

    unit_results = []
    for unit in units:
        now = scores.get((unit.pk, year), {})
        before = scores.get((unit.pk, year - 1), {})
        unit_results.append(
            UnitResult(
                unit=unit,
                levels=[now.get(d.pk) for d in dimensions],
                mean=_mean(now.values()),
                previous_mean=_mean(before.values()),
                assessment=assessments.get(unit.pk),
            )
        )

    by_group: dict[int, list[UnitResult]] = defaultdict(list)
    groups: dict[int, BusinessGroup] = {}
    for result in unit_results:
        by_group[result.unit.business_group_id].append(result)
        groups[result.unit.business_group_id] = result.unit.business_group
    n = len(dimensions)
    return Results(
        year=year,
        dimensions=dimensions,
        units=unit_results,
        groups=[_group_result(groups[g], members, n) for g, members in by_group.items()],
        overall=_group_result(None, unit_results, n),
    )


@dataclass(frozen=True)
class GroupFigure:
    name: str
    mean: Decimal | None
    units_assessed: int
    units_total: int
    units_at_target: int
    change: Decimal | None


@dataclass(frozen=True)
class BenchmarkSummary:
    """The self-assessment benchmark in a sentence and its figures, for paragraph 1.11."""

    year: int
    year_label: str
    units_assessed: int
    units_total: int
    mean_level: Decimal
    target: int
    units_at_target: int
    previous_year_label: str
    previous_mean: Decimal | None
    change: Decimal | None
    groups: tuple[GroupFigure, ...]
    sentence: str


def _units(n: int) -> str:
    return f"{n} unit" if n == 1 else f"{n} units"


def _sentence(r: Results) -> str:
    o = r.overall
    target = f"level {r.target} ({Level(r.target).label.lower()})"
    parts = [
        f"In {r.year_label}, {o.units_assessed} of {o.units_total} OCU / BCU commanders "
        f"completed the risk maturity self-assessment.",
    ]
    level = f"The average maturity level was {o.mean} against the target of {target}"
    if o.change is None:
        level += f"; there are no {r.previous_year_label} results to compare with."
    elif o.change == 0:
        level += f", unchanged from {r.previous_year_label}."
    else:
        level += (
            f", {change_words(o.change)} from {o.previous_mean} in {r.previous_year_label}."
        )
    parts.append(level)
    if o.units_at_target == 0:
        parts.append("No unit has yet reached the target.")
    else:
        verb = "has" if o.units_at_target == 1 else "have"
        parts.append(f"{_units(o.units_at_target)} {verb} reached the target.")
    return " ".join(parts)


def benchmark_summary(year: int | None = None) -> BenchmarkSummary | None:
    """The benchmark for `year` (default: the latest year with results); None if it has none."""
    if year is None:
        years = years_with_results()
        if not years:
            return None
        year = years[0]
    r = results_for(year)
    if not r.has_results:
        return None
    o = r.overall
    return BenchmarkSummary(
        year=r.year,
        year_label=r.year_label,
        units_assessed=o.units_assessed,
        units_total=o.units_total,
        mean_level=o.mean,
        target=r.target,
        units_at_target=o.units_at_target,
        previous_year_label=r.previous_year_label,
        previous_mean=o.previous_mean,
        change=o.change,
        groups=tuple(
            GroupFigure(g.name, g.mean, g.units_assessed, g.units_total, g.units_at_target,
                        g.change)
            for g in r.groups
        ),
        sentence=_sentence(r),
    )
