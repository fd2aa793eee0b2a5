"""What changed between quarters: how each risk moved from one quarter to another (the compare
page), and which risks changed since the quarter before (the changes page, whose controls half
is controls.changes and which riskreg composes)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import F, FilteredRelation, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from .models import AnswerChange, Assessment, Horizon, Register, ReportingPeriod, Risk
from .pagination import get_page

# Comparing two quarters -----------------------------------------------------------------------



def describe_position(a: Assessment | None) -> str:
    return "Not on the register" if a is None else a.position_summary


@dataclass
class Move:
    risk: Risk
    before: Assessment | None
    after: Assessment | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "gone"
        if not (self.before.is_scored and self.after.is_scored):
            return "unscored" if not self.after.is_scored else "scored"
        if self.after.score < self.before.score:
            return "down"
        if self.after.score > self.before.score:
            return "up"
        if self.after.position != self.before.position:
            return "moved"
        return "same"

    @property
    def arrow(self) -> str:
        return {"down": "↓", "up": "↑", "moved": "→", "same": "–"}.get(self.kind, "")

    @property
    def words(self) -> str:
        before, after = self.before, self.after
        match self.kind:
            case "new":
                return "Added to the register"
            case "gone":
                return "No longer on the register"
            case "unscored":
                return "Not scored"
            case "scored":
                return f"Scored for the first time at {after.position}"
            case "down":
                return f"Score fell from {before.score} to {after.score}"
            case "up":
                return f"Score rose from {before.score} to {after.score}"
            case "moved":
                return f"Moved from {before.position} to {after.position} at the same score"
        return "No change"

    @property
    def band_changed(self) -> bool:
        return bool(
            self.before and self.after and self.before.band != self.after.band
        )


_COMPARED = (
    "risk_id", "period_id", "likelihood", "impact", "trend", "progress", "ref", "title", "horizon",
)


def compare_rows(before_rows, after_rows) -> list[dict[str, dict]]:
    """Each risk's updates in two quarters as shown (Assessment.objects.shown()), as values()
    rows {"before": .., "after": ..}, short-term risks first: one query (a UNION), of the few
    columns a comparison shows. Retired risks and updates not approved by a closed quarter
    are out, as they are of every count."""
    pairs: dict[int, dict] = defaultdict(dict)
    sides = (
        before_rows.counted().annotate(side=Value("before")).values(*_COMPARED, "side").order_by()
        .union(
            after_rows.counted().annotate(side=Value("after")).values(*_COMPARED, "side")
            .order_by(),
            all=True,
        )
    )
    for row in sides:
        pairs[row["risk_id"]][row["side"]] = row

    def order(pair: dict[str, dict]) -> tuple[bool, int]:
        row = pair.get("after") or pair["before"]
        return row["horizon"] != Horizon.SHORT, row["ref"]

    return sorted(pairs.values(), key=order)


_ASSESSMENT_FIELDS = (
    "risk_id", "period_id", "likelihood", "impact", "trend", "progress", "ref", "title", "horizon",
)
_RISK_FIELDS = ("id", "ref", "title", "horizon")


def moves_of(pairs: list[dict[str, dict]]) -> list[Move]:
    """Moves from compare_rows() pairs (a page of them): no query. Each risk is named as the
    later quarter records it. The instances are made as the database would load them with
    only these fields (from_db): Model(**kwargs) sets every one of a model's forty fields and
    cost a compare page several milliseconds."""
    moves = []
    for pair in pairs:
        row = pair.get("after") or pair["before"]
        risk = Risk.from_db(
            "default", _RISK_FIELDS, (row["risk_id"], row["ref"], row["title"], row["horizon"])
        )
        found = {}
        for when, r in pair.items():
            assessment = Assessment.from_db(
                "default", _ASSESSMENT_FIELDS, [r[name] for name in _ASSESSMENT_FIELDS]
            )
            assessment.risk = risk
            found[when] = assessment
        moves.append(Move(risk=risk, before=found.get("before"), after=found.get("after")))
    return moves


def compare(
    register: Register, before: ReportingPeriod, after: ReportingPeriod, user=None
) -> list[Move]:
    """How each risk moved between two quarters, as `user` may see them (one query)."""
    rows = Assessment.objects.of_register(register)
    return moves_of(compare_rows(rows.shown(before, user), rows.shown(after, user)))


# Changed since the quarter before -----------------------------------------------------------


@dataclass
class RiskChange:
    risk: Risk
    before: Assessment | None
    after: Assessment
    changes: list[AnswerChange] = field(default_factory=list)


def _changed_assessments(rows, previous: ReportingPeriod):
    """The updates among `rows` (a quarter as shown) that Assessment.changes_since() finds
    changed since `previous` (new risks, and risks retired or reinstated, included),
    short-term first then by ref, each annotated with before_id: one query, joined not
    correlated, so that the database compares and counts the rows rather than Python (a
    register of 1,000 risks sent 2,000 rows to be compared).

    Commentary is compared as saved: forms strip it, as Assessment.changes_since() does.
    """
    before = FilteredRelation("risk__assessments", condition=Q(risk__assessments__period=previous))
    answers = ("likelihood", "impact", "trend", "progress", "commentary", "retired")
    # Read through one join: a filter() on the relation would join it again.
    then = {f"before_{name}": F(f"before__{name}") for name in answers}
    differs = Q(before_id__isnull=True)
    for name in answers:
        now, was = F(name), F(f"before_{name}")
        if name in ("likelihood", "impact"):  # unscored is NULL
            now, was = Coalesce(now, Value(0)), Coalesce(was, Value(0))
        differs |= Q(~Exact(now, was))
    return (
        rows.annotate(before=before)
        .annotate(before_id=F("before__id"))
        .alias(**then)
        .filter(differs)
        .select_related("risk")
        .in_register_order()
    )


def risk_changes(
    rows, previous: ReportingPeriod, *, page=None, per_page: int | None = None,
) -> tuple[list[RiskChange], Page | None]:
    """The risks among `rows` (a quarter as shown, less what a closed quarter never approved)
    whose score, trend, progress or commentary changed since `previous`, or that are new,
    retired or reinstated, and the page of them when `per_page` is given: two queries, the
    few columns that say which risks changed (with the count), and the earlier updates of the
    risks shown, which alone are read in full."""
    changed = _changed_assessments(rows, previous)
    found_page = None
    if per_page:
        found_page = get_page(changed, page, per_page, window=True)
        changed = found_page.object_list
    else:
        changed = list(changed)
    ids = [a.before_id for a in changed if a.before_id is not None]
    befores = Assessment.objects.order_by().in_bulk(ids) if ids else {}
    rows = []
    for after in changed:
        before = befores.get(after.before_id)
        rows.append(RiskChange(risk=after.risk, before=before, after=after,
                               changes=after.changes_since(before)))
    return rows, found_page


@dataclass
class Arrivals:
    """Risks that came onto the register, left it or came back in a quarter."""

    new: list[Assessment] = field(default_factory=list)
    retired: list[Assessment] = field(default_factory=list)
    reinstated: list[Assessment] = field(default_factory=list)


def arrivals(rows, previous: ReportingPeriod) -> Arrivals:
    """Which of `rows` (a quarter as shown) are new since `previous`, retired in it, or
    reinstated: one query, of the few risks that did."""
    found = Arrivals()
    before = FilteredRelation("risk__assessments", condition=Q(risk__assessments__period=previous))
    for a in (
        rows.annotate(before=before)
        .annotate(before_id=F("before__id"), before_retired=F("before__retired"))
        .filter(Q(before_id__isnull=True) | ~Q(retired=F("before_retired")))
        .only("ref", "title", "risk_id", "retired")
        .in_register_order()
    ):
        if a.before_id is None:
            found.new.append(a)
        elif a.retired:
            found.retired.append(a)
        else:
            found.reinstated.append(a)
    return found
