from django.contrib import messages
from django.db.models import Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from risks.models import is_planner
from risks.text import blocks

from . import plan as plan_data
from .access import (
    can_assess_unit,
    can_update_item,
    get_action_for_user,
    get_item_for_user,
    get_plan_for_user,
    get_unit_for_user,
    item_ids_user_may_update,
    units_user_may_assess,
)
from .forms import (
    ActionStatusForm,
    PlanActionForm,
    PlanItemForm,
    PlanItemUpdateForm,
    PlanItemUpdateTextForm,
    SelfAssessmentForm,
    ThemeForm,
)
from .history import item_changes, plan_changes
from .models import (
    FIRST_YEAR,
    TARGET_LEVEL,
    Dimension,
    DimensionScore,
    Level,
    PlanAction,
    PlanItem,
    PlanItemUpdate,
    SelfAssessment,
    current_assessment_year,
    year_label,
)
from .selfassessment import benchmark_summary, results_for, years_with_results
from .services import record_self_assessment, save_item


def _page(request: HttpRequest, template: str, partial: str) -> str:
    """The whole page, or only its named partial when htmx asks for it.

    A history restore (back button, with htmx's cache off) needs the whole page.
    """
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


# The action plan ------------------------------------------------------------------------------


def plan_detail(request: HttpRequest) -> HttpResponse:
    try:
        plan = get_plan_for_user(request)
    except Http404:
        # The nav links here: say so, rather than a bare 404.
        return render(request, "maturity/plan_missing.html", {"benchmark": benchmark_summary()})
    today = plan_data.overdue_day()
    show = request.GET.get("show", "all")
    if show not in plan_data.FILTERS:
        show = "all"
    rows = plan_data.appendix_c(plan, today=today)
    may_update = item_ids_user_may_update(request.user, plan)
    for theme in rows:
        for item in theme.items:
            item.can_update = item.item.pk in may_update
    return render(
        request,
        _page(request, "maturity/plan_detail.html", "plan-items"),
        {
            "plan": plan,
            "rows": plan_data.filtered(rows, show),
            "action_counts": plan_data.action_counts(rows),
            "show": show,
            "filters": plan_data.FILTERS,
            "benchmark": benchmark_summary(),
            "can_edit_plan": is_planner(request.user),
            "overdue_day": today,
        },
    )


def appendix_c(request: HttpRequest) -> HttpResponse:
    plan = get_plan_for_user(request)
    return render(
        request,
        "maturity/appendix_c.html",
        {
            "plan": plan,
            "themes": plan_data.appendix_c(plan, today=plan_data.overdue_day()),
            # As the report prints it by default; with each action's status on request.
            "show_status": request.GET.get("status") == "on",
        },
    )


def changes(request: HttpRequest) -> HttpResponse:
    plan = get_plan_for_user(request)
    return render(request, "maturity/changes.html", {"plan": plan, "changes": plan_changes(plan)})


def theme_create(request: HttpRequest) -> HttpResponse:
    plan = get_plan_for_user(request, edit=True)
    if request.method == "POST":
        form = ThemeForm(request.POST, plan=plan)
        if form.is_valid():
            theme = form.save(commit=False)
            theme.plan = plan
            theme.save()
            messages.success(request, f"Theme “{theme.title}” added. Now add its items.")
            return redirect("maturity:plan")
    else:
        next_order = (plan.themes.aggregate(m=Max("order"))["m"] or 0) + 1
        form = ThemeForm(plan=plan, initial={"order": next_order})
    return render(request, "maturity/theme_form.html", {"plan": plan, "form": form})


def item_create(request: HttpRequest) -> HttpResponse:
    plan = get_plan_for_user(request, edit=True)
    if request.method == "POST":
        form = PlanItemForm(request.POST, plan=plan)
        if form.is_valid():
            item = save_item(form=form, by=request.user)
            messages.success(request, f"Item {item.ref} added. Now add its actions.")
            return redirect(item)
    else:
        next_ref = (PlanItem.objects.filter(theme__plan=plan).aggregate(m=Max("ref"))["m"] or 0) + 1
        initial = {"ref": next_ref}
        theme = request.GET.get("theme", "")
        # ASCII digits that fit a primary key: '²' or 5,000 nines would fail int() in the ORM.
        if theme.isascii() and theme.isdecimal() and len(theme) <= 18 and (
            plan.themes.filter(pk=int(theme)).exists()
        ):
            initial["theme"] = int(theme)
        form = PlanItemForm(plan=plan, initial=initial)
    return render(request, "maturity/planitem_form.html", {"plan": plan, "form": form})


