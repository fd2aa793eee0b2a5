"""/manage/units/: the Planning & Risk Team keeps the units (OCUs and BCUs) whose commanders
assess their risk maturity each year: name, business group, commander's post, active or not.
Only the team and administrators may; everyone else gets 403."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from risks.access import require_planner
from risks.formfields import ChoiceField
from risks.history import keep_baseline, recent_changes
from risks.locking import StaleVersion
from risks.manage import digest
from risks.manage_forms import was_field
from risks.models import Post

from .models import BusinessGroup, Unit

STALE = (
    "Someone changed this unit after you opened this page, so your changes were not saved. "
    "What it says now is shown below: check, then save again"
)


def unit_digest(unit: Unit) -> str:
    return digest({"name": unit.name, "group": unit.business_group_id,
                   "commander": unit.commander_id, "active": unit.is_active})


class UnitForm(forms.Form):
    label_size = None

    name = forms.CharField(
        label="Name of the unit", max_length=200, help_text="For example Central West BCU.",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
        error_messages={"required": "Enter the unit's name",
                        "max_length": "The name must be 200 characters or fewer"},
    )
    business_group = ChoiceField(
        queryset=BusinessGroup.objects.all(), required=False, label="Business group",
        empty_label="Choose a business group",
        error_messages={"invalid_choice": "Choose the business group from the list"},
    )
    new_business_group = forms.CharField(
        label="Or a new business group", max_length=200, required=False,
        help_text="If the unit's business group is not in the list, enter its name.",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-one-half"}),
        error_messages={"max_length": "The business group's name must be 200 characters or fewer"},
    )
    commander = ChoiceField(
        queryset=Post.objects.all(), required=False, label="Commander's post",
        empty_label="None yet",
        help_text="Holders of this post complete the unit's self-assessment.",
        error_messages={"invalid_choice": "Choose the commander's post from the list"},
    )
    is_active = forms.TypedChoiceField(
        label="Does the unit still assess its maturity each year?",
        choices=[("yes", "Yes"), ("no", "No, it is closed")], coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Say whether the unit is still active",
                        "invalid_choice": "Say whether the unit is still active"},
    )
    was = was_field()

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Unit.objects.filter(name__iexact=name)
        if self.unit is not None:
            taken = taken.exclude(pk=self.unit.pk)
        if taken.exists():
            raise ValidationError("There is already a unit with this name")
        return name

    def clean(self):
        data = super().clean()
        group, new = data.get("business_group"), (data.get("new_business_group") or "").strip()
        if "business_group" in self.errors or "new_business_group" in self.errors:
            return data
        if group and new:
            self.add_error("new_business_group",
                           "Choose a business group from the list or enter a new one, not both")
        elif not group and not new:
            self.add_error("business_group", "Choose the unit's business group, or enter a new one")
        elif new and BusinessGroup.objects.filter(name__iexact=new).exists():
            self.add_error("new_business_group",
                           f"{new} is already a business group: choose it from the list")
        data["new_business_group"] = new
        return data


@transaction.atomic
def save_unit(*, unit: Unit | None, name: str, business_group: BusinessGroup | None,
              new_business_group: str, commander: Post | None, is_active: bool,
              was: str | None = None, by) -> Unit:
    """Add or change a unit (and a new business group with it), recorded with who and why."""
    if unit is None:
        current = Unit()
    else:
        current = Unit.objects.select_for_update().get(pk=unit.pk)
        if was is not None and unit_digest(current) != was:
            raise StaleVersion(current)
        keep_baseline(current)
    try:
        with transaction.atomic():
            if new_business_group:
                business_group = BusinessGroup(name=new_business_group)
                business_group._history_user, business_group._change_reason = by, "Added"
                business_group.save()
            current.name, current.business_group = name, business_group
            current.commander, current.is_active = commander, is_active
            current._history_user = by
            current._change_reason = "Added" if unit is None else "Changed"
            current.save()
    except IntegrityError:
        raise ValidationError("There is already a unit or business group with this name") from None
    return current


@require_http_methods(["GET"])
def unit_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    units = Unit.objects.select_related("business_group", "commander")
    return render(request, "maturity/manage/unit_list.html", {"units": units})


def _unit_form(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = UnitForm(request.POST, unit=unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_unit(
                    unit=unit, name=data["name"], business_group=data["business_group"],
                    new_business_group=data["new_business_group"], commander=data["commander"],
                    is_active=data["is_active"], was=data["was"] or None, by=request.user,
                )
            except StaleVersion as stale:
                unit = stale.current
                posted = request.POST.copy()
                posted["was"] = unit_digest(unit)
                form = UnitForm(posted, unit=unit)
                form.is_valid()
                form.add_error(None, STALE)
                status = 409
            except ValidationError as refused:
                form.add_error(None, refused)
                status = 400
            else:
                messages.success(request, f"{saved.name} saved.")
                return redirect("manage:units")
        else:
            status = 400
    elif unit is not None:
        form = UnitForm(initial={
            "name": unit.name, "business_group": unit.business_group_id,
            "commander": unit.commander_id, "is_active": "yes" if unit.is_active else "no",
            "was": unit_digest(unit),
        }, unit=unit)
    else:
        form = UnitForm(initial={"is_active": "yes"})
    return render(request, "maturity/manage/unit_form.html",
                  {"form": form, "unit": unit, "conflict": status == 409,
                   "history": recent_changes(unit)}, status=status)


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _unit_form(request, None)


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _unit_form(
        request, get_object_or_404(Unit.objects.select_related("business_group", "commander"), pk=pk)
    )


urlpatterns = [
    path("units/", unit_list, name="units"),
    path("units/new/", unit_create, name="unit-new"),
    path("units/<int:pk>/", unit_edit, name="unit-edit"),
]
