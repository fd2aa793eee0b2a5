"""Controls whose status changed since the quarter before: the controls half of the changes
page (riskreg composes it with risks.changes)."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import F, FilteredRelation, Q

from risks.models import Register, ReportingPeriod, Risk
from risks.pagination import get_page

from .models import Control, ControlStatus, ControlUpdate


@dataclass
class ControlChange:
    risk_ref: int
    risk_title: str
    risk_id: int
    control: str
    before: str
    after: str
    note: str


def _control_changes(register: Register, previous: ReportingPeriod, period: ReportingPeriod):
    """The register's controls whose status in `period` differs from `previous` (or that had
    none then), as values() rows in the register's order: one query, joined not correlated.

    A control nobody has updated yet this quarter has not changed: it is still to do.
    """
    controls = Control.objects.filter(
        risk__in=Risk.objects.filter(register=register).values("pk")
    ).values("pk")
    return (
        ControlUpdate.objects.filter(period=period, control__in=controls)
        .annotate(
            before=FilteredRelation(
                "control__updates", condition=Q(control__updates__period=previous)
            )
        )
        .annotate(before_status=F("before__status"))
        .filter(Q(before_status__isnull=True) | ~Q(before_status=F("status")))
        .values(
            "status", "note", "before_status", "control__title",
            "control__risk_id", "control__risk__ref", "control__risk__title",
        )
        .order_by("control__risk__ref", "control__order", "control_id")
    )


def _control_change(row: dict, labels: dict[str, str]) -> ControlChange:
    return ControlChange(
        risk_ref=row["control__risk__ref"],
        risk_title=row["control__risk__title"],
        risk_id=row["control__risk_id"],
        control=row["control__title"],
        before=labels[row["before_status"]] if row["before_status"] else "New this quarter",
        after=labels[row["status"]],
        note=row["note"],
    )


def control_changes(
    register: Register, period: ReportingPeriod, previous: ReportingPeriod,
    *, page=None, per_page: int | None = None,
) -> tuple[list[ControlChange], Page | None]:
    """The register's controls whose status changed, and the page of them when `per_page` is
    given (one query: finding a changed control means joining and comparing every control,
    so the rows are counted once, as a window, rather than again in a subquery)."""
    changed = _control_changes(register, previous, period)
    found_page = None
    if per_page:
        found_page = get_page(changed, page, per_page, window=True)
        rows = found_page.object_list
    else:
        rows = list(changed)
    labels = dict(ControlStatus.choices)
    return [_control_change(row, labels) for row in rows], found_page
