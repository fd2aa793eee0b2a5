"""One access helper per model: 404 when it does not exist, 403 for read-only access.

Everyone signed in reads the action plan and the self-assessment results. The Planning & Risk
Team edits everything; holders of an item's owner posts update that item (the status of its
actions, its update log and its update text); holders of a unit's commander post complete
that unit's self-assessment.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from risks.models import is_planner

from .models import ActionPlan, PlanAction, PlanItem, Unit


def get_plan_for_user(request: HttpRequest, *, edit: bool = False) -> ActionPlan:
    plan = ActionPlan.objects.current()
    if plan is None:
        raise Http404("There is no action plan yet.")
    if edit and not is_planner(request.user):
        raise PermissionDenied("Only the Planning & Risk Team can change the plan.")
    return plan


def can_update_item(user, item: PlanItem) -> bool:
    if is_planner(user):
        return True
    if not user.is_authenticated:
        return False
    return item.owner_posts.filter(holders=user).exists()


def item_ids_user_may_update(user, plan: ActionPlan) -> set[int]:
    """The items of a plan this user may update, in one query."""
    items = PlanItem.objects.filter(theme__plan=plan)
    if not is_planner(user):
        if not user.is_authenticated:
            return set()
        items = items.filter(owner_posts__holders=user)
    return set(items.values_list("pk", flat=True))


def get_item_for_user(
    request: HttpRequest, pk: int, *, edit: bool = False, update: bool = False
) -> PlanItem:
    """`edit`: change anything about the item (the team); `update`: its owners' updates."""
    item = get_object_or_404(PlanItem.objects.select_related("theme__plan"), pk=pk)
    if edit and not is_planner(request.user):
        raise PermissionDenied("Only the Planning & Risk Team can change this item.")
    if update and not can_update_item(request.user, item):
        raise PermissionDenied("You can read this item but not update it.")
    return item


def get_action_for_user(
    request: HttpRequest, pk: int, *, edit: bool = False, update: bool = False
) -> PlanAction:
    """`edit`: its text and milestone (the team); `update`: its status (the item's owners too)."""
    action = get_object_or_404(PlanAction.objects.select_related("item__theme__plan"), pk=pk)
    if edit and not is_planner(request.user):
        raise PermissionDenied("Only the Planning & Risk Team can change this action.")
    if update and not can_update_item(request.user, action.item):
        raise PermissionDenied("You can read this action but not update it.")
    return action


def can_assess_unit(user, unit: Unit) -> bool:
    if is_planner(user):
        return True
    if not user.is_authenticated or unit.commander_id is None:
        return False
    return unit.commander.holders.filter(pk=user.pk).exists()


def units_user_may_assess(user):
    if is_planner(user):
        return Unit.objects.filter(is_active=True)
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(is_active=True, commander__holders=user)


def get_unit_for_user(request: HttpRequest, pk: int, *, assess: bool = False) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("business_group", "commander"), pk=pk)
    if assess and not can_assess_unit(request.user, unit):
        raise PermissionDenied("Only the unit's commander can complete its self-assessment.")
    return unit
