"""Planning an import: each row of the file checked against the register as it stands, and
what it would create or change (RowPlan), without writing anything. The preview shows a plan,
and the confirmation plans again inside its transaction before it writes (imports.apply_import).

Everything a row is checked against (the register's risks, posts, pillars and the open
quarter's updates) is read once, so a plan costs a fixed number of queries, whatever its size.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from risks.models import Assessment, Pillar, Post, Register, ReportingPeriod, Risk, RiskLead
from risks.scoring import position_label

from . import columns as cols

REQUIRED_FOR_NEW = {"title": "a title", "horizon": "a horizon", "owner": "an owner"}
TITLE_MAX = Risk._meta.get_field("title").max_length
REASON_MAX = Assessment._meta.get_field("not_rated_reason").max_length
LABELS = {
    "title": "Title", "description": "Description", "description_agreed": "Description agreed",
    "horizon": "Horizon", "owner": "Owner", "leads": "Leads", "pillars": "Pillars",
    "appetite": "Appetite", "target": "Target", "position": "Current position",
    "trend": "Trend", "progress": "Progress", "commentary": "Commentary", "reasons": "Reasons",
    "not_rated": "Not rated",
}


def clean(text: str) -> str:
    """A cell's text as stored: new lines as "\n" (a CSV keeps "\r\n"), ends stripped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _same_text(stored: str, new: str) -> bool:
    # Browsers send textareas with "\r\n": the stored text may differ from a file's only so.
    return clean(stored or "") == new


@dataclass
class RowPlan:
    line: int
    ref: int | None = None
    title: str = ""
    status: str = "unchanged"  # created, updated, unchanged, error
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    risk: Risk | None = None
    assessment: Assessment | None = None
    risk_fields: dict = field(default_factory=dict)
    leads: list[Post] | None = None
    pillars: list[Pillar] | None = None
    update: dict = field(default_factory=dict)


@dataclass
class Plan:
    register: Register
    period: ReportingPeriod | None
    rows: list[RowPlan]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def writes(self) -> int:
        return self.count("created") + self.count("updated")


class ImportRefused(Exception):
    def __init__(self, plan: Plan):
        super().__init__("The import has errors")
        self.plan = plan


class _World:
    """What every row is checked against, read once: a plan costs a fixed number of queries."""

    def __init__(self, register: Register, period: ReportingPeriod):
        self.risks = {
            r.ref: r for r in Risk.objects.filter(register=register).select_related("owner")
            .prefetch_related(
                Prefetch("risklead_set", queryset=RiskLead.objects.select_related("post")),
                "pillars",
            )
        }
        self.posts = {p.name.lower(): p for p in Post.objects.all()}
        self.pillars = {p.name.lower(): p for p in Pillar.objects.all()}
        self.assessments = {
            a.risk_id: a for a in Assessment.objects.of_register(register, [period])
        }


def plan_import(register: Register, period: ReportingPeriod, records: list[dict]) -> Plan:
    world = _World(register, period)
    seen: dict[int, int] = {}
    rows = []
    for record in records:
        row = _plan_row(record["line"], record["cells"], world)
        if row.ref is not None:
            if row.ref in seen:
                row.errors.append(f"Risk {row.ref} is also on line {seen[row.ref]}")
            else:
                seen[row.ref] = row.line
        if row.errors:
            row.status = "error"
        rows.append(row)
    return Plan(register, period, rows)


