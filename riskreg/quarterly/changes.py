"""/registers/<slug>/changes/: what changed in a quarter since the one before, risks and
controls together (risks.changes and controls.changes, composed here)."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from controls.changes import ControlChange, control_changes
from risks.access import get_register_for_user
from risks.changes import RiskChange, risk_changes
from risks.models import Register, ReportingPeriod
from risks.pages import choose_period, pagination, previous_period

RISKS_PAGE_SIZE = 25  # a table each
CONTROLS_PAGE_SIZE = 50


@dataclass
class Changes:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    risks: list[RiskChange]  # those of risk_page, when paginated
    controls: list[ControlChange]  # those of control_page, when paginated
    risk_page: Page | None = None
    control_page: Page | None = None

    @property
    def risk_count(self) -> int:
        return self.risk_page.paginator.count if self.risk_page else len(self.risks)

    @property
    def control_count(self) -> int:
        return self.control_page.paginator.count if self.control_page else len(self.controls)


def changes_since_previous(
    register: Register,
    period: ReportingPeriod,
    *,
    previous: ReportingPeriod | None | object = ...,
    risks_page=None,
    controls_page=None,
    risks_per_page: int | None = None,
    controls_per_page: int | None = None,
) -> Changes:
    """Risks whose score, trend, progress or commentary changed, and controls whose status
    changed, between `period` and the quarter before it (`previous`, found if not given).

    Given page sizes, risks and controls are paginated (risks_page and controls_page are the
    page numbers asked for): a register of 1,000 risks and 5,000 controls may change almost
    all of them in a quarter. Four queries at most, whatever the size: the previous period
    (unless given), the few columns that say which risks changed, the changed risks of the
    page, and a page of changed controls with their count.
    """
    if previous is ...:
        previous = period.previous()
    if previous is None:
        return Changes(period=period, previous=None, risks=[], controls=[])
    risks, risk_page = risk_changes(
        register, period, previous, page=risks_page, per_page=risks_per_page
    )
    controls, control_page = control_changes(
        register, period, previous, page=controls_page, per_page=controls_per_page
    )
    return Changes(
        period=period, previous=previous, risks=risks, controls=controls,
        risk_page=risk_page, control_page=control_page,
    )


def register_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in a period since the quarter before it."""
    register = get_register_for_user(request, slug)
    periods = list(ReportingPeriod.objects.all())
    period = choose_period(periods, request.GET.get("period"))
    context = {"register": register, "periods": periods, "period": period}
    if period:
        changes = changes_since_previous(
            register, period, previous=previous_period(periods, period),
            risks_page=request.GET.get("page"), risks_per_page=RISKS_PAGE_SIZE,
            controls_page=request.GET.get("controls_page"),
            controls_per_page=CONTROLS_PAGE_SIZE,
        )
        context["changes"] = changes
        if changes.risk_page is not None:
            context["risk_pages"] = pagination(request, changes.risk_page)
        if changes.control_page is not None:
            context["control_pages"] = pagination(request, changes.control_page, "controls_page")
    return render(request, "riskreg/quarterly/register_changes.html", context)
