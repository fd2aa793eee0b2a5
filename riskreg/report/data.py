"""Everything the Audit Panel report says, built from the data with a fixed number of queries.

The figures ("eight are assessed … to be 'green'") are counted here from the period's approved
assessments and written as words; the team's prose comes from the Report row; the appendices
reuse the register's own builders (risks.heatmaps, risks.registers, maturity.plan) so the PDF
and the pages show the same tables. The preview page and the PDF render this one object
through the same templates.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Prefetch, Q, Subquery

from controls.models import Control, ControlUpdate
from maturity.models import ActionPlan, SelfAssessment, assessment_year_for
from maturity.plan import ThemeRows, appendix_c
from maturity.selfassessment import benchmark_summary
from risks.alignment import Alignment, alignment
from risks.changes import Arrivals, arrivals
from risks.heatmaps import HeatMap, heat_maps
from risks.models import Assessment, Horizon, Progress, Rag, ScoreChangeSource
from risks.text import Block, blocks

from .models import PROSE_FIELDS, Report
from .text import (
    Numbered,
    Numberer,
    capfirst,
    count_noun,
    fill,
    has_have,
    is_are,
    join_words,
    number_words,
)

# Names the team may write in braces in the prose ("information on {appendix_b_count} of the
# risks"): the report fills in the figure, in words, so no figure is ever typed in.
TOKENS = {
    "risk_count": "how many risks the report covers",
    "green_count": "how many risks are green",
    "amber_count": "how many risks are amber",
    "red_count": "how many risks are red",
    "appendix_b_count": "how many risks Appendix B sets out",
    "benchmark": "the risk maturity self-assessment benchmark, as a sentence (for 1.11)",
    "score_changes": (
        "which risks' scores fell or rose since the last quarter, and whether controls or a "
        "re-assessment moved them (\"One long-term risk has seen a decrease in score, but this "
        "is due to a reassessment of score\"), for the team's words to continue; when no score "
        "changed, its whole sentence is left out"
    ),
    "progress_options": (
        "the options for progress towards the target score, counted and listed (\"four "
        "possible options: On track; Limited; Slipped and No progress\")"
    ),
}

# The order of the groups of risks to note; RAG words as the report writes them.
NOTED_GROUPS = [Progress.ON_TRACK, Progress.LIMITED, Progress.SLIPPED, Progress.NO_PROGRESS]
RAG_ARTICLES = {Rag.GREEN: "a", Rag.AMBER: "an", Rag.RED: "a"}
PROGRESS_OPTIONS = [label for _, label in Progress.choices]


def progress_options_words() -> str:
    """ "four possible options: On track; Limited; Slipped and No progress" (paragraph 1.2)."""
    return (
        f"{count_noun(len(PROGRESS_OPTIONS), 'possible option')}: "
        f"{join_words(PROGRESS_OPTIONS, separator='; ')}"
    )


@dataclass(frozen=True)
class ScoreChange:
    """A risk whose score this period differs from its last approved score before it."""

    ref: int
    horizon: str
    before: int
    after: int
    source: str  # ScoreChangeSource, or "" when the owner gave no reason

    @property
    def direction(self) -> str:
        return "decrease" if self.after < self.before else "increase"


# Why a score moved, as the report says it, by direction: the first words join the sentence
# when every risk moved for the same reason; the second list each reason's risks.
_CAUSES = {
    "decrease": {
        ScoreChangeSource.REASSESSMENT: (", but this is due to a reassessment of score",
                                         "due to a reassessment of score"),
        ScoreChangeSource.CONTROLS: (" as a result of controls being implemented",
                                     "as a result of controls being implemented"),
    },
    "increase": {
        ScoreChangeSource.REASSESSMENT: (" due to a reassessment of score",
                                         "due to a reassessment of score"),
        ScoreChangeSource.CONTROLS: (" as a result of changes to controls",
                                     "as a result of changes to controls"),
    },
}
_NO_CAUSE = ("", "with no reason recorded")


def _which_risks(changes: list[ScoreChange]) -> str:
    """ "one long-term risk", "two short-term risks", "three risks (one short-term and two
    long-term)"."""
    by_horizon = [
        (label.lower(), n) for value, label in Horizon.choices
        if (n := sum(1 for c in changes if c.horizon == value))
    ]
    if len(by_horizon) == 1:
        label, n = by_horizon[0]
        return count_noun(n, f"{label} risk")
    parts = [f"{number_words(n)} {label}" for label, n in by_horizon]
    return f"{count_noun(len(changes), 'risk')} ({join_words(parts)})"


