from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPlan, PlanAction, PlanItem, Source, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "as_of", "date"]
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 1
    fields = ["order", "text", "milestone", "milestone_date", "status"]


@admin.register(PlanItem)
class PlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "theme", "owners"]
    list_filter = ["theme", "sources"]
    search_fields = ["issue", "owners", "success_measure", "update"]
    filter_horizontal = ["sources", "owner_posts"]
    inlines = [PlanActionInline]


@admin.register(PlanAction)
class PlanActionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "item", "milestone", "milestone_date", "status"]
    list_filter = ["status", "item__theme"]
    search_fields = ["text", "milestone"]
