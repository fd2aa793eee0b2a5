"""One access helper per model: 404 outside the user's scope, 403 for read-only access."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Register, Risk, is_planner


def get_register_for_user(request: HttpRequest, slug: str) -> Register:
    return get_object_or_404(Register.objects.visible_to(request.user), slug=slug)


def get_risk_for_user(request: HttpRequest, pk: int, *, edit: bool = False) -> Risk:
    risk = get_object_or_404(
        Risk.objects.visible_to(request.user).select_related("register", "owner"), pk=pk
    )
    if edit and not can_edit_risk(request.user, risk):
        raise PermissionDenied("You can read this risk but not update it.")
    return risk


def can_edit_risk(user, risk: Risk) -> bool:
    """Owners and working leads update their own risks; the team may update any."""
    if is_planner(user):
        return True
    return Risk.objects.owned_or_led_by(user).filter(pk=risk.pk).exists()
