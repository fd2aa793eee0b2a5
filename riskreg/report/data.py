"""Everything the Audit Panel report says, built from the data with a fixed number of queries.

The figures ("eight are assessed … to be 'green'") are counted here from the period's approved
assessments and written as words; the team's prose comes from the Report row; the appendices
reuse the register's own builders (risks.heatmaps, risks.registers, maturity.plan) so the PDF
and the pages show the same tables. The preview page and the PDF render this one object
through the same templates.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery

from controls.models import Control, ControlUpdate
from maturity.models import ActionPlan, SelfAssessment, assessment_year_for
from maturity.plan import ThemeRows, appendix_c
from maturity.selfassessment import benchmark_summary
from risks.alignment import Alignment, alignment
from risks.changes import Arrivals, arrivals
from risks.heatmaps import HeatMap, heat_maps
from risks.models import Assessment, Escalation, Horizon, IndicatorValue, Progress, Rag
from risks.text import Block, blocks

from .models import PROSE_FIELDS, Report
from .section1 import Part, Words, section1
from .text import computed, plain
from .words import (
    PROGRESS_OPTIONS,
    Figures,
    ScoreChange,
    named_risks,
    progress_options_words,
    record_sentences,
    register_words,
    score_change_sentences,
    score_changes_words,
)


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

    @property
    def note_this_quarter(self) -> str:
        """The note written this quarter; a note kept from an earlier quarter is not news."""
        update = self.update
        return update.note if update is not None and update.note_written_this_quarter else ""


@dataclass
class RoadToTarget:
    """One risk of Appendix B: its appetite, key controls and overall assessment."""

    assessment: Assessment
    controls: list[KeyControlStatus]
    # Its key risk indicators out of threshold (amber or red) this quarter, in their order.
    indicators: list[IndicatorValue] = field(default_factory=list)

    @property
    def risk(self):
        return self.assessment.risk

    @property
    def progress_options(self) -> list[tuple[str, bool]]:
        chosen = self.assessment.get_progress_display() if self.assessment.progress else ""
        return [(label, label == chosen) for label in PROGRESS_OPTIONS]

    @property
    def reasons(self) -> str:
        """Why progress is not on track, as the owner gave it; empty when it is on track."""
        a = self.assessment
        return a.reasons.strip() if a.progress and a.progress != Progress.ON_TRACK else ""


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
    tokens: dict[str, str] = field(default_factory=dict)
    preview: bool = False

    @property
    def without_appetite(self) -> list[Assessment]:
        """Appendix B's risks that have no appetite recorded."""
        return [r.assessment for r in self.road_to_target if not r.assessment.appetite.strip()]

    @property
    def appendix_b_intro(self) -> str:
        """What Appendix B gives for each risk: appetite promised only where there is one."""
        rest = (
            "the key controls in progress to improve its position with their status this "
            "quarter, and the overall assessment of progress towards the target score (On "
            "track, Limited, Slipped or No progress), with the reasons where it is not on track"
        )
        missing = self.without_appetite
        if not missing:
            return f"For each risk: its appetite, {rest}."
        if len(missing) == len(self.road_to_target):
            return f"For each risk: {rest}. Risk appetite is not yet recorded for these risks."
        return (
            f"For each risk: its appetite where one is recorded, {rest}. Risk appetite is not "
            f"yet recorded for {named_risks(missing)}."
        )

    @property
    def appetite_unpromised(self) -> list[str]:
        """The prose sections that speak of risk appetite while an Appendix B risk has none:
        what the compose page and the preview warn of."""
        if not self.without_appetite:
            return []
        return [name for name in PROSE_FIELDS
                if "appetite" in getattr(self.report, name).lower()]

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


def _same(text: str) -> str:
    return text


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


def _road_to_target(report: Report, assessments: list[Assessment], chosen: set[int]):
    chosen_rows = [a for a in assessments if a.risk_id in chosen]
    if not chosen_rows:
        return []
    road = _road_controls(report, chosen_rows)
    flagged = [r.assessment.risk_id for r in road if getattr(r.assessment, "indicators_out", 0)]
    if flagged:
        by_risk: dict[int, list[IndicatorValue]] = {}
        for v in (IndicatorValue.objects.filter(period=report.period, indicator__risk__in=flagged)
                  .out_of_threshold().select_related("indicator")
                  .order_by("indicator__order", "indicator_id")):
            by_risk.setdefault(v.indicator.risk_id, []).append(v)
        for r in road:
            r.indicators = by_risk.get(r.assessment.risk_id, [])
    return road


def _road_controls(report: Report, chosen_rows: list[Assessment]) -> list[RoadToTarget]:
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


def build(report: Report, *, public: bool = False, preview: bool = False) -> ReportDocument:
    """The whole report: 15 queries (with Appendix B risks chosen), however many risks, and
    one more when a commentary is carried unchanged from an earlier quarter.

    `preview` marks computed words (text.computed) for the preview page; the PDF and the
    published record are built without marks.
    """
    period, register = report.period, report.register
    mark = computed if preview else _same
    typed = plain if preview else _same
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
    # How many of each risk's key risk indicators are out of threshold this quarter: a
    # subquery, so that Appendix B reads the values (a query) only where there are some.
    indicators_out = (
        IndicatorValue.objects.filter(period=period, indicator__risk=OuterRef("risk"))
        .out_of_threshold().order_by().values("period").annotate(n=Count("pk")).values("n")
    )
    # The quarter's record, as every page shows it (AssessmentQuerySet.shown): the risks as
    # the quarter recorded them, those retired this quarter named, not listed.
    shown = Assessment.objects.of_register(register).shown(period, None)
    assessments = list(
        shown.filter(retired=False).annotate(previous_score=Subquery(previous_score),
                                             indicators_out=Subquery(indicators_out))
        .select_related("commentary_carried_from")
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
        ScoreChange(a.ref, a.horizon, a.previous_score, a.score, a.score_change_source,
                    title=a.title)
        for a in approved
        if a.score is not None and a.previous_score is not None and a.score != a.previous_score
    ]
    values = figures.tokens() | {
        "score_changes": score_changes_words(score_changes),
        "progress_options": progress_options_words(),
    }
    # The benchmark costs a few queries of its own: only when the text asks for it.
    if any("{benchmark}" in getattr(report, name).lower() for name in PROSE_FIELDS):
        values["benchmark"] = benchmark_sentence(report.meeting_date)
    tokens = {name: mark(value) for name, value in values.items()}
    words = Words(
        tokens=tokens,
        prose={name: typed(getattr(report, name)) for name in PROSE_FIELDS},
        reprinted=(
            set(report.reprinted_risks.values_list("pk", flat=True))
            if any(a.commentary_carried for a in approved) else set()
        ),
        mark=mark,
        typed=typed,
        named_score_changes=score_change_sentences(score_changes),
    )

    noted_on_track = [a for a in approved if a.progress == Progress.ON_TRACK and a.risk_id in noted_ids]
    others = [a for a in approved if a.progress and a.progress != Progress.ON_TRACK]
    unscored = [a for a in approved if not a.progress]

    pending = [a for a in assessments if a.state != Assessment.State.APPROVED]
    previous = period.previous()
    came = arrivals(shown, previous) if previous else Arrivals()
    # Escalations and de-escalations the quarter accepted into or out of this register;
    # example registers never reach a paper.
    moves = list(
        Escalation.objects.accepted().filter(period=period).touching([register.pk])
        .exclude(from_register__is_example=True).exclude(to_register__is_example=True)
        .select_related("risk", "result_risk", "from_register", "to_register")
        .order_by("decided_at", "pk")
    )
    record = record_sentences(
        period, not_approved=[] if period.is_open else pending, came=came, shown=approved,
        moves=moves, register=register,
    )

    summary_figures = [Block("p", mark(figures.summary_sentence))]
    notes = blocks(words.filled("summary_notes"))
    if notes and notes[0].kind == "p":
        summary_figures = [Block("p", f"{summary_figures[0].text} {notes.pop(0).text}")]
    summary_figures += notes

    plan = ActionPlan.objects.filter(date__lte=report.meeting_date).order_by("-date", "-pk").first()
    # Overdue marks are judged at the meeting date, never today, so a report never changes.
    plan_rows = appendix_c(plan, today=report.meeting_date) if plan else []

    month = _month(report.meeting_date)
    register_named = register_words(register.name)
    appendices = [
        Appendix("A", f"Summary of {register_named} risks and heat maps – {month}"),
        Appendix("B", f"'Road to target' assessments for example {register_named} risks – {month}",
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
        summary_purpose=blocks(words.filled("summary_purpose")),
        summary_figures=summary_figures,
        key_considerations=blocks(words.filled("key_considerations")),
        interdependencies=blocks(words.filled("interdependencies")),
        recommendations=blocks(words.filled("recommendations")),
        section1=section1(figures, words, noted_on_track, others, unscored, record=record),
        equality=blocks(words.filled("equality")),
        financial=blocks(words.filled("financial")),
        legal=blocks(words.filled("legal")),
        risk_implications=blocks(words.filled("risk_implications")),
        appendices=appendices,
        by_horizon=[h for h in horizons if h[2]],
        heat_maps=heat_maps(register, period, rows=shown),
        alignment=alignment(register, period, rows=shown),
        road_to_target=road,
        plan=plan,
        plan_rows=plan_rows,
        pending=pending,
        score_changes=score_changes,
        tokens=tokens,
        preview=preview,
    )

