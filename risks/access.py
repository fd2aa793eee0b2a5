"""One access helper per model: 404 outside the user's scope (or, for an update, when no
period is open), 403 for read-only access."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import (
    Assessment,
    Opportunity,
    OpportunityAssessment,
    Register,
    ReportingPeriod,
    Risk,
    is_planner,
)


def get_register_for_user(
    request: HttpRequest, slug: str, *, with_opportunities: bool = False
) -> Register:
    """`with_opportunities`: .has_opportunities says whether it holds any (no query more)."""
    registers = Register.objects.visible_to(request.user)
    if with_opportunities:
        registers = registers.annotate(has_opportunities=Exists(
            Opportunity.objects.filter(register=OuterRef("pk"))))
    return get_object_or_404(registers, slug=slug)


def get_register_page_for_user(request: HttpRequest, slug: str) -> Register:
    """The register, with what its page shows about the hierarchy in the same query: whether
    registers sit beneath it, how many proposals wait for its decision, whether risks are shared
    with it and whether it holds opportunities."""
    from django.db.models import Count, Exists, OuterRef, Q

    from .models import Escalation, RiskShare

    return get_object_or_404(
        Register.objects.visible_to(request.user).select_related("parent", "owner_post", "lead_post")
        .annotate(
            has_children=Exists(Register.objects.filter(parent=OuterRef("pk"))),
            pending_in=Count("escalations_in", filter=Q(
                escalations_in__state=Escalation.State.PROPOSED), distinct=True),
            has_shared=Exists(RiskShare.objects.filter(register=OuterRef("pk"))),
            has_opportunities=Exists(Opportunity.objects.filter(register=OuterRef("pk"))),
        ),
        slug=slug,
    )


def branch_scope(request: HttpRequest) -> bool:
    """?scope=branch: the register and every register beneath it."""
    return request.GET.get("scope") == "branch"


def get_risk_for_user(
    request: HttpRequest, pk: int, *, edit: bool = False, with_editable: bool = False
) -> Risk:
    """`with_editable`: whether the person may edit it (can_edit_risk) is read with the risk,
    in the same query."""
    from django.db.models import BooleanField, Exists, OuterRef, Value

    from .models import RiskShare

    risks = Risk.objects.visible_to(request.user).select_related(
        "register", "owner", "appetite_level", "appetite_theme__level"
    ).annotate(is_shared=Exists(RiskShare.objects.filter(risk=OuterRef("pk"))))
    if with_editable and not is_planner(request.user):
        mine = Risk.objects.owned_or_led_by(request.user)
        risks = risks.annotate(editable=Value(False, output_field=BooleanField())
                               if mine.query.is_empty() else Exists(mine.filter(pk=OuterRef("pk"))))
    risk = get_object_or_404(risks, pk=pk)
    if edit and not can_edit_risk(request.user, risk):
        raise PermissionDenied("You can read this risk but not update it.")
    return risk


def can_edit_risk(user, risk: Risk) -> bool:
    """Owners and working leads update their own risks; the team may update any."""
    if is_planner(user):
        return True
    editable = getattr(risk, "editable", None)  # read with the risk (get_risk_for_user)
    if editable is not None:
        return editable
    return Risk.objects.owned_or_led_by(user).filter(pk=risk.pk).exists()


# The quarterly cycle ---------------------------------------------------------------------------


@dataclass
class OpenUpdate:
    risk: Risk
    period: ReportingPeriod
    assessment: Assessment | None  # None until a risk added mid-quarter is started


def get_open_update_for_user(request: HttpRequest, pk: int) -> OpenUpdate:
    """The open period's update of risk pk, for someone who may edit it."""
    risk = get_risk_for_user(request, pk, edit=True)
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise Http404("No reporting period is open, so there is nothing to update.")
    assessment = (
        Assessment.objects.select_related(
            "period", "updated_by", "submitted_by", "reviewed_by"
        )
        .filter(risk=risk, period=period)
        .first()
    )
    if assessment is not None:
        assessment.risk = risk
    return OpenUpdate(risk=risk, period=period, assessment=assessment)


def require_planner(request: HttpRequest) -> None:
    if not is_planner(request.user):
        raise PermissionDenied("Only the Planning & Risk Team can do this.")


def get_assessment_for_review(request: HttpRequest, pk: int) -> Assessment:
    require_planner(request)
    return get_object_or_404(
        Assessment.objects.select_related(
            "risk__register", "risk__owner", "period", "updated_by", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )


# Opportunities ---------------------------------------------------------------------------------


def get_opportunity_for_user(request: HttpRequest, pk: int, *, edit: bool = False):
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user).select_related("register", "owner"), pk=pk
    )
    if edit and not can_edit_opportunity(request.user, opportunity):
        raise PermissionDenied("You can read this opportunity but not update it.")
    return opportunity


def can_edit_opportunity(user, opportunity) -> bool:
    """Its owner and leads update it; the team may update any."""
    if is_planner(user):
        return True
    return Opportunity.objects.owned_or_led_by(user).filter(pk=opportunity.pk).exists()


def get_opportunity_update_for_review(request: HttpRequest, pk: int):
    require_planner(request)
    return get_object_or_404(
        OpportunityAssessment.objects.select_related(
            "opportunity__register", "period", "updated_by", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )
