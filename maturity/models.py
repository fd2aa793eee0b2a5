import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from risks.history import record_baseline
from risks.models import Post


class KeepsBaseline(models.Model):
    """Rows that loaddata wrote have no history (raw saves record none). Before such a row's
    first change, record it as stored, so that the change can be shown as a difference."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        model = type(self)
        if self.pk is not None and not model.history.filter(id=self.pk).exists():
            stored = model._base_manager.filter(pk=self.pk).first()
            if stored is not None:
                record_baseline(stored)
        super().save(*args, **kwargs)


class ActionPlanQuerySet(models.QuerySet):
    def current(self) -> "ActionPlan | None":
        """The latest plan: the one the page and the report show."""
        return self.order_by("-date", "-pk").first()


class ActionPlan(KeepsBaseline):
    """The risk maturity action plan (Appendix C of the Audit Panel report)."""

    title = models.CharField(max_length=200)
    as_of = models.CharField(max_length=50, help_text='As the report names it, e.g. "Sept 2021"')
    date = models.DateField(help_text="The date the plan was drawn up or last revised.")

    objects = ActionPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} {self.as_of}"


class Theme(KeepsBaseline):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="theme_title_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return self.title


class Source(models.Model):
    """Where an item of the plan came from, e.g. "DARA audit"."""

    name = models.CharField(max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PlanItem(KeepsBaseline):
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="items")
    ref = models.PositiveSmallIntegerField()
    sources = models.ManyToManyField(Source, related_name="items", blank=True)
    issue = models.TextField("issue / problem")
    owners = models.TextField(help_text="The owners as the plan names them.")
    owner_posts = models.ManyToManyField(
        Post, related_name="maturity_items", blank=True,
        help_text="Holders of these posts may update the item.",
    )
    success_measure = models.TextField("what does success look like?", blank=True)
    update = models.TextField(blank=True)

    # The m2m snapshots make a change of owners or sources part of the record too.
    history = HistoricalRecords(m2m_fields=[sources, owner_posts])

    class Meta:
        ordering = ["theme__plan", "ref"]
        constraints = [
            models.CheckConstraint(condition=Q(ref__gte=1), name="plan_item_ref_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}. {self.issue[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("maturity:item", args=[self.pk])


class PlanActionQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date) -> "PlanActionQuerySet":
        return self.filter(milestone_date__lt=today).exclude(status=PlanAction.Status.COMPLETE)


class PlanAction(KeepsBaseline):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    milestone = models.CharField(
        max_length=100, blank=True, help_text='As written, e.g. "Nov-21" or "Ongoing"'
    )
    milestone_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="plan_action_has_text"),
            models.CheckConstraint(
                condition=Q(status="complete", completed_at__isnull=False)
                | (~Q(status="complete") & Q(completed_at__isnull=True)),
                name="plan_action_completed_at_iff_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    def is_overdue(self, today: datetime.date) -> bool:
        """A dated milestone that has passed with the action still not complete."""
        return (
            self.milestone_date is not None
            and self.milestone_date < today
            and not self.is_complete
        )

    @property
    def milestone_label(self) -> str:
        """The milestone as written; the date where only a date is known."""
        if self.milestone:
            return self.milestone
        if self.milestone_date:
            return date_format(self.milestone_date)
        return ""

    def save(self, *args, **kwargs):
        if self.status == self.Status.COMPLETE and self.completed_at is None:
            self.completed_at = timezone.now()
        elif self.status != self.Status.COMPLETE:
            self.completed_at = None
        super().save(*args, **kwargs)


class PlanItemUpdate(models.Model):
    """One dated entry of an item's update log ("Meeting with Head of OL 27 July")."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="log_entries")
    date = models.DateField(help_text="When it happened.")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="plan_item_update_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()}: {self.text[:60]}"


# Risk maturity self-assessments ---------------------------------------------------------------


class Level(models.IntegerChoices):
    """The maturity levels of HM Treasury's Risk Management Assessment Framework."""

    AWARENESS = 1, "Awareness"
    HAPPENING = 2, "Happening"
    WORKING = 3, "Working"
    EMBEDDED = 4, "Embedded"
    DRIVING = 5, "Driving"


TARGET_LEVEL = Level.EMBEDDED
FIRST_YEAR = 2000
LAST_YEAR = 2999


def assessment_year_for(day: datetime.date) -> int:
    """The financial year (April to March) a day falls in, by its first calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def current_assessment_year() -> int:
    """The financial year whose self-assessments are open, from the data rather than the clock:
    the latest of the latest reporting period's year and the latest year assessed. With
    neither, today's. (The clock put the demo, whose quarters are 2021/22, in 2026/27.)"""
    from risks.models import ReportingPeriod

    latest_period = ReportingPeriod.objects.order_by("-start").values_list("start", flat=True)
    years = [
        assessment_year_for(start) for start in latest_period[:1]
    ] + [y for y in [SelfAssessment.objects.aggregate(latest=models.Max("year"))["latest"]] if y]
    return max(years) if years else assessment_year_for(timezone.localdate())


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


class BusinessGroup(models.Model):
    """A business group of the organisation, e.g. Frontline Policing."""

    name = models.CharField(max_length=200, unique=True)
    abbreviation = models.CharField(max_length=20, blank=True, help_text='For example "FLP"')
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An OCU or BCU whose commander assesses its risk maturity once a year."""

    name = models.CharField(max_length=200, unique=True)
    business_group = models.ForeignKey(
        BusinessGroup, on_delete=models.PROTECT, related_name="units"
    )
    commander = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="commanded_units",
        help_text="Holders of this post complete the unit's self-assessment.",
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["business_group__order", "business_group__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("maturity:unit", args=[self.pk])


class Dimension(models.Model):
    """One question of the questionnaire. Rows, so the questionnaire can change year to year."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Inactive dimensions keep their past scores but are not asked."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SelfAssessment(models.Model):
    """A unit's answer to the questionnaire for one financial year."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="self_assessments")
    year = models.PositiveSmallIntegerField(
        help_text="The financial year by its first calendar year: 2021 is 2021/22."
    )
    comments = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_self_assessment_per_unit_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="self_assessment_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class DimensionScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="scores")
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "dimension__order", "dimension__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="one_score_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=Level.AWARENESS, level__lte=Level.DRIVING),
                name="dimension_score_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.dimension}: {self.level}"
