import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.formats import date_format
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


def sees_drafts(user) -> bool:
    """Drafts belong to their risk's owner and leads and to the team; the team sees them all."""
    return is_planner(user)


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

    history = HistoricalRecords(m2m_fields=[holders])

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
    history = HistoricalRecords()

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

    history = HistoricalRecords()

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

    # A period is a quarter, give or take: one that runs for months on end, or starts in the
    # year 1 or 9999, is a typing slip, and 9999-12-31 leaves no day for the next period.
    EARLIEST = datetime.date(2000, 1, 1)
    LATEST = datetime.date(2100, 12, 31)
    LONGEST = datetime.timedelta(days=200)
    DEADLINE_AFTER_END = datetime.timedelta(days=92)

    @classmethod
    def timeline_problems(
        cls, start: datetime.date, end: datetime.date, deadline: datetime.date,
        *, exclude_pk: int | None = None,
    ) -> dict[str | None, str]:
        """Why these dates cannot join the timeline of periods, in words, by the field each
        is about (None: the dates together); empty when they can.

        Periods make one timeline: none overlaps another, none starts on or before the end of
        a closed period, and each is about a quarter long with its deadline near its end. The
        database refuses overlaps too (migration 0008's triggers).
        """
        problems: dict[str | None, str] = {}
        for name, label, value in (("start", "first day", start), ("end", "last day", end),
                                   ("deadline", "deadline", deadline)):
            if not cls.EARLIEST <= value <= cls.LATEST:
                problems[name] = f"The {label} must be in a year from 2000 to 2100"
        if problems:
            return problems
        if end <= start:
            problems["end"] = "The last day must be after the first day"
        elif end - start > cls.LONGEST:
            problems["end"] = (
                f"A reporting period is a quarter: the last day must be within "
                f"{cls.LONGEST.days} days of the first day"
            )
        if deadline < start:
            problems["deadline"] = "The deadline must be on or after the first day"
        elif deadline - end > cls.DEADLINE_AFTER_END:
            problems["deadline"] = "The deadline must be within three months of the last day"
        if problems:
            return problems
        others = cls.objects.exclude(pk=exclude_pk) if exclude_pk else cls.objects.all()
        overlapping = others.filter(start__lte=end, end__gte=start).order_by("start").first()
        last_closed = others.closed().order_by("-end").first()
        if overlapping:
            problems[None] = (
                f"These dates overlap {overlapping} ({date_format(overlapping.start)} to "
                f"{date_format(overlapping.end)})"
            )
        elif last_closed and start <= last_closed.end:
            problems[None] = (
                f"{last_closed} is closed: a new period must start after "
                f"{date_format(last_closed.end)}"
            )
        return problems

    def clean(self) -> None:
        """The form's and the admin's check (the opening service makes the same)."""
        if self.start and self.end and self.deadline:
            problems = self.timeline_problems(
                self.start, self.end, self.deadline, exclude_pk=self.pk
            )
            if problems:
                raise ValidationError(
                    {name or "__all__": message for name, message in problems.items()}
                )

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

    history = HistoricalRecords()

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


