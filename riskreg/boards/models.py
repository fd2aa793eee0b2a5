"""A board meeting's summary of significant risks, and the secretariat's choices for it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from risks.models import Board, ReportingPeriod, Risk, is_planner, reads_everything

from ..report.models import REASON_MAX_LENGTH, Marking

NOTES_MAX_LENGTH = 2_000


class BoardSummaryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BoardSummaryQuerySet":
        """The team sees every summary; a board's secretariat its board's, drafts included;
        the Audit Panel the published ones. Nobody else (Board.objects.visible_to says why)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_planner(user):
            return self
        managed = Board.objects.managed_by(user).values("pk")
        if reads_everything(user):
            return self.filter(Q(published_at__isnull=False) | Q(board__in=managed))
        return self.filter(board__in=managed)

    def published(self) -> "BoardSummaryQuerySet":
        return self.filter(published_at__isnull=False)


class BoardSummary(models.Model):
    """One meeting's summary of a board's significant risks, for one reporting period.

    Its rows are never stored while it is a draft: they are drawn from the period's approved
    updates each time (riskreg/boards/rows.py), and a closed period's updates never change.
    Publishing keeps the page's HTML and the PDF's bytes (`snapshot`, `pdf`): a published
    summary reads the same forever, whatever later happens to the board's rules or registers.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="summaries")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="board_summaries",
        verbose_name="reporting period",
    )
    meeting_date = models.DateField()
    protective_marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL_SENSITIVE,
        help_text="Printed at the top and foot of every page and in the file's name.",
    )
    notes = models.TextField(
        "notes for the board", blank=True, max_length=NOTES_MAX_LENGTH,
        help_text="Printed under the table: what the board is asked to note or decide.",
    )

    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # The published summary as it was published: {"body": html, "title": ..., ...}.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    objects = BoardSummaryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["snapshot", "pdf"])

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        verbose_name_plural = "board summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "meeting_date"], name="one_summary_per_board_meeting"
            ),
            models.CheckConstraint(
                condition=Q(protective_marking__in=Marking.values),
                name="board_summary_marking_from_the_list",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_by__isnull=False),
                name="board_summary_published_by_someone",
            ),
            models.CheckConstraint(
                condition=(Q(snapshot__isnull=True) & Q(pdf__isnull=True))
                | Q(published_at__isnull=False),
                name="only_published_board_summary_is_frozen",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH),
                name="board_summary_notes_max_length",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="board_summary_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board.name} – {date_format(self.meeting_date)}"

    def get_absolute_url(self) -> str:
        return reverse("boards:summary", args=[self.board.slug, self.pk])

    def get_pdf_url(self) -> str:
        return reverse("boards:summary-pdf", args=[self.board.slug, self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        return "Published" if self.is_published else "Draft"

    @property
    def title(self) -> str:
        return f"{self.board.name}: significant risks"

    def filename(self) -> str:
        """Draft or not, the board, the meeting and the marking, at a glance."""
        safe = "".join(c for c in self.board.slug if c.isalnum() or c == "-") or "board"
        draft = "" if self.is_published else "DRAFT-"
        return f"{draft}{safe}-summary-{self.meeting_date:%Y-%m-%d}-{self.protective_marking}.pdf"


class BoardSummaryChoice(models.Model):
    """A risk the secretariat added to or removed from one meeting's summary, and why."""

    class Action(models.TextChoices):
        ADD = "add", "Added"
        REMOVE = "remove", "Removed"

    summary = models.ForeignKey(BoardSummary, on_delete=models.CASCADE, related_name="choices")
    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=6, choices=Action.choices)
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "risk"], name="one_choice_per_risk_per_summary"),
            models.CheckConstraint(
                condition=Q(action__in=["add", "remove"]), name="board_choice_action_known"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="board_choice_has_reason"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), REASON_MAX_LENGTH),
                name="board_choice_reason_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.risk} ({self.summary})"
