"""The organisation's risk appetite criteria (as in HM Treasury's Orange Book guidance on risk
appetite): levels, each accepting scores up to a ceiling, and themes with a level each. The
Planning & Risk Team keeps them; none is invented for the seed."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

HIGHEST_SCORE = 16  # likelihood 4 × impact 4


class AppetiteLevel(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text='For example "Cautious"')
    description = models.TextField(blank=True)
    max_score = models.PositiveSmallIntegerField(
        "highest score it accepts", help_text="A current score from 1 to 16."
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        app_label = "risks"
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=1, max_score__lte=HIGHEST_SCORE),
                name="appetite_level_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AppetiteTheme(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text='For example "Financial"')
    level = models.ForeignKey(AppetiteLevel, on_delete=models.PROTECT, related_name="themes")

    history = HistoricalRecords()

    class Meta:
        app_label = "risks"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegisterAppetite(models.Model):
    """A register's own appetite level for one theme (a business group's thematic appetite):
    its risks of that theme take this level instead of the organisation's, unless a risk has
    its own (Risk.appetite_level_shown)."""

    register = models.ForeignKey(
        "risks.Register", on_delete=models.PROTECT, related_name="theme_appetites"
    )
    theme = models.ForeignKey(AppetiteTheme, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(AppetiteLevel, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        app_label = "risks"
        ordering = ["register", "theme__name"]
        constraints = [
            models.UniqueConstraint(fields=["register", "theme"], name="one_appetite_per_theme_per_register"),
        ]

    def __str__(self) -> str:
        return f"{self.register}: {self.theme} – {self.level}"
