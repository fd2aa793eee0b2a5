"""Access to Audit Panel reports: 404 outside the user's scope, 403 for read-only access."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from risks.models import is_panel, is_planner

from .models import Report


def reads_public_only(user) -> bool:
    """Owners and leads read a report without Appendix B, which is OFFICIAL-SENSITIVE."""
    return not (is_planner(user) or is_panel(user))


def get_report_for_user(request: HttpRequest, pk: int, *, edit: bool = False) -> Report:
    """The team sees every report and may edit; the panel sees published reports only."""
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("period", "register"), pk=pk
    )
    if edit and not is_planner(request.user):
        raise PermissionDenied("Only the Planning & Risk Team can change a report.")
    return report
