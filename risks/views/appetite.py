"""/manage/appetite/...: the Planning & Risk Team keeps the organisation's appetite criteria,
levels and themes; everyone else gets 403. The writes are risks.appetite's."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..access import require_planner
from ..appetite import (
    level_digest,
    register_appetite_digest,
    save_level,
    save_register_appetite,
    save_theme,
    theme_digest,
)
from ..appetite_forms import AppetiteLevelForm, AppetiteThemeForm, RegisterAppetiteForm
from ..locking import StaleVersion
from ..models import AppetiteLevel, AppetiteTheme, Register, RegisterAppetite
from .manage import STALE, _edit


@require_http_methods(["GET"])
def appetite_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    levels = AppetiteLevel.objects.annotate(theme_count=Count("themes"))
    themes = AppetiteTheme.objects.select_related("level").annotate(risk_count=Count("risks"))
    return render(request, "risks/manage/appetite_list.html", {"levels": levels, "themes": themes})


def _level_form(request: HttpRequest, level: AppetiteLevel | None) -> HttpResponse:
    def save(form, obj, was):
        data = form.cleaned_data
        return save_level(level=obj, name=data["name"], description=data["description"],
                          max_score=data["max_score"], order=data["order"], was=was,
                          by=request.user)

    initial = ({"name": level.name, "description": level.description,
                "max_score": level.max_score, "order": level.order} if level else {})
    return _edit(request, form_class=AppetiteLevelForm, obj=level, digest_of=level_digest,
                 save=save, what="level", template="risks/manage/appetite_level_form.html",
                 done=lambda x: f"Appetite level “{x.name}” saved.", back="manage:appetite",
                 context={"initial": initial})


@require_http_methods(["GET", "POST"])
def level_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _level_form(request, None)


@require_http_methods(["GET", "POST"])
def level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _level_form(request, get_object_or_404(AppetiteLevel, pk=pk))


def _theme_form(request: HttpRequest, theme: AppetiteTheme | None) -> HttpResponse:
    def save(form, obj, was):
        return save_theme(theme=obj, name=form.cleaned_data["name"],
                          level=form.cleaned_data["level"], was=was, by=request.user)

    initial = {"name": theme.name, "level": theme.level_id} if theme else {}
    return _edit(request, form_class=AppetiteThemeForm, obj=theme, digest_of=theme_digest,
                 save=save, what="theme", template="risks/manage/appetite_theme_form.html",
                 done=lambda x: f"Appetite theme “{x.name}” saved.", back="manage:appetite",
                 context={"initial": initial})


@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    return _theme_form(request, None)


@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _theme_form(request, get_object_or_404(AppetiteTheme, pk=pk))


@require_http_methods(["GET", "POST"])
def register_appetite(request: HttpRequest, pk: int) -> HttpResponse:
    """/manage/registers/<pk>/appetite/: a register's thematic appetite, its own level for
    each theme (a business group's register, as the action plan's item 4 asks)."""
    require_planner(request)
    register = get_object_or_404(Register, pk=pk)
    themes = AppetiteTheme.objects.select_related("level")
    rows = RegisterAppetite.objects.filter(register=register)
    status = 200
    if request.method == "POST":
        form = RegisterAppetiteForm(request.POST, themes=themes)
        if form.is_valid():
            try:
                n = save_register_appetite(register=register, levels=form.levels(),
                                           was=form.cleaned_data["was"] or None, by=request.user)
            except StaleVersion:
                data = request.POST.copy()
                data["was"] = register_appetite_digest(register)
                form = RegisterAppetiteForm(data, themes=themes)
                form.is_valid()
                form.add_error(None, STALE.format(what="register's appetite"))
                status = 409
            else:
                messages.success(request, f"{register.name}: thematic appetite saved "
                                 f"({n} theme{'s' if n != 1 else ''} changed).")
                return redirect("manage:register-appetite", pk=register.pk)
        else:
            status = 400
    else:
        initial = {f"theme_{row.theme_id}": row.level_id for row in rows}
        form = RegisterAppetiteForm(
            initial={**initial, "was": register_appetite_digest(register)}, themes=themes)
    return render(request, "risks/manage/register_appetite_form.html",
                  {"form": form, "register": register, "conflict": status == 409,
                   "rows": rows.select_related("theme", "level")}, status=status)


urlpatterns = [
    path("registers/<int:pk>/appetite/", register_appetite, name="register-appetite"),
    path("appetite/", appetite_list, name="appetite"),
    path("appetite/levels/new/", level_create, name="appetite-level-new"),
    path("appetite/levels/<int:pk>/", level_edit, name="appetite-level-edit"),
    path("appetite/themes/new/", theme_create, name="appetite-theme-new"),
    path("appetite/themes/<int:pk>/", theme_edit, name="appetite-theme-edit"),
]