def _action_rows(item: PlanItem, today) -> list[plan_data.ActionRow]:
    return [plan_data.ActionRow(a, a.is_overdue(today)) for a in item.actions.all()]


def _render_item(
    request: HttpRequest, item: PlanItem, *, log_form=None, status_error=None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    if log_form is None:
        log_form = PlanItemUpdateForm(today=today, initial={"date": today})
    judged_on = plan_data.overdue_day()
    error_form = log_form if log_form.errors else (status_error[1] if status_error else None)
    return render(
        request,
        "maturity/planitem_detail.html",
        {
            "item": item,
            "plan": item.theme.plan,
            "sources": item.sources.all(),
            "owner_posts": item.owner_posts.all(),
            "action_rows": _action_rows(item, judged_on),
            "overdue_day": judged_on,
            "update_blocks": blocks(item.update),
            "log": item.log_entries.select_related("author"),
            "log_form": log_form,
            "form": error_form,  # for the error summary
            "status_error": status_error,
            "can_update": can_update_item(request.user, item),
            "can_edit": is_planner(request.user),
            "changes": item_changes(item),
        },
        status=status,
    )


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_item(request, get_item_for_user(request, pk))


def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The team edits the whole item; its owners edit only its update text."""
    item = get_item_for_user(request, pk, update=True)
    full = is_planner(request.user)
    plan = item.theme.plan
    if request.method == "POST":
        form = (PlanItemForm(request.POST, instance=item, plan=plan) if full
                else PlanItemUpdateTextForm(request.POST, instance=item))
        if form.is_valid():
            if full:
                save_item(form=form, by=request.user)
            else:
                form.save()
            messages.success(request, f"Item {item.ref} updated.")
            return redirect(item)
    else:
        form = PlanItemForm(instance=item, plan=plan) if full else PlanItemUpdateTextForm(instance=item)
    return render(
        request, "maturity/planitem_form.html", {"plan": plan, "item": item, "form": form}
    )


@require_POST
def item_log_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk, update=True)
    form = PlanItemUpdateForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _render_item(request, item, log_form=form, status=400)
    entry: PlanItemUpdate = form.save(commit=False)
    entry.item = item
    entry.author = request.user
    entry.save()
    messages.success(request, f"Update of {date_format(entry.date)} added to item {item.ref}.")
    return redirect(f"{item.get_absolute_url()}#log")


def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk, edit=True)
    if request.method == "POST":
        form = PlanActionForm(request.POST, instance=PlanAction(item=item))
        if form.is_valid():
            action = form.save(commit=False)
            if form.cleaned_data.get("order") is None:
                action.order = (item.actions.aggregate(m=Max("order"))["m"] or 0) + 1
            action.updated_by = request.user
            action.save()
            messages.success(request, f"Action added to item {item.ref}.")
            return redirect(f"{item.get_absolute_url()}#action-{action.pk}")
    else:
        form = PlanActionForm()
    return render(request, "maturity/planaction_form.html", {"item": item, "form": form})


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, edit=True)
    item = action.item
    if request.method == "POST":
        old_order = action.order
        form = PlanActionForm(request.POST, instance=action)
        if form.is_valid():
            action = form.save(commit=False)
            if form.cleaned_data.get("order") is None:
                action.order = old_order
            action.updated_by = request.user
            action.save()
            messages.success(request, f"Action of item {item.ref} updated.")
            return redirect(f"{item.get_absolute_url()}#action-{action.pk}")
    else:
        form = PlanActionForm(instance=action)
    return render(
        request, "maturity/planaction_form.html", {"item": item, "action": action, "form": form}
    )


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, update=True)
    item = action.item
    form = ActionStatusForm(request.POST, instance=action, prefix=f"action-{action.pk}")
    if form.is_valid():
        if form.has_changed():
            action = form.save(commit=False)
            action.updated_by = request.user
            action.save()
        saved = f"Action marked “{action.get_status_display().lower()}” on item {item.ref}."
        if request.htmx:
            # The row, and the success banner above the table (swapped in out of band).
            return render(request, "maturity/planitem_detail.html#action-row", {
                "row": plan_data.ActionRow(action, action.is_overdue(plan_data.overdue_day())),
                "can_update": True, "can_edit": is_planner(request.user), "saved": saved,
            })
        messages.success(request, saved)
        return redirect(f"{item.get_absolute_url()}#action-{action.pk}")
    action.refresh_from_db()
    if request.htmx:
        return render(request, "maturity/planitem_detail.html#action-row", {
            "row": plan_data.ActionRow(action, action.is_overdue(plan_data.overdue_day())),
            "can_update": True, "can_edit": is_planner(request.user),
            "status_error": (action.pk, form),
        })
    return _render_item(request, item, status_error=(action.pk, form), status=400)


# Self-assessments -----------------------------------------------------------------------------


def _year_from_query(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return default
    # isdigit() would let '²' through to int(), which refuses it: only ASCII digits, and few
    # enough of them that int() never meets a number too long to convert.
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= 4) or not (
        FIRST_YEAR <= int(raw) <= current_assessment_year()
    ):
        raise Http404("There are no self-assessments for that year.")
    return int(raw)


def selfassessment_results(request: HttpRequest) -> HttpResponse:
    current = current_assessment_year()
    years = years_with_results()
    year = _year_from_query(request, years[0] if years else current)
    results = results_for(year)
    mine = list(
        units_user_may_assess(request.user)
        .select_related("business_group")
        .prefetch_related(
            Prefetch("self_assessments", queryset=SelfAssessment.objects.filter(year=current),
                     to_attr="this_year")
        )
    ) if not is_planner(request.user) else []
    return render(
        request,
        _page(request, "maturity/selfassessment_results.html", "results"),
        {
            "results": results,
            "years": [(y, year_label(y)) for y in sorted(set(years) | {current}, reverse=True)],
            "current_year": current,
            "current_year_label": year_label(current),
            "my_units": mine,
            "can_assess_any": is_planner(request.user),
            "target": TARGET_LEVEL,
            "target_label": Level(TARGET_LEVEL).label,
            "summary": benchmark_summary(year) if results.has_results else None,
        },
    )


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, pk)
    assessments = (
        unit.self_assessments.select_related("completed_by")
        .prefetch_related(Prefetch("scores", queryset=DimensionScore.objects.select_related("dimension")))
        .order_by("-year")
    )
    current = current_assessment_year()
    return render(
        request,
        "maturity/unit_detail.html",
        {
            "unit": unit,
            "assessments": assessments,
            "can_assess": can_assess_unit(request.user, unit),
            "current_year": current,
            "current_year_label": year_label(current),
            "done_this_year": any(a.year == current for a in assessments),
            "target": TARGET_LEVEL,
        },
    )


def selfassessment_form(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_user(request, pk, assess=True)
    current = current_assessment_year()
    if not FIRST_YEAR <= year <= current:
        raise Http404("Self-assessments open one financial year at a time.")
    if year != current and not is_planner(request.user):
        # A past year is closed to commanders: say so, and where this year's is.
        return render(
            request, "maturity/selfassessment_closed.html",
            {"unit": unit, "year_label": year_label(year), "current": current,
             "current_label": year_label(current)},
            status=403,
        )
    existing = (
        SelfAssessment.objects.filter(unit=unit, year=year).prefetch_related("scores").first()
    )
    dimensions = list(Dimension.objects.filter(is_active=True).order_by("order", "name"))
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, dimensions=dimensions)
        if form.is_valid():
            record_self_assessment(
                unit=unit, year=year, levels=form.levels(),
                comments=form.cleaned_data["comments"], by=request.user,
            )
            messages.success(
                request, f"{unit.name}'s self-assessment for {year_label(year)} is saved."
            )
            return redirect(unit)
    else:
        initial = {}
        if existing:
            initial = {f"dimension_{s.dimension_id}": s.level for s in existing.scores.all()}
            initial["comments"] = existing.comments
        form = SelfAssessmentForm(dimensions=dimensions, initial=initial)
    return render(
        request,
        "maturity/selfassessment_form.html",
        {
            "unit": unit,
            "year": year,
            "year_label": year_label(year),
            "form": form,
            "existing": existing,
            "dimension_fields": [form[f"dimension_{d.pk}"] for d in dimensions],
            "target": TARGET_LEVEL,
        },
    )

