"""Opportunities (issue 18, item 4): register entries of their own kind, scored likelihood x
benefit, updated in the same quarterly cycle as risks and frozen with the closed quarter.

Never counted with risks: they live in tables of their own, so no risk queryset, heat map,
count or report sentence can reach them. The workflow (draft, submitted, approved, returned;
who and when; the version) is the risks' own: the states, transitions and their rules are
Assessment's, and the writes go through the same optimistic-locking services
(risks.services._write and friends, risks/opportunities.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..scoring import SCALE_ABBREVIATIONS, Scale
from .assessment import Assessment
from .choices import RAG_FOR_PROGRESS, Progress, Rag, Trend
from .frozen import FrozenPeriodModel, FrozenPeriodQuerySet, both_or_neither, scale_check
from .periods import ReportingPeriod
from .registers import Post, Register
from .roles import reads_everything, sees_drafts


class Benefit(models.IntegerChoices):
    """The benefit scale: the same four points as impact, in an opportunity's words."""

    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    VERY_HIGH = 4, "Very high"


# In terms of benefit: an improving opportunity's benefit rises, so its arrow points up (a
# risk's improving trend points down: the arrows are never shared between the two).
OPPORTUNITY_TREND_ARROWS = {Trend.IMPROVING: "↑", Trend.STABLE: "↔", Trend.WORSENING: "↓"}


def opportunity_position(likelihood: int | None, benefit: int | None) -> str:
    """ "M v H": likelihood Medium v benefit High."""
    if likelihood is None or benefit is None:
        return ""
    return f"{SCALE_ABBREVIATIONS[likelihood]} v {SCALE_ABBREVIATIONS[benefit]}"


def opportunity_words(likelihood: int | None, benefit: int | None) -> str:
    if likelihood is None or benefit is None:
        return "Not scored"
    return f"likelihood {Scale(likelihood).label}, benefit {Benefit(benefit).label}"


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpportunityQuerySet":
        """The team and the panel read every opportunity; others those of the registers they
        can see, and those they own or lead."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(
            Q(register__in=Register.objects.visible_to(user).values("pk"))
            | Q(pk__in=Opportunity.objects.owned_or_led_by(user).values("pk"))
        )

    def owned_or_led_by(self, user) -> "OpportunityQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(Q(owner__holders=user) | Q(leads__holders=user)).distinct()

    def active(self) -> "OpportunityQuerySet":
        return self.filter(is_active=True)


class Opportunity(models.Model):
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="opportunities")
    ref = models.PositiveSmallIntegerField(help_text="Unique among the register's opportunities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="owned_opportunities")
    leads = models.ManyToManyField(
        Post, through="OpportunityLead", related_name="led_opportunities", blank=True
    )
    target_likelihood = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    target_benefit = models.PositiveSmallIntegerField(choices=Benefit.choices, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    objects = OpportunityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["register", "ref"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.UniqueConstraint(fields=["register", "ref"], name="opportunity_ref_unique_in_register"),
            models.CheckConstraint(condition=Q(ref__gte=1), name="opportunity_ref_positive"),
            scale_check("opportunity", "target_likelihood", nullable=True),
            scale_check("opportunity", "target_benefit", nullable=True),
            both_or_neither("opportunity", "target_likelihood", "target_benefit"),
        ]

    def __str__(self) -> str:
        return f"O{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:opportunity", args=[self.pk])

    @property
    def target_position(self) -> str:
        return opportunity_position(self.target_likelihood, self.target_benefit)

    def ordered_leads(self) -> list[Post]:
        return [link.post for link in self.opportunitylead_set.all()]


class OpportunityLead(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE)
    post = models.ForeignKey(Post, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "post"], name="opportunity_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post} leads {self.opportunity}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    DELAYED = "delayed", "Delayed"


ACTION_STATUS_TAGS = {
    ActionStatus.NOT_STARTED: "grey", ActionStatus.IN_PROGRESS: "blue",
    ActionStatus.COMPLETE: "green", ActionStatus.DELAYED: "orange",
}


class OpportunityAction(models.Model):
    """An action that realises the opportunity: its status is recorded each quarter."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    due = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["opportunity", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class OpportunityAssessmentQuerySet(FrozenPeriodQuerySet):
    def shown(self, period: ReportingPeriod, user) -> "OpportunityAssessmentQuerySet":
        """What `user` may see of `period`: the team every update of it; everyone else approved
        positions only. In the open quarter a reader sees each opportunity's last approved
        update (of that quarter or an earlier one); a closed quarter shows what it approved."""
        rows = self.select_related("period")
        if sees_drafts(user):
            return rows.filter(period=period)
        approved = OpportunityAssessment.State.APPROVED
        if not period.is_open:
            return rows.filter(period=period, state=approved)
        latest = (
            OpportunityAssessment.objects.filter(
                opportunity=OuterRef("opportunity"), state=approved,
                period__start__lte=period.start,
            )
            .order_by("-period__start")
            .values("pk")[:1]
        )
        return rows.filter(state=approved, period__start__lte=period.start).annotate(
            latest=Subquery(latest)
        ).filter(pk=F("latest"))

    def in_register_order(self) -> "OpportunityAssessmentQuerySet":
        return self.order_by("ref", "opportunity_id")


