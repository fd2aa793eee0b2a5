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
        .exclude(status="")  # recorded at close with no update: nothing to carry
        .select_related("period")
        .order_by("control_id", "-period__start")
    ):
        latest.setdefault(update.control_id, update)
    return latest


@dataclass
class ControlRow:
    """One control beside its update of this period and its latest update before it.

    In a closed quarter the control is named and described as that quarter recorded it
    (ControlUpdate's definition), whatever became of it since."""

    control: Control
    this: ControlUpdate | None  # this period's update, if given yet
    previous: ControlUpdate | None  # the latest update before this period
    record: ControlUpdate | None = None  # a closed period's record of the control

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

    def _defined(self, name: str, control_name: str | None = None):
        if self.record is not None:
            return getattr(self.record, name)
        return getattr(self.control, control_name or name)

    @property
    def title(self) -> str:
        return self._defined("title")

    @property
    def category(self) -> str:
        return self._defined("category")

    @property
    def milestone(self) -> str:
        return self._defined("milestone")

    @property
    def is_key(self) -> bool:
        return self._defined("is_key")

    @property
    def owner_name(self) -> str:
        if self.record is not None:
            return self.record.owner_name
        return self.control.owner.name if self.control.owner_id else ""


def control_rows(risk: Risk, period: ReportingPeriod) -> list[ControlRow]:
    """The risk's controls in `period` with this period's and the previous update: 3 queries.
    An open period lists the risk's active controls as they stand; a closed one, the
    controls it recorded, as it recorded them."""
    if not period.is_open:
        records = list(
            ControlUpdate.objects.filter(period=period, risk=risk, retired=False)
            .select_related("control__added_in", "updated_by")
            .order_by("order", "control_id")
        )
        previous = previous_updates([r.control for r in records], period)
        return [
            ControlRow(r.control, r if r.status else None, previous.get(r.control_id), record=r)
            for r in records
        ]
    controls = list(
        Control.objects.filter(risk=risk, is_active=True).select_related("added_in", "owner")
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
    """One active control of the risk in the open period (404 if it is not one)."""
    control = get_object_or_404(
        Control.objects.select_related("added_in", "owner"), pk=control_pk, risk=risk,
        is_active=True,
    )
    control.risk = risk
    this = (
        ControlUpdate.objects.select_related("updated_by")
        .filter(control=control, period=period).first()
    )
    return ControlRow(control, this, previous_updates([control], period).get(control.pk))