def _plan_row(line: int, cells: dict[str, str], world: _World) -> RowPlan:
    row = RowPlan(line)
    try:
        row.ref = cols.ref(cells["ref"]) if cells.get("ref") else None
    except cols.CellError as exc:
        row.errors.append(str(exc))
    if row.ref is None and not row.errors:
        row.errors.append("The risk's number (Ref) is empty")
    risk = world.risks.get(row.ref) if row.ref else None
    row.risk = risk
    row.title = cells.get("title") or (risk.title if risk else "")
    wanted = _read_definition(cells, world, row)
    update = _read_update(cells, row)
    if risk is None:
        missing = [words for k, words in REQUIRED_FOR_NEW.items() if not wanted.get(k)]
        if missing and row.ref:
            row.errors.append(f"A new risk needs {', '.join(missing[:-1])}"
                              f"{' and ' if len(missing) > 1 else ''}{missing[-1]}")
    _compare_definition(row, risk, wanted)
    assessment = world.assessments.get(risk.pk) if risk else None
    row.assessment = assessment
    _compare_update(row, assessment, update)
    if risk is not None and not risk.is_active and row.changes:
        row.errors.append(f"Risk {risk.ref} is retired: reinstate it before importing changes")
    if assessment is not None and row.update and assessment.state not in Assessment.EDITABLE_STATES:
        row.errors.append(
            f"This quarter's update of risk {risk.ref} is {assessment.get_state_display().lower()}"
            f": an import cannot change its score, progress or commentary"
        )
    if not row.errors:
        row.status = "created" if risk is None else ("updated" if row.changes else "unchanged")
    return row


def _parse(row: RowPlan, parse, text: str):
    try:
        return parse(text)
    except cols.CellError as exc:
        row.errors.append(str(exc))
        return None


def _posts(row: RowPlan, text: str, known: dict, what: str) -> list:
    found = []
    for name in cols.names(text):
        item = known.get(name.lower())
        if item is None:
            row.errors.append(f"There is no {what} called “{name[:80]}”: add it first, or correct "
                              "the name")
        elif item not in found:
            found.append(item)
    return found


def _read_definition(cells: dict[str, str], world: _World, row: RowPlan) -> dict:
    wanted: dict = {}
    if "title" in cells:
        if not cells["title"] and row.risk is not None:
            row.errors.append("The title is empty")
        elif len(cells["title"]) > TITLE_MAX:
            row.errors.append(f"The title is longer than {TITLE_MAX} characters")
        wanted["title"] = cells["title"]
    for key in ("description", "appetite"):
        if key in cells:
            wanted[key] = cells[key]
    if "description_agreed" in cells:
        agreed = _parse(row, cols.yes_no, cells["description_agreed"])
        wanted["description_agreed"] = True if agreed is None else agreed
    if "horizon" in cells:
        wanted["horizon"] = _parse(row, cols.horizon, cells["horizon"]) or ""
        if not cells["horizon"] and row.risk is not None:
            row.errors.append("The horizon is empty: give Short-term or Long-term")
    if "owner" in cells:
        owners = _posts(row, cells["owner"], world.posts, "post") if cells["owner"] else []
        if not cells["owner"] and row.risk is not None:
            row.errors.append("The owner is empty")
        elif len(owners) > 1:
            row.errors.append("A risk has one owner: give one post")
        wanted["owner"] = owners[0] if owners else None
    if "leads" in cells:
        row.leads = _posts(row, cells["leads"], world.posts, "post")
    if "pillars" in cells:
        row.pillars = _posts(row, cells["pillars"], world.pillars, "pillar")
    target = _pair(cells, row, "target", "target_likelihood", "target_impact", "target")
    if target is not None:
        wanted["target_likelihood"], wanted["target_impact"] = target
    return wanted


def _pair(cells, row: RowPlan, both: str, one: str, other: str, what: str):
    """A position from one combined column or two separate ones; None when not given."""
    if both in cells:
        return _parse(row, cols.position, cells[both]) or (None, None)
    if one in cells or other in cells:
        a = _parse(row, cols.level, cells.get(one, ""))
        b = _parse(row, cols.level, cells.get(other, ""))
        if (a is None) != (b is None):
            row.errors.append(f"Give both the {what} likelihood and impact, or neither")
        return a, b
    return None