class OpportunityAssessment(FrozenPeriodModel):
    """One opportunity's quarterly update for one period: the risk workflow's states and rules
    (Assessment.State, TRANSITIONS), with its own scores."""

    State = Assessment.State
    TRANSITIONS = Assessment.TRANSITIONS
    EDITABLE_STATES = Assessment.EDITABLE_STATES
    OWNER_FIELDS = ("likelihood", "benefit", "trend", "progress", "commentary")
    # risks.services' shared writes read the row back with these.
    CURRENT_RELATED = ("opportunity", "period", "updated_by")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="assessments")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="opportunity_assessments"
    )
    likelihood = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    benefit = models.PositiveSmallIntegerField(choices=Benefit.choices, null=True, blank=True)
    trend = models.CharField(max_length=10, choices=Trend.choices, blank=True)
    progress = models.CharField(max_length=12, choices=Progress.choices, blank=True)
    commentary = models.TextField(blank=True)
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

    # The opportunity as this quarter shows it (as Assessment records its risk): copied when the
    # update is created, kept in step while the quarter is open, fixed when it closes.
    ref = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    lead_names = models.JSONField(default=list, blank=True)
    target_likelihood = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    target_benefit = models.PositiveSmallIntegerField(choices=Benefit.choices, null=True, blank=True)
    retired = models.BooleanField(default=False)

    objects = OpportunityAssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "opportunity"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "period"], name="one_update_per_opportunity_per_period"
            ),
            scale_check("oppassessment", "likelihood", nullable=True),
            scale_check("oppassessment", "benefit", nullable=True),
            both_or_neither("oppassessment", "likelihood", "benefit"),
            scale_check("oppassessment", "target_likelihood", nullable=True),
            scale_check("oppassessment", "target_benefit", nullable=True),
            both_or_neither("oppassessment", "target_likelihood", "target_benefit"),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "approved", "returned"]),
                name="oppassessment_state_known",
            ),
            models.CheckConstraint(
                condition=Q(trend__in=["", *Trend.values]), name="oppassessment_trend_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__in=["", *Progress.values]),
                name="oppassessment_progress_known",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="oppassessment_version_positive"),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(reviewed_at__isnull=False),
                name="oppassessment_approved_has_review_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(review_comment=""),
                name="oppassessment_returned_has_comment",
            ),
            # Nothing reaches review unscored or without its answers.
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "approved"])
                | (Q(likelihood__isnull=False) & ~Q(trend="") & ~Q(progress="") & ~Q(commentary="")),
                name="oppassessment_reviewed_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.opportunity} — {self.period}"

    # The risk workflow's own rules, read from the same states.
    can_become = Assessment.can_become
    is_editable = Assessment.is_editable
    state_tag_colour = Assessment.state_tag_colour

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.benefit is None:
            return None
        return self.likelihood * self.benefit

    @property
    def position(self) -> str:
        return opportunity_position(self.likelihood, self.benefit)

    @property
    def position_words(self) -> str:
        return opportunity_words(self.likelihood, self.benefit)

    @property
    def target_position(self) -> str:
        return opportunity_position(self.target_likelihood, self.target_benefit)

    @property
    def trend_arrow(self) -> str:
        return OPPORTUNITY_TREND_ARROWS.get(self.trend, "")

    @property
    def rag(self) -> str:
        return RAG_FOR_PROGRESS.get(self.progress, "")

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label if self.rag else ""

    @property
    def rag_tag(self) -> str:
        return {"green": "green", "amber": "yellow", "red": "red"}.get(self.rag, "grey")

    def copy_definition(self, opportunity: Opportunity) -> None:
        """Take the opportunity as it stands (leads through ordered_leads, prefetched)."""
        self.ref = opportunity.ref
        self.title = opportunity.title
        self.description = opportunity.description
        self.owner_name = opportunity.owner.name
        self.lead_names = [post.name for post in opportunity.ordered_leads()]
        self.target_likelihood = opportunity.target_likelihood
        self.target_benefit = opportunity.target_benefit
        self.retired = not opportunity.is_active

    DEFINITION_FIELDS = (
        "ref", "title", "description", "owner_name", "lead_names", "target_likelihood",
        "target_benefit", "retired",
    )

    def save(self, *args, **kwargs):
        if self._state.adding and not self.title:
            self.copy_definition(self.opportunity)
        super().save(*args, **kwargs)

    def missing_for_submission(self) -> dict[str, str]:
        missing = {}
        if self.score is None:
            missing["likelihood"] = "Choose the current likelihood and benefit"
        if not self.trend:
            missing["trend"] = "Choose the trend"
        if not self.progress:
            missing["progress"] = "Choose the progress towards the target"
        if not self.commentary.strip():
            missing["commentary"] = "Enter the commentary"
        return missing


class OpportunityActionUpdate(FrozenPeriodModel):
    """An action's status in one quarter, with the action as that quarter shows it."""

    action = models.ForeignKey(OpportunityAction, on_delete=models.PROTECT, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    title = models.CharField(max_length=200, blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FrozenPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "due", "action"]
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_status_per_action_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="oppactionupdate_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.period}"

    @property
    def status_tag(self) -> str:
        return ACTION_STATUS_TAGS.get(self.status, "grey")

    def copy_definition(self, action: OpportunityAction) -> None:
        self.title = action.title
        self.owner_name = action.owner.name
        self.due = action.due
