import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .scoring import SCALE_RANGE, Band, Scale, band_for, position_label, position_words

PLANNING_TEAM = "Planning & Risk Team"
AUDIT_PANEL = "Audit Panel"


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_riskreg_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._riskreg_groups = cached
    return cached


def is_planner(user) -> bool:
    """The Planning & Risk Team (and superusers) may read and manage everything."""
    return bool(user.is_active and (user.is_superuser or PLANNING_TEAM in _groups(user)))


def is_panel(user) -> bool:
    return bool(user.is_active and AUDIT_PANEL in _groups(user))


def reads_everything(user) -> bool:
    return is_planner(user) or is_panel(user)


def scale_check(prefix: str, field: str, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": SCALE_RANGE.start, f"{field}__lte": SCALE_RANGE.stop - 1})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"{prefix}_{field}_on_scale")


def both_or_neither(prefix: str, a: str, b: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{a}__isnull": True, f"{b}__isnull": True})
        | Q(**{f"{a}__isnull": False, f"{b}__isnull": False}),
        name=f"{prefix}_{a}_and_{b}_together",
    )


class PeriodClosed(ValidationError):
    """Raised by every write path that would change a closed period's data."""

    def __init__(self, period=None):
        name = f" {period}" if period else ""
        super().__init__(f"The reporting period{name} is closed: its data can no longer change.")


class Post(models.Model):
    """An organisational post. Risks belong to posts, so ownership survives staff changes."""

    name = models.CharField(max_length=200, unique=True)
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="posts", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RegisterQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(
            Q(risks__owner__holders=user) | Q(risks__leads__holders=user)
        ).distinct()


class Register(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:register", args=[self.slug])


class Pillar(models.Model):
    """A strategic objective (a "Met Direction" pillar) that risks align with."""

    name = models.CharField(max_length=300, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PeriodQuerySet(models.QuerySet):
    def open(self) -> "PeriodQuerySet":
        return self.filter(state=ReportingPeriod.State.OPEN)

    def closed(self) -> "PeriodQuerySet":
        return self.filter(state=ReportingPeriod.State.CLOSED)

    def current(self) -> "ReportingPeriod | None":
        """The open period, or else the most recent one."""
        return self.order_by("-state", "-start").first()

    def update(self, **kwargs):
        if self.closed().exists():
            raise PeriodClosed()
        return super().update(**kwargs)

    def delete(self):
        if self.closed().exists():
            raise PeriodClosed()
        return super().delete()


class ReportingPeriod(models.Model):
    class State(models.TextChoices):
        # "open" sorts after "closed", so order_by("-state") puts the open period first.
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=50, unique=True, help_text="For example 2021/22 Q2")
    slug = models.SlugField(unique=True, help_text="For example 2021-22-q2")
    start = models.DateField()
    end = models.DateField()
    deadline = models.DateField(help_text="Risk owners submit their updates by this date.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_incomplete = models.BooleanField(
        default=False,
        help_text="The team chose to close the period before every update was approved.",
    )

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="period_starts_before_end"),
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="open"), name="one_open_period"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(closed_at__isnull=False),
                name="closed_period_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def previous(self) -> "ReportingPeriod | None":
        return ReportingPeriod.objects.filter(start__lt=self.start).order_by("-start").first()

    # A period is a quarter, give or take: one that runs for years, or starts in the year 1 or
    # 9999, is a typing slip, and 9999-12-31 leaves no day after it for the next period.
    EARLIEST = datetime.date(2000, 1, 1)
    LATEST = datetime.date(2100, 12, 31)
    LONGEST = datetime.timedelta(days=731)

    def clean(self) -> None:
        errors = {}
        for name, label in (("start", "first day"), ("end", "last day"), ("deadline", "deadline")):
            value = getattr(self, name)
            if value is not None and not self.EARLIEST <= value <= self.LATEST:
                errors[name] = f"The {label} must be in a year from 2000 to 2100"
        for name, label in (("end", "last day"), ("deadline", "deadline")):
            value = getattr(self, name)
            if self.start and value and name not in errors and value > self.start + self.LONGEST:
                errors[name] = f"The {label} must be within two years of the first day"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.pk and ReportingPeriod.objects.filter(pk=self.pk, state=self.State.CLOSED).exists():
            raise PeriodClosed(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and ReportingPeriod.objects.filter(pk=self.pk, state=self.State.CLOSED).exists():
            raise PeriodClosed(self)
        return super().delete(*args, **kwargs)


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RiskQuerySet":
        return self.filter(register__in=Register.objects.visible_to(user).values("pk"))

    def owned_or_led_by(self, user) -> "RiskQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(Q(owner__holders=user) | Q(leads__holders=user)).distinct()

    def active(self) -> "RiskQuerySet":
        return self.filter(is_active=True)


class Horizon(models.TextChoices):
    SHORT = "short", "Short-term"
    LONG = "long", "Long-term"


class Risk(models.Model):
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="risks")
    ref = models.PositiveSmallIntegerField(help_text="Unique within the register")
    title = models.CharField(max_length=200, help_text='For example "VIOLENT CRIME"')
    description = models.TextField(blank=True)
    description_agreed = models.BooleanField(default=True)
    horizon = models.CharField(max_length=5, choices=Horizon.choices)
    owner = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="owned_risks")
    leads = models.ManyToManyField(
        Post, through="RiskLead", related_name="led_risks", blank=True
    )
    target_likelihood = models.PositiveSmallIntegerField(
        choices=Scale.choices, null=True, blank=True
    )
    target_impact = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    appetite = models.TextField(blank=True)
    pillars = models.ManyToManyField(Pillar, related_name="risks", blank=True)
    is_active = models.BooleanField(default=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[pillars])

    class Meta:
        ordering = ["register", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["register", "ref"], name="risk_ref_unique_in_register"),
            models.CheckConstraint(condition=Q(ref__gte=1), name="risk_ref_positive"),
            scale_check("risk", "target_likelihood", nullable=True),
            scale_check("risk", "target_impact", nullable=True),
            both_or_neither("risk", "target_likelihood", "target_impact"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk", args=[self.pk])

    @property
    def target_score(self) -> int | None:
        if self.target_likelihood is None:
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

    def ordered_leads(self) -> list[Post]:
        """Leads in the register's order; uses prefetched riskleads when present."""
        return [link.post for link in self.risklead_set.all()]


class RiskLead(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE)
    post = models.ForeignKey(Post, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "post"], name="risk_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post} leads {self.risk}"


class Trend(models.TextChoices):
    IMPROVING = "improving", "Improving"
    STABLE = "stable", "Stable"
    WORSENING = "worsening", "Worsening"


TREND_ARROWS = {Trend.IMPROVING: "↓", Trend.STABLE: "↔", Trend.WORSENING: "↑"}


class Progress(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    LIMITED = "limited", "Limited"
    SLIPPED = "slipped", "Slipped"
    NO_PROGRESS = "no_progress", "No progress"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


RAG_FOR_PROGRESS = {
    Progress.ON_TRACK: Rag.GREEN,
    Progress.LIMITED: Rag.AMBER,
    Progress.SLIPPED: Rag.RED,
    Progress.NO_PROGRESS: Rag.RED,
}


class ScoreChangeSource(models.TextChoices):
    CONTROLS = "controls", "Controls implemented"
    REASSESSMENT = "reassessment", "Re-assessment of the score"


class FrozenPeriodQuerySet(models.QuerySet):
    """Bulk writes refuse rows that belong to a closed period (save() guards single rows)."""

    def update(self, **kwargs):
        if self.filter(period__state=ReportingPeriod.State.CLOSED).exists():
            raise PeriodClosed()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(period__state=ReportingPeriod.State.CLOSED).exists():
            raise PeriodClosed()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        period_ids = {obj.period_id for obj in objs}
        if ReportingPeriod.objects.filter(pk__in=period_ids, state="closed").exists():
            raise PeriodClosed()
        return super().bulk_create(objs, *args, **kwargs)


class FrozenPeriodModel(models.Model):
    """A row of a reporting period: nothing of a closed period can change again."""

    class Meta:
        abstract = True

    def _refuse_if_closed(self, period_ids) -> None:
        closed = ReportingPeriod.objects.filter(pk__in=period_ids, state="closed").first()
        if closed:
            raise PeriodClosed(closed)

    def save(self, *args, **kwargs):
        period_ids = {self.period_id}
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("period_id", flat=True).first()
            if stored:
                period_ids.add(stored)
        self._refuse_if_closed(period_ids)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_closed({self.period_id})
        return super().delete(*args, **kwargs)


class AssessmentQuerySet(FrozenPeriodQuerySet):
    def for_register_page(self) -> "AssessmentQuerySet":
        return self.select_related("risk__owner", "period").prefetch_related(
            models.Prefetch("risk__risklead_set", queryset=RiskLead.objects.select_related("post"))
        )

    def with_previous_id(self) -> "AssessmentQuerySet":
        """Annotate previous_id: the risk's last approved assessment of an earlier period.

        A correlated subquery (served by the risk+period unique index), so a page of any length
        costs one query here and one in attach_previous(), however long the history is.
        """
        last_approved = (
            Assessment.objects.filter(
                risk=models.OuterRef("risk"),
                state=Assessment.State.APPROVED,
                period__start__lt=models.OuterRef("period__start"),
            )
            .order_by("-period__start")
            .values("pk")[:1]
        )
        return self.annotate(previous_id=models.Subquery(last_approved))


def attach_previous(assessments) -> list["Assessment"]:
    """Set .previous on each assessment (annotated by with_previous_id) with one query."""
    assessments = list(assessments)
    ids = {a.previous_id for a in assessments if a.previous_id}
    previous = Assessment.objects.select_related("period").in_bulk(ids) if ids else {}
    for a in assessments:
        a.previous = previous.get(a.previous_id)
    return assessments


class Assessment(FrozenPeriodModel):
    """One risk's quarterly update for one period."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    # The workflow: anything else is refused. Owners edit only a draft or a returned update.
    TRANSITIONS = {
        State.DRAFT: {State.SUBMITTED},
        State.RETURNED: {State.SUBMITTED},
        State.SUBMITTED: {State.APPROVED, State.RETURNED},
        State.APPROVED: set(),
    }
    EDITABLE_STATES = {State.DRAFT, State.RETURNED}
    # The fields an owner or lead may write; review fields are never among them.
    OWNER_FIELDS = (
        "likelihood", "impact", "score_change_source", "trend", "progress", "commentary", "reasons",
    )

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

    def moves_away_from_target(self, previous: "Assessment | None") -> bool:
        """True when this score is further from the risk's target than the previous score."""
        target = self.risk.target_score
        if target is None or self.score is None or previous is None or previous.score is None:
            return False
        return abs(self.score - target) > abs(previous.score - target)

    def score_changed_since(self, previous: "Assessment | None") -> bool:
        if previous is None:
            return False
        return (self.likelihood, self.impact) != (previous.likelihood, previous.impact)

    def changes_since(self, previous: "Assessment | None") -> list[tuple[str, str, str]]:
        """(what, then, now) for each answer that differs from the previous approved update."""
        if previous is None:
            return [("Update", "no approved update before", "first update")]

        def pos(a):
            return a.position or "Not scored"

        def tr(a):
            return f"{a.trend_arrow} {a.get_trend_display()}".strip() if a.trend else "—"

        rows = [
            ("Position", pos(previous), pos(self)),
            ("Trend", tr(previous), tr(self)),
            ("Progress", previous.get_progress_display() or "—", self.get_progress_display() or "—"),
        ]
        changed = [row for row in rows if row[1] != row[2]]
        if previous.commentary.strip() != self.commentary.strip():
            changed.append(("Commentary", "", "rewritten"))
        if previous.reasons.strip() != self.reasons.strip():
            changed.append(("Reasons", "", "rewritten" if self.reasons else "removed"))
        return changed

    def missing_for_submission(self, previous: "Assessment | None") -> dict[str, str]:
        """What an owner must still answer before submitting: field name to message."""
        missing = {}
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
