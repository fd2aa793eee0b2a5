"""Controls whose status changed since the quarter before: the controls half of the changes
page (riskreg composes it with risks.changes)."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import F, FilteredRelation, Q

from risks.models import Register, ReportingPeriod, Risk
from risks.pagination import get_page

from .models import ControlStatus, ControlUpdate


@dataclass
class ControlChange:
    risk_ref: int
    risk_title: str
    risk_id: int
    control: str
    before: str
    after: str
    note: str


def _control_changes(register: Register, previous: ReportingPeriod, period: ReportingPeriod, risks,
                     branch: bool = False):
    """The register's controls whose status in `period` differs from `previous` (or that had
    none then), as values() rows in the register's order: one query, joined not correlated.
    Each is named, with its risk, as `period` records them (the control may have moved since).

    A control nobody has updated yet this quarter has not changed: it is still to do.
    """
    return (
        ControlUpdate.objects.filter(
            period=period,
            risk__in=Risk.objects.filter(
                **({"register__in": Register.objects.branch_of(register).values("pk")}
                   if branch else {"register": register}),
                pk__in=risks,
            ).values("pk"),
        )
        .exclude(status="")
        .annotate(
            before=FilteredRelation(
                "control__updates", condition=Q(control__updates__period=previous)
            ),
            risk_record=FilteredRelation(
                "risk__assessments", condition=Q(risk__assessments__period=period)
            ),
        )
        .annotate(before_status=F("before__status"))
        .filter(Q(before_status__isnull=True) | ~Q(before_status=F("status")))
        .values(
            "status", "note", "before_status", "title", "control__title", "risk_id",
            "risk_record__ref", "risk_record__title",
        )
        .order_by("risk_record__ref", "order", "control_id")
    )


def _control_change(row: dict, labels: dict[str, str], notes: bool) -> ControlChange:
    return ControlChange(
        risk_ref=row["risk_record__ref"],
        risk_title=row["risk_record__title"],
        risk_id=row["risk_id"],
        # Named as the quarter records it (a record written before close may have no title).
        control=row["title"] or row["control__title"],
        before=(
            "New this quarter" if row["before_status"] is None
            else labels.get(row["before_status"], "No update that quarter")
        ),
        after=labels[row["status"]],
        note=row["note"] if notes else "",
    )


def control_changes(
    register: Register, period: ReportingPeriod, previous: ReportingPeriod, *, risks,
    page=None, per_page: int | None = None, notes: bool = True, branch: bool = False,
) -> tuple[list[ControlChange], Page | None]:
    """The controls of `risks` (ids, or a values() queryset of them) in the register whose
    status changed, and the page of them when `per_page` is given (one query: finding a
    changed control means joining and comparing every control, so the rows are counted
    once, as a window, rather than again in a subquery). Without `notes`, the notes stay
    out: Appendix B prints them as OFFICIAL-SENSITIVE."""
    changed = _control_changes(register, previous, period, risks, branch)
    found_page = None
    if per_page:
        found_page = get_page(changed, page, per_page, window=True)
        rows = found_page.object_list
    else:
        rows = list(changed)
    labels = dict(ControlStatus.choices)
    return [_control_change(row, labels, notes) for row in rows], found_page