def _score_change_clause(direction: str, changes: list[ScoreChange]) -> str:
    n = len(changes)
    article = "an" if direction == "increase" else "a"
    clause = f"{_which_risks(changes)} {has_have(n)} seen {article} {direction} in score"
    sources = [s for s in [*ScoreChangeSource.values, ""] if any(c.source == s for c in changes)]
    causes = _CAUSES[direction]
    if len(sources) == 1:
        return clause + causes.get(sources[0], _NO_CAUSE)[0]
    parts = [
        f"{number_words(sum(1 for c in changes if c.source == s))} {causes.get(s, _NO_CAUSE)[1]}"
        for s in sources
    ]
    return f"{clause}: {join_words(parts)}"


def score_changes_words(changes: list[ScoreChange]) -> str:
    """ "one long-term risk has seen a decrease in score, but this is due to a reassessment of
    score": decreases first, then increases, each its own sentence, without the last full stop
    (the team's words may continue it). Empty when no score changed."""
    clauses = [
        _score_change_clause(direction, group)
        for direction in ("decrease", "increase")
        if (group := [c for c in changes if c.direction == direction])
    ]
    return ". ".join(capfirst(c) if i else c for i, c in enumerate(clauses))


@dataclass(frozen=True)
class Figures:
    """Counts of the period's approved assessments: the report's figures."""

    total: int
    approved: int
    green: int
    amber: int
    red: int
    appendix_b: int
    register_words: str = "corporate"

    def count(self, rag: str) -> int:
        return {Rag.GREEN: self.green, Rag.AMBER: self.amber, Rag.RED: self.red}[rag]

    def tokens(self) -> dict[str, str]:
        return {
            "risk_count": number_words(self.total),
            "green_count": number_words(self.green),
            "amber_count": number_words(self.amber),
            "red_count": number_words(self.red),
            "appendix_b_count": number_words(self.appendix_b),
        }

    @property
    def summary_sentence(self) -> str:
        """ "In terms of progress against our corporate risks, eight are assessed by the respective
        risk owners and working leads to be 'green' and two risks are assessed to be 'amber'." """
        parts = []
        for rag in Rag.values:
            n = self.count(rag)
            if not n:
                continue
            if not parts:
                parts.append(
                    f"{number_words(n)} {is_are(n)} assessed by the respective risk owners and "
                    f"working leads to be '{rag}'"
                )
            else:
                parts.append(f"{count_noun(n, 'risk')} {is_are(n)} assessed to be '{rag}'")
        opening = f"In terms of progress against our {self.register_words} risks, "
        if not parts:
            return opening + "none has yet been assessed."
        return opening + join_words(parts) + "."

    @property
    def position_sentence(self) -> str:
        """ "Eight risks are reporting a 'green' status and on track this quarter and two risks
        are reporting an 'amber' status." """
        parts = []
        for rag in Rag.values:
            n = self.count(rag)
            if not n:
                continue
            part = f"{count_noun(n, 'risk')} {is_are(n)} reporting {RAG_ARTICLES[rag]} '{rag}' status"
            if rag == Rag.GREEN:
                part += " and on track this quarter"
            parts.append(part)
        if not parts:
            return "No risk has reported its progress this quarter yet."
        return capfirst(join_words(parts)) + "."


def benchmark_sentence(meeting_date: datetime.date) -> str:
    """The latest self-assessment benchmark known at the meeting, as maturity words it."""
    year = (
        SelfAssessment.objects.filter(year__lte=assessment_year_for(meeting_date))
        .order_by("-year").values_list("year", flat=True).first()
    )
    summary = benchmark_summary(year) if year is not None else None
    if summary is None:
        return "No risk maturity self-assessment results have been recorded yet."
    return summary.sentence


@dataclass
class Part:
    """One element of section 1: a heading, a sub-heading or a numbered paragraph."""

    kind: str  # "heading", "subheading", "numbered"
    text: str = ""
    item: Numbered | None = None


@dataclass
class KeyControlStatus:
    """A key control of an Appendix B risk and its update this quarter, if it has one; named
    and described as the quarter recorded it once the quarter is closed (`record`)."""

    control: Control
    update: ControlUpdate | None
    record: ControlUpdate | None = None

    @property
    def status_label(self) -> str:
        return self.update.get_status_display() if self.update else "No update this quarter"

    @property
    def title(self) -> str:
        return self.record.title if self.record else self.control.title

    @property
    def category(self) -> str:
        return self.record.category if self.record else self.control.category

    @property
    def milestone(self) -> str:
        return self.record.milestone if self.record else self.control.milestone

    @property
    def owner_name(self) -> str:
        if self.record:
            return self.record.owner_name
        return self.control.owner.name if self.control.owner_id else ""