def short_term_first(field: str = "horizon") -> models.Case:
    """An ordering key: short-term risks before long-term ones, as Appendix A lists them."""
    return models.Case(
        models.When(**{field: Horizon.SHORT}, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


# Separators inside leads_packed: ASCII unit and record separators never occur in a post name.
_FIELD, _RECORD = "\x1f", "\x1e"


def lead_names_subquery(risk=None) -> models.Subquery:
    """Each risk's working leads packed into one string, order and id kept with each name, so
    that a page of rows carries its leads without a second query (see lead_names()).

    The rows' risk is their risk_id column, or `risk` when given (one risk's leads beside any
    rows: an uncorrelated subquery, evaluated once). The order travels with each name
    because SQLite before 3.44 cannot order an aggregate.
    """
    packed = (
        RiskLead.objects.filter(risk=models.OuterRef("risk_id") if risk is None else risk)
        .order_by()
        .values("risk")
        .annotate(
            packed=models.StringAgg(
                Concat(
                    Cast("order", models.CharField()), models.Value(_FIELD),
                    Cast("pk", models.CharField()), models.Value(_FIELD), "post__name",
                    output_field=models.CharField(),
                ),
                models.Value(_RECORD),
            )
        )
        .values("packed")
    )
    return models.Subquery(packed, output_field=models.CharField())


def pillar_names_subquery(risk) -> models.Subquery:
    """The risk's pillars packed into one string, their order kept with each name, so that a
    page carries them beside other rows without a query of its own (see pillar_names())."""
    packed = (
        Pillar.objects.filter(risks=risk)
        .order_by()
        .values("risks")
        .annotate(
            packed=models.StringAgg(
                Concat(Cast("order", models.CharField()), models.Value(_FIELD), "name",
                       output_field=models.CharField()),
                models.Value(_RECORD),
            )
        )
        .values("packed")
    )
    return models.Subquery(packed, output_field=models.CharField())


def pillar_names(packed: str | None) -> list[str]:
    """The names packed by pillar_names_subquery(), in the pillars' order."""
    if not packed:
        return []
    pillars = [record.split(_FIELD, 1) for record in packed.split(_RECORD)]
    return [name for _, name in sorted(pillars, key=lambda x: (int(x[0]), x[1]))]


def lead_names(packed: str | None) -> list[str]:
    """The names packed by lead_names_subquery(), in the register's order (Risk.ordered_leads)."""
    if not packed:
        return []
    leads = [record.split(_FIELD, 2) for record in packed.split(_RECORD)]
    return [name for _, _, name in sorted(leads, key=lambda x: (int(x[0]), int(x[1])))]


class AssessmentQuerySet(FrozenPeriodQuerySet):
    def of_register(self, register: "Register", periods=None) -> "AssessmentQuerySet":
        """The assessments of a register's risks (in the given periods, if any).

        Filtered as risk_id IN (the register's risks), so that the database walks the
        register's index and then the one-assessment-per-risk-per-period index. SQLite keeps
        no statistics unless ANALYZE runs, and given risk__register=register it scans every
        assessment of the period (5,000 at scale) to keep the register's fifth: three times
        slower.
        """
        rows = self.filter(risk__in=Risk.objects.filter(register=register).values("pk"))
        return rows if periods is None else rows.filter(period__in=periods)

    def in_register_order(self, *then) -> "AssessmentQuerySet":
        """Short-term risks first, as Appendix A sets them out; then `then` (default: ref)."""
        return self.order_by(short_term_first("horizon"), *(then or ["ref"]))

    # What a quarter shows: the one rule every page, count, chart and the report follows.

    def shown(self, period: "ReportingPeriod", user) -> "AssessmentQuerySet":
        """The updates a page of `period` shows `user` (from this queryset's registers' risks).

        A closed quarter shows its record: every update, those not approved marked so (the
        quarter closed incomplete) and kept out of counts by counted(). In the open quarter the
        Planning & Risk Team sees every update as it stands; everyone else sees a risk's
        update of this quarter once it is approved, or if they own or lead the risk, and
        otherwise the risk's last approved update before it: never another person's draft.
        A risk with nothing approved yet is not shown to them at all.
        """
        rows = self.filter(period=period)
        # No user: the record itself, for code that is no page (a closed quarter's report).
        if not period.is_open or user is None or sees_drafts(user):
            return rows
        own = Risk.objects.owned_or_led_by(user).values("pk")
        last_approved = (
            Assessment.objects.filter(
                risk=models.OuterRef("risk"), state=Assessment.State.APPROVED,
                period__start__lt=period.start,
            )
            .order_by("-period__start")
            .values("pk")[:1]
        )
        shown_ids = rows.annotate(
            shown_id=models.Case(
                models.When(Q(state=Assessment.State.APPROVED) | Q(risk__in=own), then="pk"),
                default=models.Subquery(last_approved),
            )
        ).values("shown_id")
        return Assessment.objects.filter(pk__in=shown_ids)

    def counted(self) -> "AssessmentQuerySet":
        """The updates that count, in figures, heat maps and alignment: approved (or, in the
        open quarter, the work in progress a person may see) and not retired. Those not rated
        (or not yet scored) are among them, to be named under the maps, never placed."""
        return self.filter(
            Q(state=Assessment.State.APPROVED) | Q(period__state=ReportingPeriod.State.OPEN),
            retired=False,
        )

    def record_definitions(self) -> int:
        """Each update records its risk as the risk stands now (and the pillars it aligns
        with): what a quarter shows of its risks. A closed quarter's rows refuse, as every
        write to them does. Returns how many were recorded."""
        rows = list(self.only("pk", "risk_id", "period_id", *Assessment.DEFINITION_FIELDS))
        found = {
            risk.pk: risk
            for risk in risks_with_definitions(Risk.objects.filter(pk__in=[a.risk_id for a in rows]))
        }
        for a in rows:
            a.copy_definition(found[a.risk_id])
        Assessment.objects.bulk_update(rows, Assessment.DEFINITION_FIELDS, batch_size=1000)
        AssessmentPillar.objects.filter(assessment__in=[a.pk for a in rows]).delete()
        link_pillars(rows, found)
        return len(rows)

    def not_approved(self) -> "AssessmentQuerySet":
        """A closed quarter's updates that were never approved (it closed incomplete)."""
        return self.filter(period__state=ReportingPeriod.State.CLOSED).exclude(
            state=Assessment.State.APPROVED
        )

    def with_lead_names(self) -> "AssessmentQuerySet":
        """Each row's working leads, packed in `leads_packed` (see lead_names())."""
        return self.annotate(leads_packed=lead_names_subquery())

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
        State.SUBMITTED: {State.APPROVED, State.RETURNED},
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
        self.retired = not risk.is_active

    DEFINITION_FIELDS = (
        "ref", "title", "description", "description_agreed", "horizon", "owner", "owner_name",
        "lead_names", "target_likelihood", "target_impact", "appetite", "retired",
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


def risks_with_definitions(risks):
    """Risks with what Assessment.copy_definition reads: owner, leads in order, pillars."""
    return risks.select_related("owner").prefetch_related(
        models.Prefetch("risklead_set", queryset=RiskLead.objects.select_related("post")), "pillars"
    )


def link_pillars(assessments: list[Assessment], risks: dict[int, Risk]) -> None:
    """Record the pillars each update's risk aligns with now (risks: prefetched pillars)."""
    AssessmentPillar.objects.bulk_create([
        AssessmentPillar(assessment=a, pillar=pillar, period_id=a.period_id)
        for a in assessments for pillar in risks[a.risk_id].pillars.all()
    ])
