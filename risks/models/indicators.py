"""Key risk indicators: measures of a risk kept by the Planning & Risk Team (name, unit,
direction, thresholds, source, owner), and their value each quarter, entered by the risk's
owner as a task of the quarterly update.

The thresholds split the scale in three: a value at or better than the green limit is Green,
one at or better than the amber limit (and worse than green) is Amber, anything worse is Red.
"Better" is lower for an indicator where higher is worse, and higher where lower is worse, so
the limits must be ordered with the direction (a database constraint).

A value records its indicator as the quarter shows it (name, unit, direction, limits), like an
assessment records its risk: changing an indicator reaches the open quarter's value, never a
closed quarter's, whose RAG therefore never changes. The RAG is computed by the database from
those columns (IndicatorValue.rag, a generated column): the one place the rule lives.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from simple_history.models import HistoricalRecords

from .assessment import Assessment
from .choices import Rag
from .frozen import FrozenPeriodModel, FrozenPeriodQuerySet
from .periods import ReportingPeriod
from .registers import Post
from .risk import Risk
from .roles import reads_everything, sees_drafts

VALUE_DIGITS = 14
VALUE_PLACES = 2
VALUE_LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)  # values lie strictly within ±this


class Direction(models.TextChoices):
    HIGHER_IS_WORSE = "higher_worse", "Higher is worse"
    LOWER_IS_WORSE = "lower_worse", "Lower is worse"


def _value_field(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES,
                               **kwargs)


def limits_ordered(prefix: str) -> models.CheckConstraint:
    """Green's limit is better than amber's, in the indicator's direction."""
    return models.CheckConstraint(
        condition=Q(direction=Direction.HIGHER_IS_WORSE, green_limit__lt=F("amber_limit"))
        | Q(direction=Direction.LOWER_IS_WORSE, green_limit__gt=F("amber_limit")),
        name=f"{prefix}_limits_ordered_with_direction",
    )


def direction_known(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(direction__in=Direction.values), name=f"{prefix}_direction_known"
    )


class IndicatorQuerySet(models.QuerySet):
    def active(self) -> "IndicatorQuerySet":
        return self.filter(is_active=True)


class Indicator(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=200, help_text='For example "Knife crime offences"')
    unit = models.CharField(
        max_length=50, blank=True, help_text='What a value counts, for example "offences" or "%"'
    )
    direction = models.CharField(max_length=12, choices=Direction.choices)
    green_limit = _value_field("green up to", help_text="A value at or better than this is Green.")
    amber_limit = _value_field(
        "amber up to", help_text="A value at or better than this, and worse than green, is Amber; "
        "anything worse is Red."
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the figure comes from")
    owner = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators",
        help_text="The post that provides the figure",
    )
    is_active = models.BooleanField("active", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "name"], name="indicator_name_unique_per_risk"),
            direction_known("indicator"),
            limits_ordered("indicator"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def thresholds(self) -> str:
        return threshold_words(self.direction, self.green_limit, self.amber_limit, self.unit)

    def recorded(self) -> dict:
        """What a value of the open quarter records of its indicator."""
        return {"name": self.name, "unit": self.unit, "direction": self.direction,
                "green_limit": self.green_limit, "amber_limit": self.amber_limit}


def number(value: Decimal | None) -> str:
    """A value as people write it: 12, 12.5, -3, 1,250 (never 12.00)."""
    if value is None:
        return ""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "%":
        return f"{number(value)}%"
    return f"{number(value)} {unit}".strip()


def threshold_words(direction: str, green: Decimal, amber: Decimal, unit: str) -> str:
    """ "Green up to 10, amber up to 20, red above 20 offences"."""
    if direction == Direction.HIGHER_IS_WORSE:
        up, beyond = "up to", "above"
    else:
        up, beyond = "down to", "below"
    return (f"Green {up} {number(green)}, amber {up} {number(amber)}, "
            f"red {beyond} {with_unit(amber, unit)}")


def rag_expression() -> Case:
    """The RAG of a value against the limits it records: the one rule (see the docstring)."""
    higher = Q(direction=Direction.HIGHER_IS_WORSE)
    lower = Q(direction=Direction.LOWER_IS_WORSE)
    return Case(
        When(higher & Q(value__lte=F("green_limit")), then=Value(Rag.GREEN.value)),
        When(higher & Q(value__lte=F("amber_limit")), then=Value(Rag.AMBER.value)),
        When(lower & Q(value__gte=F("green_limit")), then=Value(Rag.GREEN.value)),
        When(lower & Q(value__gte=F("amber_limit")), then=Value(Rag.AMBER.value)),
        default=Value(Rag.RED.value),
        output_field=models.CharField(max_length=5),
    )


class IndicatorValueQuerySet(FrozenPeriodQuerySet):
    def out_of_threshold(self) -> "IndicatorValueQuerySet":
        """Amber or red: worse than the green limit."""
        return self.exclude(rag=Rag.GREEN)

    def visible_to(self, user) -> "IndicatorValueQuerySet":
        """Values of the risks `user` may see. The team, and the risk's owner and leads, see
        every quarter's (drafts too); other readers a quarter's values only once the risk's
        update of that quarter is approved (as the risk page shows its quarters)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_drafts(user):
            return self
        rows = self if reads_everything(user) else self.filter(
            indicator__risk__in=Risk.objects.visible_to(user).values("pk")
        )
        approved = Exists(Assessment.objects.filter(
            risk=OuterRef("indicator__risk"), period=OuterRef("period"),
            state=Assessment.State.APPROVED,
        ))
        own = Risk.objects.owned_or_led_by(user).values("pk")
        return rows.filter(approved | Q(indicator__risk__in=own))


class IndicatorValue(FrozenPeriodModel):
    """One indicator's value for one quarter, with the indicator as that quarter records it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="indicator_values"
    )
    value = _value_field("value")
    note = models.TextField(blank=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, blank=True)
    direction = models.CharField(max_length=12, choices=Direction.choices)
    green_limit = _value_field("green up to")
    amber_limit = _value_field("amber up to")
    rag = models.GeneratedField(
        expression=rag_expression(), output_field=models.CharField(max_length=5), db_persist=True
    )
    entered_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["rag"])

    class Meta:
        ordering = ["indicator", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="one_indicator_value_per_period"
            ),
            direction_known("indicator_value"),
            limits_ordered("indicator_value"),
            models.CheckConstraint(
                condition=Q(value__gt=-VALUE_LIMIT, value__lt=VALUE_LIMIT),
                name="indicator_value_in_range",
            ),
        ]
        indexes = [models.Index(fields=["period", "rag"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.period}"

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label if self.rag else ""

    @property
    def out_of_threshold(self) -> bool:
        return bool(self.rag) and self.rag != Rag.GREEN

    @property
    def shown(self) -> str:
        return with_unit(self.value, self.unit)

    @property
    def thresholds(self) -> str:
        return threshold_words(self.direction, self.green_limit, self.amber_limit, self.unit)

    @property
    def tag_colour(self) -> str:
        return {Rag.GREEN: "green", Rag.AMBER: "yellow", Rag.RED: "red"}.get(self.rag, "grey")

    def record(self, indicator: Indicator) -> None:
        for name, value in indicator.recorded().items():
            setattr(self, name, value)
