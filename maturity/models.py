from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from risks.models import Post


class ActionPlan(models.Model):
    """The risk maturity action plan (Appendix C of the Audit Panel report)."""

    title = models.CharField(max_length=200)
    as_of = models.CharField(max_length=50, help_text='As the report names it, e.g. "Sept 2021"')
    date = models.DateField(help_text="The date the plan was drawn up or last revised.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} {self.as_of}"


class Theme(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

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

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PlanItem(models.Model):
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__plan", "ref"]
        constraints = [
            models.CheckConstraint(condition=Q(ref__gte=1), name="plan_item_ref_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ref}. {self.issue[:60]}"


class PlanAction(models.Model):
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

    def save(self, *args, **kwargs):
        if self.status == self.Status.COMPLETE and self.completed_at is None:
            self.completed_at = timezone.now()
        elif self.status != self.Status.COMPLETE:
            self.completed_at = None
        super().save(*args, **kwargs)