@dataclass
class RoadToTarget:
    """One risk of Appendix B: its appetite, key controls and overall assessment."""

    assessment: Assessment
    controls: list[KeyControlStatus]

    @property
    def risk(self):
        return self.assessment.risk

    @property
    def progress_options(self) -> list[tuple[str, bool]]:
        chosen = self.assessment.get_progress_display() if self.assessment.progress else ""
        return [(label, label == chosen) for label in PROGRESS_OPTIONS]


@dataclass(frozen=True)
class Appendix:
    letter: str
    title: str
    sensitive: bool = False


@dataclass
class ReportDocument:
    report: Report
    public: bool
    figures: Figures
    created: str
    modified: str
    summary_purpose: list[Block]
    summary_figures: list[Block]
    key_considerations: list[Block]
    interdependencies: list[Block]
    recommendations: list[Block]
    section1: list[Part]
    equality: list[Block]
    financial: list[Block]
    legal: list[Block]
    risk_implications: list[Block]
    appendices: list[Appendix]
    by_horizon: list[tuple[str, str, list[Assessment]]]
    heat_maps: list[HeatMap]
    alignment: Alignment
    road_to_target: list[RoadToTarget]
    plan: ActionPlan | None
    plan_rows: list[ThemeRows]
    pending: list[Assessment] = field(default_factory=list)
    score_changes: list[ScoreChange] = field(default_factory=list)

    @property
    def period(self):
        return self.report.period

    @property
    def month(self) -> str:
        return _month(self.report.meeting_date)

    @property
    def appendix_b(self) -> Appendix:
        return self.appendices[1]

    @property
    def show_appendix_b(self) -> bool:
        return not self.public

    @property
    def title(self) -> str:
        suffix = " (public version)" if self.public else ""
        return f"{self.report.title} – {_day(self.report.meeting_date)}{suffix}"


_SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov",
                 "Dec"]


def plan_as_of(plan: ActionPlan, rows: list[ThemeRows], meeting: datetime.date) -> str:
    """ "Sept 2021": the month of the plan's own date, or of its latest update logged by the
    meeting, so a later report's Appendix C is not titled with the first plan's month."""
    logged = [e.date for t in rows for r in t.items for e in r.log if e.date <= meeting]
    d = max([plan.date, *logged])
    return f"{_SHORT_MONTHS[d.month - 1]} {d.year}"


