"""An update handed over: the owner (or a lead, or the team) gives one risk's update of the
open quarter to another post holder, who may then read the risk, write and submit it. It
grants nothing once the quarter closes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .periods import ReportingPeriod


class Delegation(models.Model):
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    risk = models.ForeignKey("risks.Risk", on_delete=models.PROTECT, related_name="delegations")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "risk"], name="one_delegate_per_update"),
            models.CheckConstraint(
                condition=~Q(delegate=models.F("by")), name="delegate_is_someone_else"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk} in {self.period} to {self.delegate}"


def delegated_to(user, prefix: str = "") -> Q:
    """Risks (through `prefix`) whose open quarter's update is handed to this user."""
    return Q(**{
        f"{prefix}delegations__delegate": user,
        f"{prefix}delegations__period__state": ReportingPeriod.State.OPEN,
    })
