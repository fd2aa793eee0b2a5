"""Writes and reads of key risk indicators (risks.models.indicators).

The Planning & Risk Team keeps a risk's indicators (save_indicator): each change is recorded in
the history with who and why, and reaches the open quarter's values (their record of the
indicator), never a closed quarter's. The risk's owner and leads enter each active indicator's
value as a task of the quarterly update (save_indicator_values): one write of the update under
its optimistic lock, refused whole when stale, not editable or for a closed quarter.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .history import keep_baseline
from .manage import _check, digest
from .models import Assessment, Indicator, IndicatorValue, ReportingPeriod, Risk
from .services import _write, lock_open_period

INDICATOR_FIELDS = ("name", "unit", "direction", "green_limit", "amber_limit", "source", "owner",
                    "is_active", "order")


def indicator_digest(indicator: Indicator) -> str:
    return digest({name: getattr(indicator, "owner_id" if name == "owner" else name)
                   for name in INDICATOR_FIELDS})


@transaction.atomic
def save_indicator(*, indicator: Indicator | None, risk: Risk | None = None, fields: dict,
                   was: str | None = None, by) -> Indicator:
    """Add an indicator to `risk` (indicator None) or change one. The open quarter's values of
    it take the change (their record), so its RAG there follows the new limits."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of an indicator: {', '.join(sorted(unknown))}")
    period = ReportingPeriod.objects.open().first()
    if period is not None:
        lock_open_period(period.pk)
    if indicator is None:
        current, reason = Indicator(risk=risk), "Added"
    else:
        current, reason = Indicator.objects.select_for_update().get(pk=indicator.pk), "Changed"
        _check(current, was, indicator_digest)
        keep_baseline(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current._history_user, current._change_reason = by, reason
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError(
            f"Risk {current.risk.ref} already has an indicator called {current.name}"
        ) from None
    if period is not None:
        for value in IndicatorValue.objects.filter(indicator=current, period=period):
            value.record(current)
            value._history_user, value._change_reason = by, "Indicator changed"
            value.save()
    return current


@dataclass
class Entry:
    """One active indicator of the update, with its value this quarter and last quarter's."""

    indicator: Indicator
    this: IndicatorValue | None
    previous: IndicatorValue | None


def entries(risk: Risk, period: ReportingPeriod) -> list[Entry]:
    """The risk's active indicators, each with this quarter's value and the latest before it
    (two queries)."""
    indicators = list(
        Indicator.objects.active().filter(risk=risk).select_related("owner").order_by("order", "pk")
    )
    this, previous = {}, {}
    for v in (IndicatorValue.objects.filter(indicator__in=indicators, period__start__lte=period.start)
              .select_related("period").order_by("indicator_id", "period__start")):
        if v.period_id == period.pk:
            this[v.indicator_id] = v
        else:
            previous[v.indicator_id] = v  # the latest wins: ordered by start
    return [Entry(i, this.get(i.pk), previous.get(i.pk)) for i in indicators]


def missing_values(risk: Risk, period: ReportingPeriod) -> dict[str, str]:
    """What the update lacks of its indicators: each active indicator needs its value."""
    waiting = [e.indicator.name for e in entries(risk, period) if e.this is None]
    if not waiting:
        return {}
    if len(waiting) == 1:
        return {"indicators": f"Enter this quarter's value of {waiting[0]}"}
    return {"indicators": f"Enter this quarter's values of {len(waiting)} indicators: "
                          f"{', '.join(waiting)}"}


@transaction.atomic
def save_indicator_values(
    *, assessment: Assessment, version: int, by, values: dict[int, tuple[Decimal, str]]
) -> Assessment:
    """Save this quarter's value (and note) of each of the risk's active indicators given in
    `values` (indicator id to (value, note)). The update's version is checked and moved on, as
    any save of it, so a page opened before another change saves nothing (StaleVersion)."""
    lock_open_period(assessment.period_id)
    indicators = Indicator.objects.active().filter(risk_id=assessment.risk_id).in_bulk()
    strangers = set(values) - set(indicators)
    if strangers:
        raise ValidationError("An indicator is no longer one of this risk's: reload the page")
    saved = _write(assessment, version=version, by=by, reason="Saved draft",
                   states=Assessment.EDITABLE_STATES)
    stored = {v.indicator_id: v for v in IndicatorValue.objects.filter(
        period_id=assessment.period_id, indicator__in=list(values))}
    for pk, (number, note) in values.items():
        row = stored.get(pk) or IndicatorValue(indicator_id=pk, period_id=assessment.period_id)
        if row.pk and (row.value, row.note) == (number, note):
            continue
        row.record(indicators[pk])
        row.value, row.note, row.entered_by = number, note, by
        row._history_user = by
        row._change_reason = "Entered" if row.pk is None else "Changed"
        row.save()
    return saved
