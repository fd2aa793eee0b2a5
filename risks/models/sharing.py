"""Shared and partnership risks: a risk owned by one register, shared with others, which see
it on their pages and may add their commentary each quarter, never its owner's assessment."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .frozen import FrozenPeriodModel, FrozenPeriodQuerySet
from .periods import ReportingPeriod
from .registers import Register
from .risk import Risk


class RiskShare(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="shares")
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="shared_risks")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    shared_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["register__name"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "register"], name="risk_shared_once"),
        ]

    def __str__(self) -> str:
        return f"{self.risk} shared with {self.register}"


class SharedCommentary(FrozenPeriodModel):
    """A sharing register's commentary on the risk for one quarter (frozen with it)."""

    share = models.ForeignKey(RiskShare, on_delete=models.PROTECT, related_name="commentary")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField()

    objects = FrozenPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "period"], name="shared_commentary_once"),
            models.CheckConstraint(condition=~models.Q(text=""), name="shared_commentary_text"),
        ]