def _day(d: datetime.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _month(d: datetime.date) -> str:
    return f"{d:%B %Y}"


def risk_name(title: str) -> str:
    """ "PUBLIC & LOCAL ENGAGEMENT" → "Public and Local Engagement", as section 1 names risks."""
    small = {"and", "of", "the", "to", "in", "for", "on", "a"}
    words = []
    for i, word in enumerate(title.replace("&", "and").split()):
        lower = word.lower()
        words.append(lower if i and lower in small else lower[:1].upper() + lower[1:])
    return " ".join(words)


def register_words(name: str) -> str:
    """ "Corporate risk register" → "corporate": how the report speaks of its risks."""
    words = name.strip()
    for suffix in (" risk register", " register"):
        if words.lower().endswith(suffix):
            words = words[: -len(suffix)]
            break
    return words.lower() or "corporate"


def _iso(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.isoformat()}T00:00:00Z"


def metadata_dates(report: Report) -> tuple[str, str]:
    """Fixed PDF dates, so the same data gives the same bytes: the period's close (or the
    meeting date) as created; publication (or the last edit) as modified."""
    created = report.period.closed_at or report.meeting_date
    modified = report.published_at or report.updated_at or created
    return _iso(created), _iso(modified)


def _noted_item(numberer: Numberer, a: Assessment) -> Numbered:
    where = f"risk {a.ref} – {a.get_horizon_display().lower()}"
    found = blocks(a.commentary)
    if not a.progress:
        # Not rated (risk 10): its name stands as a heading, the commentary below it.
        return Numbered(numberer.next(), found, lead=f"{risk_name(a.title)} ({where})",
                        lead_alone=True)
    return Numbered(numberer.next(), found, lead=f"{risk_name(a.title)} ({where}):")


def _named(rows: list[Assessment]) -> str:
    """ "risk 3 (Public and Local Engagement) and risk 5 (People)" """
    return join_words([f"risk {a.ref} ({risk_name(a.title)})" for a in rows])


def record_sentences(
    period, *, not_approved: list[Assessment], came: Arrivals
) -> list[str]:
    """What the quarter's record itself says: that it closed before every update was
    approved (and which), and which risks came onto, left or came back to the register."""
    sentences = []
    if not_approved:
        n = len(not_approved)
        sentences.append(
            f"{period.name} closed before every update was approved: the "
            f"{'update' if n == 1 else 'updates'} of {_named(not_approved)} "
            f"{'was' if n == 1 else 'were'} not approved, so {'it is' if n == 1 else 'they are'} "
            "left out of the figures, the heat maps and the alignment table."
        )
    for rows, done in ((came.new, "added to the register"), (came.retired, "retired"),
                       (came.reinstated, "reinstated")):
        if rows:
            n = len(rows)
            sentences.append(
                capfirst(f"{_named(rows)} {'was' if n == 1 else 'were'} {done} this quarter.")
            )
    return sentences


def _section1(
    report: Report, figures: Figures, tokens, noted_on_track, others, unscored, record=()
):
    numberer = Numberer(1)
    parts = [Part("heading", "Corporate risk update")]
    parts += [Part("numbered", item=n) for n in numberer.paragraphs(fill(report.introduction, tokens))]

    parts.append(Part("heading", "Risk position update"))
    notes = blocks(fill(report.position_notes, tokens))
    opening = figures.position_sentence
    if notes and notes[0].kind == "p":
        opening = f"{opening} {notes.pop(0).text}"
    parts.append(Part("numbered", item=Numbered(numberer.next(), [Block("p", opening), *notes])))
    if record:
        parts.append(Part("numbered", item=Numbered(numberer.next(), [Block("p", " ".join(record))])))

    if noted_on_track:
        parts.append(Part("subheading", f"'{Progress.ON_TRACK.label}' risks to note are:"))
        parts += [Part("numbered", item=_noted_item(numberer, a)) for a in noted_on_track]
    for progress in NOTED_GROUPS[1:]:
        group = [a for a in others if a.progress == progress]
        if group:
            parts.append(Part("subheading", f"'{progress.label}' risks to note are:"))
            parts += [Part("numbered", item=_noted_item(numberer, a)) for a in group]
    if unscored:
        if not others:
            parts.append(Part("subheading", "Risks still to be finalised:"))
        parts += [Part("numbered", item=_noted_item(numberer, a)) for a in unscored]
    parts += [
        Part("numbered", item=n) for n in numberer.paragraphs(fill(report.further_notes, tokens))
    ]

    maturity = numberer.paragraphs(fill(report.maturity, tokens))
    if maturity:
        parts.append(Part("heading", "Risk maturity action plan"))
        parts += [Part("numbered", item=n) for n in maturity]
    return parts


def _road_to_target(report: Report, assessments: list[Assessment], chosen: set[int]):
    chosen_rows = [a for a in assessments if a.risk_id in chosen]
    if not chosen_rows:
        return []
    period = report.period
    by_risk: dict[int, list[KeyControlStatus]] = {}
    if not period.is_open:
        # A closed quarter's key controls, as it recorded them: whatever became of them since.
        for record in (
            ControlUpdate.objects.filter(
                period=period, risk__in=[a.risk_id for a in chosen_rows],
                is_key=True, retired=False,
            )
            .select_related("control")
            .order_by("risk_id", "order", "control_id")
        ):
            by_risk.setdefault(record.risk_id, []).append(
                KeyControlStatus(record.control, record if record.status else None, record)
            )
        return [RoadToTarget(a, by_risk.get(a.risk_id, [])) for a in chosen_rows]
    controls = (
        Control.objects.filter(risk_id__in=[a.risk_id for a in chosen_rows], is_key=True,
                               is_active=True)
        # A control added in a later quarter was not part of this report's road to target.
        .filter(Q(added_in__isnull=True) | Q(added_in__start__lte=period.start))
        .select_related("owner")
        .prefetch_related(
            Prefetch("updates", queryset=ControlUpdate.objects.filter(period=period),
                     to_attr="period_updates")
        )
        .order_by("risk_id", "order", "pk")
    )
    for control in controls:
        update = control.period_updates[0] if control.period_updates else None
        by_risk.setdefault(control.risk_id, []).append(KeyControlStatus(control, update))
    return [RoadToTarget(a, by_risk.get(a.risk_id, [])) for a in chosen_rows]


def build(report: Report, *, public: bool = False) -> ReportDocument:
    """The whole report: 15 queries (with Appendix B risks chosen), however many risks."""
    period, register = report.period, report.register
    # Each risk's last approved score before this period, as the quarterly update compares
    # (risks.services.last_approved): a subquery, so it costs no query of its own.
    previous_score = (
        Assessment.objects.filter(
            risk=OuterRef("risk"), state=Assessment.State.APPROVED, period__start__lt=period.start
        )
        .order_by("-period__start")
        .annotate(product=F("likelihood") * F("impact"))
        .values("product")[:1]
    )
    # The quarter's record, as every page shows it (AssessmentQuerySet.shown): the risks as
    # the quarter recorded them, those retired this quarter named, not listed.
    shown = Assessment.objects.of_register(register).shown(period, None)
    assessments = list(
        shown.filter(retired=False).annotate(previous_score=Subquery(previous_score))
        .order_by("ref")
    )
    noted_ids = set(report.noted_risks.values_list("pk", flat=True))
    appendix_b_ids = set(report.appendix_b_risks.values_list("pk", flat=True))

    approved = [a for a in assessments if a.state == Assessment.State.APPROVED]
    rag_counts = {rag: sum(1 for a in approved if a.rag == rag) for rag in Rag.values}
    road = _road_to_target(report, approved, appendix_b_ids)
    figures = Figures(
        total=len(assessments),
        approved=len(approved),
        green=rag_counts[Rag.GREEN],
        amber=rag_counts[Rag.AMBER],
        red=rag_counts[Rag.RED],
        appendix_b=len(road),
        register_words=register_words(register.name),
    )
    score_changes = [
        ScoreChange(a.ref, a.horizon, a.previous_score, a.score, a.score_change_source)
        for a in approved
        if a.score is not None and a.previous_score is not None and a.score != a.previous_score
    ]
    tokens = figures.tokens() | {
        "score_changes": score_changes_words(score_changes),
        "progress_options": progress_options_words(),
    }
    # The benchmark costs a few queries of its own: only when the text asks for it.
    if any("{benchmark}" in getattr(report, name).lower() for name in PROSE_FIELDS):
        tokens["benchmark"] = benchmark_sentence(report.meeting_date)

    noted_on_track = [a for a in approved if a.progress == Progress.ON_TRACK and a.risk_id in noted_ids]
    others = [a for a in approved if a.progress and a.progress != Progress.ON_TRACK]
    unscored = [a for a in approved if not a.progress]

    pending = [a for a in assessments if a.state != Assessment.State.APPROVED]
    previous = period.previous()
    came = arrivals(shown, previous) if previous else Arrivals()
    record = record_sentences(
        period, not_approved=[] if period.is_open else pending, came=came
    )

    summary_figures = [Block("p", figures.summary_sentence)]
    notes = blocks(fill(report.summary_notes, tokens))
    if notes and notes[0].kind == "p":
        summary_figures = [Block("p", f"{figures.summary_sentence} {notes.pop(0).text}")]
    summary_figures += notes

    plan = ActionPlan.objects.filter(date__lte=report.meeting_date).order_by("-date", "-pk").first()
    # Overdue marks are judged at the meeting date, never today, so a report never changes.
    plan_rows = appendix_c(plan, today=report.meeting_date) if plan else []

    month = _month(report.meeting_date)
    words = register_words(register.name)
    appendices = [
        Appendix("A", f"Summary of {words} risks and heat maps – {month}"),
        Appendix("B", f"'Road to target' assessments for example {words} risks – {month}",
                 sensitive=True),
        Appendix("C", f"{plan.title} {plan_as_of(plan, plan_rows, report.meeting_date)}"
                 if plan else "Risk maturity action plan"),
    ]
    created, modified = metadata_dates(report)
    horizons = [
        (value, label, [a for a in assessments if a.horizon == value])
        for value, label in Horizon.choices
    ]
    return ReportDocument(
        report=report,
        public=public,
        figures=figures,
        created=created,
        modified=modified,
        summary_purpose=blocks(fill(report.summary_purpose, tokens)),
        summary_figures=summary_figures,
        key_considerations=blocks(fill(report.key_considerations, tokens)),
        interdependencies=blocks(fill(report.interdependencies, tokens)),
        recommendations=blocks(fill(report.recommendations, tokens)),
        section1=_section1(
            report, figures, tokens, noted_on_track, others, unscored, record=record
        ),
        equality=blocks(fill(report.equality, tokens)),
        financial=blocks(fill(report.financial, tokens)),
        legal=blocks(fill(report.legal, tokens)),
        risk_implications=blocks(fill(report.risk_implications, tokens)),
        appendices=appendices,
        by_horizon=[h for h in horizons if h[2]],
        heat_maps=heat_maps(register, period, rows=shown),
        alignment=alignment(register, period, rows=shown),
        road_to_target=road,
        plan=plan,
        plan_rows=plan_rows,
        pending=pending,
        score_changes=score_changes,
    )