def _read_update(cells: dict[str, str], row: RowPlan) -> dict:
    update: dict = {}
    current = _pair(cells, row, "position", "likelihood", "impact", "current")
    if current is not None:
        update["likelihood"], update["impact"] = current
    if "trend" in cells:
        update["trend"] = _parse(row, cols.trend, cells["trend"]) or ""
    if "progress" in cells:
        update["progress"] = _parse(row, cols.progress, cells["progress"]) or ""
    for key in ("commentary", "reasons"):
        if key in cells:
            update[key] = cells[key]
    if "not_rated_reason" in cells:
        reason = cells["not_rated_reason"]
        if len(reason) > REASON_MAX:
            row.errors.append(f"“Not rated because” is longer than {REASON_MAX} characters")
        update["not_rated"] = bool(reason)
        update["not_rated_reason"] = reason
        if reason:
            given = [LABELS[k].lower() for k in ("trend", "progress") if update.get(k)]
            if update.get("likelihood"):
                given.insert(0, "score")
            if given:
                row.errors.append(
                    f"A risk not rated this quarter has no {' or '.join(given)}: leave them empty"
                )
            # Not rated: no rating at all (the database's rule), whatever columns the file has.
            update.update(likelihood=None, impact=None, trend="", progress="",
                          score_change_source="")
    return update


def _words(value) -> str:
    if isinstance(value, Post | Pillar):
        return value.name
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value) if value not in (None, "") else "empty"


def _compare_definition(row: RowPlan, risk: Risk | None, wanted: dict) -> None:
    for key, value in wanted.items():
        if key in ("target_likelihood", "target_impact"):
            continue
        stored = getattr(risk, key) if risk else None
        same = _same_text(stored, value) if key in ("title", "description", "appetite") and risk \
            else stored == value
        if risk is None or not same:
            row.risk_fields[key] = value
            if risk is not None:
                long = key in ("description", "appetite")
                row.changes.append(LABELS[key] if long else
                                   f"{LABELS[key]}: {_words(stored)} → {_words(value)}")
    if "target_likelihood" in wanted:
        new = (wanted["target_likelihood"], wanted["target_impact"])
        old = (risk.target_likelihood, risk.target_impact) if risk else (None, None)
        if risk is None or new != old:
            row.risk_fields["target_likelihood"], row.risk_fields["target_impact"] = new
            if risk is not None:
                row.changes.append(f"Target: {_position(old)} → {_position(new)}")
    if row.leads is not None:
        old = [link.post for link in risk.risklead_set.all()] if risk else []
        if [p.pk for p in old] != [p.pk for p in row.leads]:
            if risk is not None:
                row.changes.append("Leads")
        else:
            row.leads = None
    if row.pillars is not None:
        old = set(risk.pillars.all()) if risk else set()
        if old != set(row.pillars):
            if risk is not None:
                row.changes.append("Pillars")
        else:
            row.pillars = None


def _position(pair) -> str:
    return position_label(*pair) or "none"


def _compare_update(row: RowPlan, assessment: Assessment | None, update: dict) -> None:
    for key, value in update.items():
        stored = getattr(assessment, key) if assessment else _EMPTY.get(key)
        same = _same_text(stored, value) if isinstance(value, str) else stored == value
        if not same:
            row.update[key] = value
    if row.update and row.risk is not None:
        pair = ("likelihood", "impact")
        if any(k in row.update for k in pair):
            old = (assessment.likelihood, assessment.impact) if assessment else (None, None)
            row.changes.append(f"Current position: {_position(old)} → "
                               f"{_position((update['likelihood'], update['impact']))}")
        for key in ("trend", "progress"):
            if key in row.update:
                old = getattr(assessment, f"get_{key}_display")() if assessment else ""
                new = dict(Assessment._meta.get_field(key).choices).get(row.update[key], "")
                row.changes.append(f"{LABELS[key]}: {old or 'empty'} → {new or 'empty'}")
        for key in ("commentary", "reasons", "not_rated"):
            if key in row.update:
                row.changes.append(LABELS[key])


_EMPTY = {"likelihood": None, "impact": None, "trend": "", "progress": "", "commentary": "",
          "reasons": "", "not_rated": False, "not_rated_reason": "", "score_change_source": ""}
