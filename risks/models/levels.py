"""What each likelihood and impact level means: the Planning & Risk Team's words, shown as hints
where levels are chosen. None is invented: a level the team has not described shows nothing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..scoring import Scale


class LevelDescription(models.Model):
    class Dimension(models.TextChoices):
        LIKELIHOOD = "likelihood", "Likelihood"
        IMPACT = "impact", "Impact"

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    level = models.PositiveSmallIntegerField(choices=Scale.choices)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        app_label = "risks"
        ordering = ["dimension", "level"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "level"], name="one_description_per_level"),
            models.CheckConstraint(
                condition=Q(dimension__in=["likelihood", "impact"]), name="level_dimension_known"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="level_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.get_level_display()}"


def level_hints() -> dict[str, dict[int, str]]:
    """{"likelihood": {level: description}, "impact": {...}}, only the levels described."""
    hints: dict[str, dict[int, str]] = {d: {} for d in LevelDescription.Dimension.values}
    for dimension, level, text in LevelDescription.objects.exclude(description="").values_list(
        "dimension", "level", "description"
    ):
        hints[dimension][level] = text
    return hints
