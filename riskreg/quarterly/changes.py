"""/registers/<slug>/changes/: what changed in a quarter since the one before, risks and
controls together (risks.changes and controls.changes, composed here)."""

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from controls.changes import ControlChange, control_changes
from risks.access import branch_scope, get_register_for_user
from risks.changes import RiskChange, arrivals, risk_changes
from risks.models import Assessment, Escalation, Register, ReportingPeriod, reads_everything
from risks.pagecache import cached_page, named_quarter, periods_for
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
    new: list[Assessment] = field(default_factory=list)
    retired: list[Assessment] = field(default_factory=list)
    reinstated: list[Assessment] = field(default_factory=list)
    not_approved: list[Assessment] = field(default_factory=list)

    @property
    def risk_count(self) -> int:
        return self.risk_page.paginator.count if self.risk_page else len(self.risks)

    @property
    def arrival_groups(self) -> list[tuple[str, list[Assessment]]]:
        return [
            ("New this quarter", self.new),
            ("Retired this quarter", self.retired),
            ("Reinstated this quarter", self.reinstated),
        ]

    @property
    def control_count(self) -> int:
        return self.control_page.paginator.count if self.control_page else len(self.controls)


def changes_since_previous(
    register: Register,
    period: ReportingPeriod,
    *,
    user=None,
    previous: ReportingPeriod | None | object = ...,
    risks_page=None,
    controls_page=None,
    risks_per_page: int | None = None,
    controls_per_page: int | None = None,
    control_notes: bool = True,
    branch: bool = False,
) -> Changes:
    """Risks whose score, trend, progress or commentary changed, and controls whose status
    changed, between `period` and the quarter before it (`previous`, found if not given), as
    `user` may see them (None: the record itself, drafts of the open quarter included).

    Risks that came, went or came back this quarter are listed by name; a closed quarter's
    updates that were never approved are named, and compared with nothing.
    Given page sizes, risks and controls are paginated (risks_page and controls_page are the
    page numbers asked for): a register of 1,000 risks and 5,000 controls may change almost
    all of them in a quarter.
    """
    if previous is ...:
        previous = period.previous()
    rows = Assessment.objects.of_register(register, branch=branch).shown(period, user)
    not_approved = []
    if period.closed_incomplete:
        not_approved = list(rows.not_approved().in_register_order().only("ref", "title", "risk_id"))
        rows = rows.exclude(pk__in=[a.pk for a in not_approved])
    if previous is None:
        return Changes(period=period, previous=None, risks=[], controls=[],
                       not_approved=not_approved)
    risks, risk_page = risk_changes(rows, previous, page=risks_page, per_page=risks_per_page)
    # Controls of the risks whose update of this quarter the person may see.
    controls, control_page = control_changes(
        register, period, previous, risks=rows.filter(period=period).values("risk_id"),
        page=controls_page, per_page=controls_per_page, notes=control_notes, branch=branch,
    )
    came = arrivals(rows, previous)
    return Changes(
        period=period, previous=previous, risks=risks, controls=controls,
        risk_page=risk_page, control_page=control_page, new=came.new, retired=came.retired,
        reinstated=came.reinstated, not_approved=not_approved,
    )


@cached_page(named_quarter)
def register_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in a period since the quarter before it."""
    register = get_register_for_user(request, slug)
    branch = branch_scope(request)
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"), request.user)
    context = {"register": register, "periods": periods, "period": period, "branch": branch}
    if period:
        # The quarter's escalations and de-escalations into or out of the register (or its
        # branch), as the person may see them.
        registers = (Register.objects.branch_of(register).values("pk") if branch
                     else [register.pk])
        context["escalations"] = list(
            Escalation.objects.visible_to(request.user).filter(period=period)
            .touching(registers).for_page().order_by("proposed_at", "pk")
        )
        changes = changes_since_previous(
            register, period, user=request.user, previous=previous_period(periods, period),
            branch=branch,
            risks_page=request.GET.get("page"), risks_per_page=RISKS_PAGE_SIZE,
            controls_page=request.GET.get("controls_page"),
            controls_per_page=CONTROLS_PAGE_SIZE,
            # A control's note is what Appendix B prints as OFFICIAL-SENSITIVE.
            control_notes=reads_everything(request.user),
        )
        context["changes"] = changes
        if changes.risk_page is not None:
            context["risk_pages"] = pagination(request, changes.risk_page)
        if changes.control_page is not None:
            context["control_pages"] = pagination(request, changes.control_page, "controls_page")
    return render(request, "riskreg/quarterly/register_changes.html", context)
