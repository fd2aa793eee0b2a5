"""Reading registers: filters, the alignment table, changes between quarters, the dashboard.

Every function here costs a fixed number of queries however many risks a register holds;
the tests in tests/risks/ pin those numbers with 10 and with 500 risks.
"""

import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django import forms
from django.apps import apps
from django.core.paginator import Page
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from .heatmaps import HeatMap, build_heat_maps, heat_map_groups, numbered, register_assessments
from .models import (
    RAG_FOR_PROGRESS,
    TREND_ARROWS,
    Assessment,
    Horizon,
    Pillar,
    Post,
    Progress,
    Rag,
    Register,
    ReportingPeriod,
    Risk,
    RiskLead,
    Trend,
)
from .pagination import get_page
from .scoring import Band, Scale, band_for, bands, position_label

# Filters ---------------------------------------------------------------------------------

SORTS = {
    "ref": ("Reference", [F("risk__ref").asc()]),
    "score": (
        "Current score, highest first", [F("score_value").desc(nulls_last=True), "risk__ref"]
    ),
    "title": ("Title", ["risk__title", "risk__ref"]),
    "owner": ("Risk owner", ["risk__owner__name", "risk__ref"]),
}

ANY = [("", "Any")]


def short_term_first(field: str = "horizon") -> Case:
    """An ordering key: short-term risks before long-term ones, as Appendix A lists them."""
    return Case(
        When(**{field: Horizon.SHORT}, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def _attrs_html(attrs: dict) -> str:
    """Django's django/forms/widgets/attrs.html, in Python (escaped)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option_attrs(attrs: dict) -> str:
    # An option's attributes are nothing, or "selected", but for a widget given more.
    if not attrs:
        return ""
    return " selected" if attrs == {"selected": True} else _attrs_html(attrs)


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's select.html, built in Python.

    Django renders each <option> through a template include: a register's hundreds of risk
    owners made the filter form a large part of the page's time. Optgroups are not used here.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # Each option ends in a newline, as the template include of select_option.html does.
        options = "".join(
            f'\n  <option value="{escape(option["value"])}"{_option_attrs(option["attrs"])}>'
            f'{escape(option["label"])}</option>\n'
            for _, group, _ in widget["optgroups"] for option in group
        )
        # Every value above is escaped.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
            f"{options}\n</select>"
        )


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


def owner_choices(register: Register) -> list[tuple[int, str]]:
    """(id, name) of each post that owns a risk of the register, by name."""
    return list(
        Post.objects.filter(owned_risks__register=register)
        .distinct().order_by("name").values_list("pk", "name")
    )


# The columns the register table shows: long texts it does not (commentary, reasons, review
# comments) stay in the database.
REGISTER_ROW_FIELDS = [
    "risk_id", "period_id", "likelihood", "impact", "trend", "progress", "state",
    "risk__ref", "risk__title", "risk__description", "risk__description_agreed",
    "risk__horizon", "risk__owner_id", "risk__target_likelihood", "risk__target_impact",
    "risk__owner__name",
]

# Separators inside leads_packed: ASCII unit and record separators never occur in a post name.
_FIELD, _RECORD = "\x1f", "\x1e"


def lead_names_subquery(risk=None) -> Subquery:
    """Each risk's working leads packed into one string, order and id kept with each name, so
    that a page of rows carries its leads without a second query (see lead_names()).

    The rows' risk is their risk_id column, or `risk` when given (one risk's leads beside any
    rows: an uncorrelated subquery, evaluated once). The order travels with each name
    because SQLite before 3.44 cannot order an aggregate.
    """
    packed = (
        RiskLead.objects.filter(risk=OuterRef("risk_id") if risk is None else risk)
        .order_by()
        .values("risk")
        .annotate(
            packed=StringAgg(
                Concat(
                    Cast("order", CharField()), Value(_FIELD), Cast("pk", CharField()),
                    Value(_FIELD), "post__name", output_field=CharField(),
                ),
                Value(_RECORD),
            )
        )
        .values("packed")
    )
    return Subquery(packed, output_field=CharField())


def lead_names(packed: str | None) -> list[str]:
    """The names packed by lead_names_subquery(), in the register's order (Risk.ordered_leads)."""
    if not packed:
        return []
    leads = [record.split(_FIELD, 2) for record in packed.split(_RECORD)]
    return [name for _, _, name in sorted(leads, key=lambda x: (int(x[0]), int(x[1])))]


def register_rows(
    register: Register, period: ReportingPeriod, filters: dict, sort: str = "ref"
) -> QuerySet[Assessment]:
    """The register as it stood in `period`: that period's assessments, filtered and sorted.

    Short-term risks come first, as Appendix A sets them out. Each row carries its risk, the
    risk's owner and (packed in leads_packed, see lead_names()) its working leads: a page of
    rows is one query.
    """
    rows = (
        register_assessments(register, [period])
        .select_related("risk__owner")
        .only(*REGISTER_ROW_FIELDS)
        .annotate(
            score_value=F("likelihood") * F("impact"),
            horizon_order=short_term_first("risk__horizon"),
            leads_packed=lead_names_subquery(),
        )
    )
    if "horizon" in filters:
        rows = rows.filter(risk__horizon=filters["horizon"])
    if "owner" in filters:
        rows = rows.filter(risk__owner_id=filters["owner"])
    if "rag" in filters:
        rows = rows.filter(
            progress__in=[p for p, rag in RAG_FOR_PROGRESS.items() if rag == filters["rag"]]
        )
    if "progress" in filters:
        rows = rows.filter(progress=filters["progress"])
    if "trend" in filters:
        rows = rows.filter(trend=filters["trend"])
    if "pillar" in filters:
        rows = rows.filter(risk__pillars=filters["pillar"])
    if "band" in filters:
        band = next(b for b in bands() if b.key == filters["band"])
        rows = rows.filter(score_value__gte=band.low, score_value__lte=band.high)
    if "likelihood" in filters:
        rows = rows.filter(likelihood=filters["likelihood"])
    if "impact" in filters:
        rows = rows.filter(impact=filters["impact"])
    return rows.order_by("horizon_order", *SORTS.get(sort, SORTS["ref"])[1])


TREND_LABELS = dict(Trend.choices)
PROGRESS_LABELS = dict(Progress.choices)
STATE_LABELS = dict(Assessment.State.choices)


def url_maker(viewname: str):
    """A function of an object's id to the URL of `viewname` (whose one argument is that id):
    reverse() once for a page of rows, not once a row (~25 µs each)."""
    head, tail = reverse(viewname, args=[987654321]).split("987654321")
    return lambda pk: f"{head}{int(pk)}{tail}"


def risk_url_maker():
    return url_maker("risks:risk")


def group_by_horizon(rows) -> list[tuple[str, str, list[Assessment]]]:
    """(horizon value, label, rows) for each horizon present, short-term first.

    Each row also gets what the register table shows, looked up here once rather than by
    model methods in the template (a page is 50 rows): risk_url, trend_label, progress_label,
    state_label and, from register_rows(), lead_names (the working leads' names in order)."""
    groups: dict[str, list[Assessment]] = defaultdict(list)
    risk_url = risk_url_maker()
    for a in rows:
        a.risk_url = risk_url(a.risk_id)
        a.trend_label = TREND_LABELS.get(a.trend, a.trend)
        a.progress_label = PROGRESS_LABELS.get(a.progress, a.progress)
        a.state_label = STATE_LABELS.get(a.state, a.state)
        a.lead_names = lead_names(getattr(a, "leads_packed", None))
        groups[a.risk.horizon].append(a)
    return [(value, label, groups[value]) for value, label in Horizon.choices if groups[value]]


def refs_sentence(refs: list[int], singular: str, plural: str) -> str:
    """ "Risk 10 is ..." / "Risks 10 and 12 are ..." """
    if not refs:
        return ""
    if len(refs) == 1:
        return f"Risk {refs[0]} {singular}"
    head = ", ".join(str(r) for r in refs[:-1])
    return f"Risks {head} and {refs[-1]} {plural}"


# Alignment with pillars ---------------------------------------------------------------------


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


def alignment(register: Register, period: ReportingPeriod, pillars=None) -> Alignment:
    """Pillars x bands with the refs of the risks in each, as the seed's alignment table.

    Two queries (the pillars, unless given, and one aggregate); unscored risks stay out and
    are named in a note underneath.
    """
    pillars = list(Pillar.objects.all()) if pillars is None else list(pillars)
    groups = (
        register_assessments(register, [period])
        .values("risk__pillars", "likelihood", "impact")
        .annotate(refs=StringAgg(Cast("risk__ref", CharField()), Value(",")))
        .order_by()
    )
    return build_alignment(period, pillars, groups)


def maps_and_alignment(
    register: Register, period: ReportingPeriod, pillars: list[Pillar], *, link: str = ""
) -> tuple[list[HeatMap], Alignment]:
    """heat_maps() and alignment() together from one aggregate query (the pillars given)."""
    groups = list(heat_map_groups(register, period, by_pillar=True))
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
        elif g["risk__pillars"] is None:
            unaligned |= refs
        else:
            cells[g["risk__pillars"]][band_of_score[g["likelihood"] * g["impact"]]] |= refs
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


# Comparing two periods ---------------------------------------------------------------------


def describe_position(a: Assessment | None) -> str:
    if a is None:
        return "Not on the register"
    if not a.is_scored:
        return "Not scored"
    return f"{a.position} (score {a.score}, {a.band.label})"


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


def compare_rows(
    register: Register, before: ReportingPeriod, after: ReportingPeriod
) -> list[dict[str, dict]]:
    """Each risk's assessments of two periods, as values() rows {"before": .., "after": ..},
    short-term risks first (one query, of the few columns a comparison shows)."""
    pairs: dict[int, dict] = defaultdict(dict)
    for row in register_assessments(register, [before, after]).values(
        "risk_id", "period_id", "likelihood", "impact", "trend", "progress",
        "risk__ref", "risk__title", "risk__horizon",
    ).order_by():
        pairs[row["risk_id"]]["before" if row["period_id"] == before.pk else "after"] = row

    def order(pair: dict[str, dict]) -> tuple[bool, int]:
        row = next(iter(pair.values()))
        return row["risk__horizon"] != Horizon.SHORT, row["risk__ref"]

    return sorted(pairs.values(), key=order)


def moves_of(pairs: list[dict[str, dict]]) -> list[Move]:
    """Moves from compare_rows() pairs (a page of them): no query."""
    moves = []
    for pair in pairs:
        row = next(iter(pair.values()))
        risk = Risk(
            pk=row["risk_id"], ref=row["risk__ref"], title=row["risk__title"],
            horizon=row["risk__horizon"],
        )
        found = {
            when: Assessment(
                risk=risk, period_id=r["period_id"], likelihood=r["likelihood"],
                impact=r["impact"], trend=r["trend"], progress=r["progress"],
            )
            for when, r in pair.items()
        }
        moves.append(Move(risk=risk, before=found.get("before"), after=found.get("after")))
    return moves


def compare(register: Register, before: ReportingPeriod, after: ReportingPeriod) -> list[Move]:
    """How each risk moved between two periods (one query)."""
    return moves_of(compare_rows(register, before, after))


# Changed since last quarter -----------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str
    long: bool = False


@dataclass
class RiskChange:
    risk: Risk
    before: Assessment | None
    after: Assessment
    changes: list[Change] = field(default_factory=list)


@dataclass
class ControlChange:
    risk_ref: int
    risk_title: str
    risk_id: int
    control: str
    before: str
    after: str
    note: str


@dataclass
class Changes:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    risks: list[RiskChange]  # those of risk_page, when paginated
    controls: list[ControlChange]  # those of control_page, when paginated
    controls_available: bool
    risk_page: Page | None = None
    control_page: Page | None = None

    @property
    def risk_count(self) -> int:
        return self.risk_page.paginator.count if self.risk_page else len(self.risks)

    @property
    def control_count(self) -> int:
        return self.control_page.paginator.count if self.control_page else len(self.controls)


def _trend_words(a: Assessment) -> str:
    return f"{TREND_ARROWS[a.trend]} {a.get_trend_display()}" if a.trend else "Not recorded"


def _progress_words(a: Assessment) -> str:
    return f"{a.get_progress_display()} ({a.rag_label})" if a.progress else "Not recorded"


def _risk_changes(before: Assessment | None, after: Assessment) -> list[Change]:
    if before is None:
        return [Change("Risk", "Not on the register", "Added this quarter")]
    found = []
    if (before.likelihood, before.impact) != (after.likelihood, after.impact):
        found.append(
            Change("Position and score", describe_position(before), describe_position(after))
        )
    if before.trend != after.trend:
        found.append(Change("Trend", _trend_words(before), _trend_words(after)))
    if before.progress != after.progress:
        found.append(
            Change("Progress towards target", _progress_words(before), _progress_words(after))
        )
    if before.commentary != after.commentary:
        found.append(
            Change(
                "Commentary", before.commentary or "Not recorded", after.commentary or "None",
                long=True,
            )
        )
    return found


def _changed_assessments(register: Register, previous: ReportingPeriod, period: ReportingPeriod):
    """The register's assessments of `period` that _risk_changes() finds changed since
    `previous` (new risks included), short-term first then by ref, each annotated with
    before_id: one query, joined not correlated, so that the database compares and counts the
    rows rather than Python (a register of 1,000 risks sent 2,000 rows to be compared).

    Commentary is compared as saved: forms strip it, as _risk_changes() does.
    """
    before = FilteredRelation("risk__assessments", condition=Q(risk__assessments__period=previous))
    answers = ("likelihood", "impact", "trend", "progress", "commentary")
    # Read through one join: a filter() on the relation would join it again.
    then = {f"before_{name}": F(f"before__{name}") for name in answers}
    differs = Q(before_id__isnull=True)
    for name in answers:
        now, was = F(name), F(f"before_{name}")
        if name in ("likelihood", "impact"):  # unscored is NULL
            now, was = Coalesce(now, Value(0)), Coalesce(was, Value(0))
        differs |= Q(~Exact(now, was))
    return (
        register_assessments(register, [period])
        .annotate(before=before)
        .annotate(before_id=F("before__id"))
        .alias(**then)
        .filter(differs)
        .select_related("risk")
        .order_by(short_term_first("risk__horizon"), "risk__ref")
    )


def changes_since_previous(
    register: Register,
    period: ReportingPeriod,
    *,
    previous: ReportingPeriod | None | object = ...,
    risks_page=None,
    controls_page=None,
    risks_per_page: int | None = None,
    controls_per_page: int | None = None,
) -> Changes:
    """Risks whose score, trend, progress or commentary changed, and controls whose status
    changed, between `period` and the quarter before it (`previous`, found if not given).

    Given page sizes, risks and controls are paginated (risks_page and controls_page are the
    page numbers asked for): a register of 1,000 risks and 5,000 controls may change almost
    all of them in a quarter. Four queries at most, whatever the size: the previous period
    (unless given), the few columns that say which risks changed, the changed risks of the
    page, and a page of changed controls with their count.
    """
    if previous is ...:
        previous = period.previous()
    risk_changes: list[RiskChange] = []
    risk_page = None
    if previous is not None:
        changed = _changed_assessments(register, previous, period)
        if risks_per_page:
            risk_page = get_page(changed, risks_page, risks_per_page, window=True)
            changed = risk_page.object_list
        else:
            changed = list(changed)
        # Only the risks shown are read in full.
        ids = [a.before_id for a in changed if a.before_id is not None]
        befores = Assessment.objects.order_by().in_bulk(ids) if ids else {}
        for after in changed:
            before = befores.get(after.before_id)
            risk_changes.append(
                RiskChange(
                    risk=after.risk, before=before, after=after,
                    changes=_risk_changes(before, after),
                )
            )

    # risks must not import controls (controls depends on risks); the controls app is looked up
    # by label, so this part of the page simply disappears without it.
    controls_available = apps.is_installed("controls")
    control_changes: list[ControlChange] = []
    control_page = None
    if previous is not None and controls_available:
        changed_controls = _control_changes(register, previous, period)
        if controls_per_page:
            # Finding a changed control means joining and comparing every control: count
            # those rows once, as a window, rather than again in a subquery.
            control_page = get_page(
                changed_controls, controls_page, controls_per_page, window=True
            )
            rows = control_page.object_list
        else:
            rows = list(changed_controls)
        labels = _control_status_labels()
        control_changes = [_control_change(row, labels) for row in rows]
    return Changes(
        period=period, previous=previous, risks=risk_changes,
        controls=control_changes, controls_available=controls_available,
        risk_page=risk_page, control_page=control_page,
    )


def _control_changes(register: Register, previous: ReportingPeriod, period: ReportingPeriod):
    """The register's controls whose status in `period` differs from `previous` (or that had
    none then), as values() rows in the register's order: one query, joined not correlated.

    A control nobody has updated yet this quarter has not changed: it is still to do.
    """
    ControlUpdate = apps.get_model("controls", "ControlUpdate")
    Control = apps.get_model("controls", "Control")
    controls = Control.objects.filter(
        risk__in=Risk.objects.filter(register=register).values("pk")
    ).values("pk")
    return (
        ControlUpdate.objects.filter(period=period, control__in=controls)
        .annotate(
            before=FilteredRelation(
                "control__updates", condition=Q(control__updates__period=previous)
            )
        )
        .annotate(before_status=F("before__status"))
        .filter(Q(before_status__isnull=True) | ~Q(before_status=F("status")))
        .values(
            "status", "note", "before_status", "control__title",
            "control__risk_id", "control__risk__ref", "control__risk__title",
        )
        .order_by("control__risk__ref", "control__order", "control_id")
    )


def _control_change(row: dict, labels: dict[str, str]) -> ControlChange:
    return ControlChange(
        risk_ref=row["control__risk__ref"],
        risk_title=row["control__risk__title"],
        risk_id=row["control__risk_id"],
        control=row["control__title"],
        before=labels[row["before_status"]] if row["before_status"] else "New this quarter",
        after=labels[row["status"]],
        note=row["note"],
    )


def _control_status_labels() -> dict[str, str]:
    ControlUpdate = apps.get_model("controls", "ControlUpdate")
    return dict(ControlUpdate._meta.get_field("status").choices)


# Dashboard --------------------------------------------------------------------------------


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

    @property
    def html(self) -> str:
        """The row: the register, a numeric cell per tally (each count linking to the register
        filtered to its risks) and the total.

        Built here, not by the template: 50 registers x 3 measures make 150 rows and 800
        cells, whose template lookups (and a reverse() each) were most of the dashboard's time.
        """
        name = html.escape(self.register.name)
        href = html.escape(f"{self.url}&{self.kind}=")
        cells = []
        for t in self.tallies:
            body = str(int(t.count))
            if t.count and t.key:
                body = (
                    f'<a class="govuk-link" href="{href}{html.escape(t.key)}">{body}'
                    f'<span class="govuk-visually-hidden"> {html.escape(t.label)}, {name}</span></a>'
                )
            cells.append(
                '<td class="govuk-table__cell govuk-table__cell--numeric" '
                f'data-key="{html.escape(t.key or "none")}">{body}</td>'
            )
        row = (
            f'<tr class="govuk-table__row" data-register="{html.escape(self.register.slug)}">\n'
            f'      <th scope="row" class="govuk-table__header"><a class="govuk-link" '
            f'href="{html.escape(self.url)}">{name}</a></th>\n'
            f'      {"".join(cells)}\n'
            f'      <td class="govuk-table__cell govuk-table__cell--numeric">{int(self.total)}</td>\n'
            "    </tr>"
        )
        # Every value above is escaped or an int.
        return mark_safe(row)  # noqa: S308


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


def dashboard_counts(registers: list[Register], period: ReportingPeriod) -> list[CountTable]:
    """Counts by RAG, progress and trend per register for one period (one aggregate query)."""
    url = {r.pk: f"{r.get_absolute_url()}?{urlencode({'period': period.slug})}" for r in registers}
    per_register: dict[int, Counter] = defaultdict(Counter)
    for row in (
        Assessment.objects.filter(period=period, risk__register__in=registers)
        .values("risk__register_id", "progress", "trend")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        c = per_register[row["risk__register_id"]]
        c[("progress", row["progress"])] += row["n"]
        c[("trend", row["trend"])] += row["n"]
        c[("rag", RAG_FOR_PROGRESS.get(row["progress"], ""))] += row["n"]
        c["total"] += row["n"]
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

# Light tints of the GOV.UK tag colours, so the band regions stay behind the line.
BAND_FILLS = {"low": "#cce2d8", "medium": "#fff7bf", "high": "#fcd6c3", "very_high": "#f4cdc6"}
ALL_SCORES = sorted({lik * imp for lik in range(1, 5) for imp in range(1, 5)})


@dataclass
class Point:
    period: str
    position: str
    score: int | None
    band: str


@dataclass
class RiskChart:
    risk: Risk
    points: list[Point]
    figure: dict

    @property
    def element_id(self) -> str:
        return f"chart-risk-{self.risk.pk}"

    @property
    def figure_script(self) -> str:
        """The figure in a <script type="application/json">, exactly as json_script writes it;
        its escaping is done by str.replace, several times faster than json_script's
        str.translate over a dozen 2,500-character figures."""
        text = (
            json.dumps(self.figure)
            .replace(">", "\\u003E").replace("<", "\\u003C").replace("&", "\\u0026")
        )
        # The JSON's <, > and & are escaped above, as json_script does.
        return format_html(
            '<script id="{}" type="application/json">{}</script>',
            self.element_id, mark_safe(text),  # noqa: S308
        )


def score_histories(risks: list[Risk], up_to: ReportingPeriod) -> list[RiskChart]:
    """Each risk's score and band over the quarters up to `up_to` (one query).

    Only what was reported counts: closed periods, and approved updates of an open one.
    """
    points: dict[int, list[Point]] = defaultdict(list)
    for row in (
        Assessment.objects.filter(risk__in=[r.pk for r in risks], period__start__lte=up_to.start)
        .filter(Q(period__state=ReportingPeriod.State.CLOSED) | Q(state=Assessment.State.APPROVED))
        .values("risk_id", "period__name", "likelihood", "impact")
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
            )
        )
    return [
        RiskChart(risk=r, points=points[r.pk], figure=score_figure(r, points[r.pk]))
        for r in risks
    ]


def score_figure(risk: Risk, points: list[Point]) -> dict:
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
            "fillcolor": BAND_FILLS.get(band.key, "#f3f2f1"), "opacity": 0.6,
            "line": {"width": 0}, "layer": "below",
        })
        annotations.append({
            "text": band.label, "showarrow": False,
            "xref": "x domain", "x": 1, "xanchor": "right",
            "yref": "y", "y": (y0 + y1) / 2, "yanchor": "middle",
        })
    return {
        "data": [{
            "type": "scatter",
            "x": [p.period for p in points],
            "y": [p.score for p in points],
            "mode": "lines+markers+text",
            "text": [p.band if p.score is not None else "" for p in points],
            "textposition": "top center",
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
