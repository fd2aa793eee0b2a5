from django.contrib import admin

from risks.history_admin import ReadOnlyHistoryAdmin

from .models import (
    ActionPlan,
    BusinessGroup,
    Dimension,
    DimensionScore,
    PlanAction,
    PlanItem,
    PlanItemUpdate,
    SelfAssessment,
    Source,
    Theme,
    Unit,
)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "as_of", "date"]
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]


@admin.register(Source)
class SourceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 1
    fields = ["order", "text", "milestone", "milestone_date", "status"]


class PlanItemUpdateInline(admin.TabularInline):
    model = PlanItemUpdate
    extra = 0
    fields = ["date", "text", "author"]
    raw_id_fields = ["author"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["ref", "theme", "owners"]
    list_filter = ["theme", "sources"]
    search_fields = ["issue", "owners", "success_measure", "update"]
    filter_horizontal = ["sources", "owner_posts"]
    inlines = [PlanActionInline, PlanItemUpdateInline]


@admin.register(PlanAction)
class PlanActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["text", "item", "milestone", "milestone_date", "status"]
    list_filter = ["status", "item__theme"]
    search_fields = ["text", "milestone"]


@admin.register(PlanItemUpdate)
class PlanItemUpdateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "item", "text", "author"]
    list_filter = ["item__theme"]
    search_fields = ["text"]
    raw_id_fields = ["author"]


@admin.register(BusinessGroup)
class BusinessGroupAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "abbreviation", "order"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "business_group", "commander", "is_active"]
    list_filter = ["business_group", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["commander"]


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


class DimensionScoreInline(admin.TabularInline):
    model = DimensionScore
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["unit", "year", "completed_by", "completed_at"]
    list_filter = ["year", "unit__business_group"]
    inlines = [DimensionScoreInline]
    raw_id_fields = ["completed_by"]
