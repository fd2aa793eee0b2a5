"""Access helpers of the quarterly cycle, built on access.get_risk_for_user.

404 outside the user's scope (or when no period is open), 403 for read-only access.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .access import get_risk_for_user
from .models import Assessment, ReportingPeriod, Risk, is_planner


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
