"""One risk's quarterly update, the record of its risk for that quarter, and its pillars."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..scoring import Band, Scale, band_for, position_label, position_words
from .assessment_queries import AssessmentQuerySet
from .choices import RAG_FOR_PROGRESS, TREND_ARROWS, Progress, Rag, ScoreChangeSource, Trend
from .frozen import FrozenPeriodModel, FrozenPeriodQuerySet, both_or_neither, scale_check
from .periods import ReportingPeriod
from .registers import Pillar, Post
from .risk import Horizon, Risk


def attach_previous(assessments) -> list["Assessment"]:
    """Set .previous on each assessment (annotated by with_previous_id) with one query."""
    assessments = list(assessments)
    ids = {a.previous_id for a in assessments if a.previous_id}
    previous = Assessment.objects.select_related("period").in_bulk(ids) if ids else {}
    for a in assessments:
        a.previous = previous.get(a.previous_id)
    return assessments


@dataclass(frozen=True)
class AnswerChange:
    """One answer of a risk's update that changed, in words: in full (`label`, `before`,
    `after`, as the changes page lists them) and briefly (`name`, `brief_before`,
    `brief_after`, as a row of the review queue says them)."""

    name: str  # "Position"
    label: str  # "Position and score"
    before: str
    after: str
    brief_before: str = ""
    brief_after: str = ""
    long: bool = False  # free text: shown in full beneath, not inline


class Assessment(FrozenPeriodModel):
    """One risk's quarterly update for one period.

    Carried forward means "to check". A quarter opens with each risk's last approved answers
    copied into a draft, and each section of it (the current score; the trend, progress and
    commentary; the controls) counts as done only once its owner saved it, or confirmed it as
    "No change this quarter", this quarter: `score_checked_at`, `progress_checked_at` and
    `controls_checked_at` say when (None: not yet). The services set them
    (risks.services.save_assessment and confirm_unchanged, controls.services for the
    controls); riskreg.quarterly.services.submit_update refuses an update with a section
    unchecked.

    Whether the commentary is new this quarter is stored with it, so that any page or report
    knows it without a query of its own: `commentary_carried_from` is the quarter whose update
    wrote this text when the commentary is the same (after stripping) as the risk's last
    approved update's before this quarter, and None when it was written this quarter (or is
    empty). It is set when the draft is carried forward, and again whenever the commentary is
    saved or confirmed; a chain of unchanged quarters keeps the quarter that first wrote it.
    `commentary_carried` / `commentary_is_new` read it. (A closed quarter's value is fixed
    with the rest of its record.)
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    # The workflow: anything else is refused. Owners edit only a draft or a returned update.
    TRANSITIONS = {
        State.DRAFT: {State.SUBMITTED},
        State.RETURNED: {State.SUBMITTED},
        # Back to a draft: its submitter recalls it before review (services.recall_assessment).
        State.SUBMITTED: {State.APPROVED, State.RETURNED, State.DRAFT},
        State.APPROVED: set(),
    }
    EDITABLE_STATES = {State.DRAFT, State.RETURNED}
    # The fields an owner or lead may write; review fields are never among them.
    OWNER_FIELDS = (
        "likelihood", "impact", "score_change_source", "trend", "progress", "commentary", "reasons",
        "not_rated", "not_rated_reason",
    )
    # The sections of the update that an owner saves or confirms, each with its fields.
    SECTIONS = {
        "score": ("likelihood", "impact", "score_change_source", "not_rated", "not_rated_reason"),
        "progress": ("trend", "progress", "reasons", "commentary"),
    }

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="assessments")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="assessments")
    likelihood = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    impact = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    trend = models.CharField(max_length=10, choices=Trend.choices, blank=True)
    progress = models.CharField(max_length=12, choices=Progress.choices, blank=True)
    commentary = models.TextField(blank=True)
    reasons = models.TextField(blank=True, help_text="Why progress is not on track.")
    score_change_source = models.CharField(
        max_length=12, choices=ScoreChangeSource.choices, blank=True
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(blank=True)

    # Not rated this quarter (for example, its description is not agreed): no score, trend or
    # progress is asked for, and the risk stays out of every count, heat map and alignment.
    not_rated = models.BooleanField("not rated this quarter", default=False)
    not_rated_reason = models.CharField(
        "why it is not rated", max_length=500, blank=True,
        help_text='For example "The risk description is not yet agreed".',
    )

    # When each section was last saved or confirmed unchanged this quarter (see the docstring).
    score_checked_at = models.DateTimeField(null=True, blank=True)
    progress_checked_at = models.DateTimeField(null=True, blank=True)
    controls_checked_at = models.DateTimeField(null=True, blank=True)
    commentary_carried_from = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The quarter that wrote this commentary, when it is the same text as the last "
        "approved update's; empty when it was written this quarter.",
    )

    # The risk as this quarter shows it. Copied from the risk when the update is created,
    # kept in step with the risk while the quarter is open (risks.services.record_definition)
    # and fixed when the quarter closes, so that editing a risk never rewrites a past quarter.
    ref = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_agreed = models.BooleanField(default=True)
    horizon = models.CharField(max_length=5, choices=Horizon.choices, blank=True)
    owner = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    lead_names = models.JSONField(default=list, blank=True)
    target_likelihood = models.PositiveSmallIntegerField(
        choices=Scale.choices, null=True, blank=True
    )
    target_impact = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    appetite = models.TextField(blank=True)
    # Names, not references: the team may rename a level later, and the quarter keeps its words.
    appetite_level_name = models.CharField(max_length=100, blank=True)
    appetite_theme_name = models.CharField(max_length=100, blank=True)
    tolerance = models.PositiveSmallIntegerField(null=True, blank=True)
    retired = models.BooleanField(
        default=False, help_text="The risk was retired (no longer active) in this quarter."
    )
    pillars = models.ManyToManyField(
        Pillar, through="AssessmentPillar", related_name="+", blank=True
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "risk"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "period"], name="one_assessment_per_risk_per_period"),
            scale_check("assessment", "likelihood", nullable=True),
            scale_check("assessment", "impact", nullable=True),
            both_or_neither("assessment", "likelihood", "impact"),
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "approved"])
                | Q(progress="")
                | Q(progress="on_track")
                | ~Q(reasons=""),
                name="assessment_reasons_unless_on_track",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(reviewed_at__isnull=False),
                name="assessment_approved_has_review_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(review_comment=""),
                name="assessment_returned_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "approved", "returned"]),
                name="assessment_state_known",
            ),
            models.CheckConstraint(
                condition=Q(trend__in=["", *Trend.values]), name="assessment_trend_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__in=["", *Progress.values]), name="assessment_progress_known"
            ),
            models.CheckConstraint(
                condition=Q(score_change_source__in=["", *ScoreChangeSource.values]),
                name="assessment_score_change_source_known",
            ),
            models.CheckConstraint(
                condition=Q(not_rated=False)
                | Q(likelihood__isnull=True, trend="", progress="", score_change_source=""),
                name="assessment_not_rated_has_no_rating",
            ),
            models.CheckConstraint(
                condition=Q(not_rated=False) | ~Q(not_rated_reason=""),
                name="assessment_not_rated_says_why",
            ),
            scale_check("assessment", "target_likelihood", nullable=True),
            scale_check("assessment", "target_impact", nullable=True),
            both_or_neither("assessment", "target_likelihood", "target_impact"),
            models.CheckConstraint(
                condition=Q(horizon__in=["", *Horizon.values]), name="assessment_horizon_known"
            ),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True) | Q(tolerance__gte=1, tolerance__lte=16),
                name="assessment_tolerance_on_scale",
            ),
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.risk} — {self.period}"

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact

    @property
    def band(self) -> Band | None:
        return band_for(self.score)

    @property
    def position(self) -> str:
        return position_label(self.likelihood, self.impact)

    @property
    def position_words(self) -> str:
        return position_words(self.likelihood, self.impact)

    @property
    def rag(self) -> str:
        return RAG_FOR_PROGRESS.get(self.progress, "")

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label if self.rag else ""

    @property
    def trend_arrow(self) -> str:
        return TREND_ARROWS.get(self.trend, "")

    @property
    def is_scored(self) -> bool:
        return self.score is not None

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES and self.period.is_open

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, set())

    @property
    def state_tag_colour(self) -> str:
        return {
            self.State.DRAFT: "grey",
            self.State.SUBMITTED: "blue",
            self.State.APPROVED: "green",
            self.State.RETURNED: "orange",
        }.get(self.state, "grey")

    @property
    def target_score(self) -> int | None:
        if self.target_likelihood is None or self.target_impact is None:
            return None
        return self.target_likelihood * self.target_impact

    @property
    def target_position(self) -> str:
        return position_label(self.target_likelihood, self.target_impact)

    @property
    def target_band(self) -> Band | None:
        return band_for(self.target_score)

    @property
    def target_words(self) -> str:
        return position_words(self.target_likelihood, self.target_impact)

    def copy_definition(self, risk: Risk) -> None:
        """Take the risk's definition as it stands (its leads read in order, through
        risk.ordered_leads()); the pillars, a many-to-many, are set after saving."""
        self.ref = risk.ref
        self.title = risk.title
        self.description = risk.description
        self.description_agreed = risk.description_agreed
        self.horizon = risk.horizon
        self.owner_id = risk.owner_id
        self.owner_name = risk.owner.name
        self.lead_names = [post.name for post in risk.ordered_leads()]
        self.target_likelihood = risk.target_likelihood
        self.target_impact = risk.target_impact
        self.appetite = risk.appetite
        level = risk.appetite_level_shown
        self.appetite_level_name = level.name if level is not None else ""
        self.appetite_theme_name = risk.appetite_theme.name if risk.appetite_theme_id else ""
        self.tolerance = risk.tolerance
        self.retired = not risk.is_active

    DEFINITION_FIELDS = (
        "ref", "title", "description", "description_agreed", "horizon", "owner", "owner_name",
        "lead_names", "target_likelihood", "target_impact", "appetite", "appetite_level_name",
        "appetite_theme_name", "tolerance", "retired",
    )

    def save(self, *args, **kwargs):
        # Whatever creates an update (the services, the admin, a script), it records its risk
        # as it stands; fixtures load raw and keep what they hold.
        recording = self._state.adding and not self.title
        if recording:
            self.copy_definition(self.risk)
        super().save(*args, **kwargs)
        if recording:
            AssessmentPillar.objects.bulk_create([
                AssessmentPillar(assessment=self, pillar=pillar, period_id=self.period_id)
                for pillar in self.risk.pillars.all()
            ])

    @property
    def in_breach(self) -> bool:
        """Its current score is above the tolerance this quarter recorded."""
        return self.tolerance is not None and self.score is not None and self.score > self.tolerance

    def moves_away_from_target(self, previous: "Assessment | None") -> bool:
        """True when this score is further from the risk's target than the previous score."""
        target = self.target_score
        if target is None or self.score is None or previous is None or previous.score is None:
            return False
        return abs(self.score - target) > abs(previous.score - target)

    def score_changed_since(self, previous: "Assessment | None") -> bool:
        if previous is None:
            return False
        return (self.likelihood, self.impact) != (previous.likelihood, previous.impact)

    @property
    def position_summary(self) -> str:
        """ "M v H (score 6, High)", or "Not scored"."""
        if not self.is_scored:
            return "Not scored"
        return f"{self.position} (score {self.score}, {self.band.label})"

    @property
    def trend_summary(self) -> str:
        return f"{self.trend_arrow} {self.get_trend_display()}" if self.trend else "Not recorded"

    @property
    def progress_summary(self) -> str:
        return f"{self.get_progress_display()} ({self.rag_label})" if self.progress else "Not recorded"

    def changes_since(self, previous: "Assessment | None") -> list[AnswerChange]:
        """What differs from an earlier update of the same risk: the one vocabulary of "what
        changed" that the review, the changes page and the report share."""
        if previous is None:
            return [AnswerChange("Risk", "Risk", "Not on the register", "Added this quarter")]
        found = []
        if (previous.likelihood, previous.impact) != (self.likelihood, self.impact):
            found.append(AnswerChange(
                "Position", "Position and score", previous.position_summary,
                self.position_summary, previous.position or "Not scored",
                self.position or "Not scored",
            ))
        if previous.trend != self.trend:
            found.append(AnswerChange(
                "Trend", "Trend", previous.trend_summary, self.trend_summary,
                previous.trend_summary, self.trend_summary,
            ))
        if previous.progress != self.progress:
            found.append(AnswerChange(
                "Progress", "Progress towards target", previous.progress_summary,
                self.progress_summary, previous.get_progress_display() or "Not recorded",
                self.get_progress_display() or "Not recorded",
            ))
        if previous.retired != self.retired:
            was, now = ("Active", "Retired") if self.retired else ("Retired", "Reinstated")
            found.append(AnswerChange("Status", "Status", was, now, was, now))
        if previous.commentary.strip() != self.commentary.strip():
            found.append(AnswerChange(
                "Commentary", "Commentary", previous.commentary or "Not recorded",
                self.commentary or "None", long=True,
            ))
        return found

    @property
    def commentary_carried(self) -> bool:
        """The commentary is the last approved update's, unchanged (commentary_carried_from)."""
        return self.commentary_carried_from_id is not None

    @property
    def commentary_is_new(self) -> bool:
        """Written this quarter: a commentary that is there and not carried forward."""
        return bool(self.commentary.strip()) and not self.commentary_carried

    @staticmethod
    def commentary_origin(commentary: str, previous: "Assessment | None") -> int | None:
        """What commentary_carried_from should hold for `commentary` beside the risk's last
        approved update `previous`: the id of the quarter that wrote the text, or None."""
        text = commentary.strip()
        if previous is None or not text or text != previous.commentary.strip():
            return None
        return previous.commentary_carried_from_id or previous.period_id

    def checked(self, section: str) -> bool:
        """Whether the owner saved or confirmed the section ("score", "progress") this quarter."""
        return getattr(self, f"{section}_checked_at") is not None

    def missing_in(self, section: str, previous: "Assessment | None") -> dict[str, str]:
        """missing_for_submission(), for one section's fields only."""
        fields = self.SECTIONS[section]
        return {k: v for k, v in self.missing_for_submission(previous).items() if k in fields}

    def unchecked_sections(self, previous: "Assessment | None") -> dict[str, str]:
        """The sections not yet saved or confirmed this quarter whose answers are otherwise
        complete (a section with answers missing says so already): key to message."""
        unchecked = {}
        if not self.checked("score") and not self.missing_in("score", previous):
            unchecked["score_checked"] = (
                "Check the current score: change it, or confirm there is no change this quarter"
            )
        if not self.checked("progress") and not self.missing_in("progress", previous):
            what = "commentary" if self.not_rated else "trend, progress and commentary"
            unchecked["progress_checked"] = (
                f"Check the {what}: change it, or confirm there is no change this quarter"
            )
        return unchecked

    def missing_for_submission(self, previous: "Assessment | None") -> dict[str, str]:
        """What an owner must still answer before submitting: field name to message."""
        missing = {}
        if self.not_rated:
            # Nothing to score or rate: why not, and the commentary.
            if not self.not_rated_reason.strip():
                missing["not_rated_reason"] = "Say why the risk is not rated this quarter"
            if not self.commentary.strip():
                missing["commentary"] = "Enter the commentary"
            return missing
        if self.score is None and self.risk.description_agreed:
            missing["likelihood"] = "Choose the current likelihood and impact"
        elif self.score_changed_since(previous) and not self.score_change_source:
            missing["score_change_source"] = (
                "Say whether the score changed because of controls or a re-assessment"
            )
        if not self.trend:
            missing["trend"] = "Choose the trend"
        if not self.progress:
            missing["progress"] = "Choose the progress towards the target"
        elif self.progress != Progress.ON_TRACK and not self.reasons.strip():
            missing["reasons"] = "Give the reasons why progress is not on track"
        if not self.commentary.strip():
            missing["commentary"] = "Enter the commentary"
        return missing


class AssessmentPillar(FrozenPeriodModel):
    """A pillar the risk was aligned with in the assessment's quarter (Assessment.pillars)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="pillar_links"
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="+")
    # The assessment's period, so that the row is frozen with it (FrozenPeriodModel).
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")

    objects = FrozenPeriodQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "pillar"], name="assessment_pillar_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.pillar}"


def link_pillars(assessments: list[Assessment], risks: dict[int, Risk]) -> None:
    """Record the pillars each update's risk aligns with now (risks: prefetched pillars)."""
    AssessmentPillar.objects.bulk_create([
        AssessmentPillar(assessment=a, pillar=pillar, period_id=a.period_id)
        for a in assessments for pillar in risks[a.risk_id].pillars.all()
    ])
