"""The riskreg app's models, where Django looks for them: the Audit Panel report's live in
riskreg/report/, the board summaries' in riskreg/boards/; the sign-in throttle's count is here
(riskreg/signin.py)."""

from django.db import models

from .boards.models import BoardSummary, BoardSummaryChoice, BoardSummaryQuerySet
from .report.models import Report, ReportFile, ReportQuerySet

__all__ = [
    "BoardSummary", "BoardSummaryChoice", "BoardSummaryQuerySet", "Report", "ReportFile",
    "ReportQuerySet", "SignInCount",
]


class SignInCount(models.Model):
    """Sign-in attempts in one fixed window, from one client address or for one username.

    riskreg/signin.py counts them before any password is hashed, and refuses an attempt over
    the limit; rows of past windows are deleted as new windows begin.
    """

    class Kind(models.TextChoices):
        ADDRESS = "address", "Client address"
        USERNAME = "username", "Username"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=150)
    window_start = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "window_start"], name="one_count_per_window"
            ),
        ]
        indexes = [models.Index(fields=["window_start"], name="signin_count_window")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}: {self.attempts} from {self.window_start}"
