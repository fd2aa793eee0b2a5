"""Escalation and de-escalation between registers: a recorded proposal and its decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .frozen import FrozenPeriodModel, FrozenPeriodQuerySet
from .periods import ReportingPeriod
from .registers import Register
from .risk import Risk
from .roles import reads_everything


class EscalationQuerySet(FrozenPeriodQuerySet):
    def visible_to(self, user) -> "EscalationQuerySet":
        """Those whose risk the person may read, and those they may decide (the receiving
        register's owning or lead post); the team and the Panel read them all."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(
            Q(risk__in=Risk.objects.visible_to(user).values("pk"))
            | Q(to_register__in=Register.objects.headed_by(user).values("pk"))
        )

    def decided_by_registers_of(self, user) -> "EscalationQuerySet":
        return self.filter(to_register__in=Register.objects.headed_by(user).values("pk"))

    def pending(self) -> "EscalationQuerySet":
        return self.filter(state=Escalation.State.PROPOSED)

    def accepted(self) -> "EscalationQuerySet":
        return self.filter(state=Escalation.State.ACCEPTED)

    def touching(self, registers) -> "EscalationQuerySet":
        """Into or out of any of `registers` (ids or a values() queryset)."""
        return self.filter(Q(from_register__in=registers) | Q(to_register__in=registers))

    def for_page(self) -> "EscalationQuerySet":
        return self.select_related(
            "risk", "from_register", "to_register", "period", "proposed_by", "decided_by",
            "result_risk__register",
        )


class Escalation(FrozenPeriodModel):
    """A proposal to move a risk up to the register above (or a board's register), or back
    down, and the receiving register's decision on it. It belongs to the quarter it was
    proposed in: once that quarter closes, it never changes."""

    class Direction(models.TextChoices):
        UP = "up", "Escalation"
        DOWN = "down", "De-escalation"

    class State(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="escalations")
    from_register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="escalations_out"
    )
    to_register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="escalations_in"
    )
    direction = models.CharField(max_length=4, choices=Direction.choices)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="escalations"
    )
    reason = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # The risk that carries it on in the receiving register: on escalation a new risk there
    # (linked back to this one); on de-escalation the risk it first came from, or a new one.
    result_risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.PROTECT, related_name="arrived_by"
    )

    objects = EscalationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_register=models.F("to_register")),
                name="escalation_between_two_registers",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["up", "down"]), name="escalation_direction_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["proposed", "accepted", "declined"]),
                name="escalation_state_known",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="escalation_has_reason"),
            # A decision has its decider, time and reason; a proposal has none of them.
            models.CheckConstraint(
                condition=Q(state="proposed", decided_by__isnull=True, decided_at__isnull=True,
                            decision_reason="")
                | (~Q(state="proposed") & Q(decided_by__isnull=False, decided_at__isnull=False)
                   & ~Q(decision_reason="")),
                name="escalation_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(state="accepted", result_risk__isnull=False)
                | (~Q(state="accepted") & Q(result_risk__isnull=True)),
                name="escalation_accepted_has_result",
            ),
            models.UniqueConstraint(
                fields=["risk", "period"], condition=Q(state="proposed"),
                name="escalation_one_pending_per_risk",
            ),
        ]

    def __str__(self) -> str:
        verb = "to" if self.direction == self.Direction.UP else "back to"
        return f"{self.get_direction_display()} of {self.risk} {verb} {self.to_register}"

    def get_absolute_url(self) -> str:
        return reverse("risks:escalation", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PROPOSED

    @property
    def is_up(self) -> bool:
        return self.direction == self.Direction.UP
