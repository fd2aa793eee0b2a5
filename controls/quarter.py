"""A risk's controls in one quarter, as the quarterly update and the review read them."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from risks.models import ReportingPeriod, Risk

from .models import Control, ControlUpdate


def previous_updates(controls, period: ReportingPeriod) -> dict[int, ControlUpdate]:
    """Each control's latest update before `period`, keyed by control id, in one query."""
    ids = [c.pk for c in controls]
    if not ids:
        return {}
    latest = {}
    for update in (
        ControlUpdate.objects.filter(control_id__in=ids, period__start__lt=period.start)
        .select_related("period")
        .order_by("control_id", "-period__start")
    ):
        latest.setdefault(update.control_id, update)
    return latest


@dataclass
class ControlRow:
    """One control beside its update of this period and its latest update before it."""

    control: Control
    this: ControlUpdate | None  # this period's update, if given yet
    previous: ControlUpdate | None  # the latest update before this period

    @property
    def is_new(self) -> bool:
        return self.previous is None

    @property
    def changed(self) -> bool:
        if self.this is None or self.previous is None:
            return False
        return (self.this.status, self.this.note.strip()) != (
            self.previous.status, self.previous.note.strip(),
        )


def control_rows(risk: Risk, period: ReportingPeriod) -> list[ControlRow]:
    """Every active control of the risk with this period's and the previous update: 3 queries."""
    controls = list(
        Control.objects.filter(risk=risk, is_active=True).select_related("added_in")
        .order_by("order", "pk")
    )
    this = {
        u.control_id: u
        for u in ControlUpdate.objects.filter(control__in=controls, period=period)
        .select_related("updated_by")
    }
    previous = previous_updates(controls, period)
    return [ControlRow(c, this.get(c.pk), previous.get(c.pk)) for c in controls]


def control_row(risk: Risk, period: ReportingPeriod, control_pk: int) -> ControlRow:
    """One active control of the risk (404 if it is not one), as control_rows() gives it."""
    control = get_object_or_404(
        Control.objects.select_related("added_in"), pk=control_pk, risk=risk, is_active=True
    )
    control.risk = risk
    this = (
        ControlUpdate.objects.select_related("updated_by")
        .filter(control=control, period=period).first()
    )
    return ControlRow(control, this, previous_updates([control], period).get(control.pk))
