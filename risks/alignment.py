"""The alignment of a register's risks with the strategic pillars: pillars x score bands, each
cell holding the numbers of the risks there (Appendix A's alignment table)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, F, StringAgg, Value
from django.db.models.functions import Cast

from .heatmaps import HeatMap, build_heat_maps, heat_map_groups, numbered
from .models import Assessment, Pillar, Register, ReportingPeriod
from .scoring import ALL_SCORES, Band, band_for, bands


def refs_sentence(refs: list[int], singular: str, plural: str) -> str:
    """ "Risk 10 is ..." / "Risks 10 and 12 are ..." """
    if not refs:
        return ""
    if len(refs) == 1:
        return f"Risk {refs[0]} {singular}"
    head = ", ".join(str(r) for r in refs[:-1])
    return f"Risks {head} and {refs[-1]} {plural}"


@dataclass
class AlignmentRow:
    pillar: Pillar
    cells: list[list[int]]
    numbered: bool = True  # False for a register too large to number (heatmaps.numbered)

    @property
    def cell_texts(self) -> list[str]:
        """Each cell's refs as "1, 4, 7" (joined here, not by a filter escaping 1,000 ints), or
        how many, as "3 risks", when the table is too large to number."""
        if not self.numbered:
            return [
                f"{len(refs)} risk{'' if len(refs) == 1 else 's'}" if refs else ""
                for refs in self.cells
            ]
        return [", ".join(map(str, refs)) for refs in self.cells]


@dataclass
class Alignment:
    period: ReportingPeriod
    bands: list[Band]
    rows: list[AlignmentRow]
    unscored: list[int]
    unaligned: list[int]
    scored: int = 0  # risks in the table

    @property
    def detailed(self) -> bool:
        """Whether each cell gives its risks' numbers, as heat maps do."""
        return numbered(self.scored)

    @property
    def unscored_note(self) -> str:
        return refs_sentence(self.unscored, "is still to be finalised", "are still to be finalised")

    @property
    def unaligned_note(self) -> str:
        return refs_sentence(
            self.unaligned, "is not aligned with a pillar", "are not aligned with a pillar"
        )


def alignment(
    register: Register, period: ReportingPeriod, pillars=None, *, rows=None
) -> Alignment:
    """Pillars x bands with the refs of the risks in each, as the seed's alignment table, of
    `rows` that count (the quarter as a person may see it: AssessmentQuerySet.shown(); by
    default, the quarter's record).

    Two queries (the pillars, unless given, and one aggregate); unscored risks stay out and
    are named in a note underneath.
    """
    pillars = list(Pillar.objects.all()) if pillars is None else list(pillars)
    if rows is None:
        rows = Assessment.objects.of_register(register).shown(period, None)
    groups = (
        rows.counted()
        .annotate(pillar=F("pillar_links__pillar"))
        .values("pillar", "likelihood", "impact")
        .annotate(refs=StringAgg(Cast("ref", CharField()), Value(",")))
        .order_by()
    )
    return build_alignment(period, pillars, groups)


def maps_and_alignment(
    register: Register, period: ReportingPeriod, pillars: list[Pillar], *, rows, link: str = ""
) -> tuple[list[HeatMap], Alignment]:
    """heat_maps() and alignment() together from one aggregate query (the pillars given)."""
    groups = list(heat_map_groups(rows, by_pillar=True))
    return build_heat_maps(register, period, groups, link=link), build_alignment(
        period, pillars, groups
    )


def build_alignment(period: ReportingPeriod, pillars: list[Pillar], groups) -> Alignment:
    """The table from aggregate rows with risk__pillars, likelihood, impact and refs."""
    band_list = bands()
    band_of_score = {score: band_for(score).key for score in ALL_SCORES}
    cells: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    unscored: set[int] = set()
    unaligned: set[int] = set()
    for g in groups:
        refs = {int(r) for r in g["refs"].split(",")}
        if g["likelihood"] is None:
            unscored |= refs
        elif g["pillar"] is None:
            unaligned |= refs
        else:
            cells[g["pillar"]][band_of_score[g["likelihood"] * g["impact"]]] |= refs
    scored = set().union(*(refs for by_band in cells.values() for refs in by_band.values()))
    rows = [
        AlignmentRow(
            pillar=p, cells=[sorted(cells[p.pk][b.key]) for b in band_list],
            numbered=numbered(len(scored)),
        )
        for p in pillars
    ]
    return Alignment(
        period=period, bands=band_list, rows=rows,
        unscored=sorted(unscored), unaligned=sorted(unaligned), scored=len(scored),
    )
