"""Reporting periods: the quarters, one timeline, open or closed."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords


class PeriodClosed(ValidationError):
    """Raised by every write path that would change a closed period's data."""

    def __init__(self, period=None):
        name = f" {period}" if period else ""
        super().__init__(f"The reporting period{name} is closed: its data can no longer change.")


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
