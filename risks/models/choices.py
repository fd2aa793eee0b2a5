"""The words of a quarterly update: trend, progress, RAG, why a score changed."""


from django.db import models


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
