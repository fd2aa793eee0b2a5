"""/manage/appetite/...: the Planning & Risk Team keeps the organisation's appetite criteria,
levels and themes; everyone else gets 403. The writes are risks.appetite's."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..access import require_planner
from ..appetite import level_digest, save_level, save_theme, theme_digest
from ..appetite_forms import AppetiteLevelForm, AppetiteThemeForm
from ..models import AppetiteLevel, AppetiteTheme
from .manage import _edit


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


urlpatterns = [
    path("appetite/", appetite_list, name="appetite"),
    path("appetite/levels/new/", level_create, name="appetite-level-new"),
    path("appetite/levels/<int:pk>/", level_edit, name="appetite-level-edit"),
    path("appetite/themes/new/", theme_create, name="appetite-theme-new"),
    path("appetite/themes/<int:pk>/", theme_edit, name="appetite-theme-edit"),
]
