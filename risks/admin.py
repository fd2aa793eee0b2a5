from django.contrib import admin

from .history_admin import ReadOnlyHistoryAdmin
from .models import Assessment, Pillar, Post, Register, ReportingPeriod, Risk, RiskLead


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    search_fields = ["name", "holders__username", "holders__last_name"]
    filter_horizontal = ["holders"]
    list_display = ["name"]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "start", "end", "deadline", "state", "closed_at"]
    list_filter = ["state"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["state", "closed_at", "closed_by", "closed_incomplete"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False
        return super().has_delete_permission(request, obj)


class RiskLeadInline(admin.TabularInline):
    model = RiskLead
    extra = 1
    autocomplete_fields = ["post"]


@admin.register(Risk)
class RiskAdmin(ReadOnlyHistoryAdmin):
    list_display = ["ref", "title", "register", "horizon", "owner", "target_position", "is_active"]
    list_display_links = ["ref", "title"]
    list_filter = ["register", "horizon", "is_active", "pillars"]
    search_fields = ["title", "description", "owner__name"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["pillars"]
    inlines = [RiskLeadInline]
    list_select_related = ["register", "owner"]


class FrozenPeriodAdminMixin:
    """Rows of a closed period are read-only here as everywhere.

    An admin edit of an open period's row bumps its version, so an owner's form opened
    before it gets the conflict page instead of silently overwriting the edit.
    """

    def save_model(self, request, obj, form, change):
        if change and hasattr(obj, "version"):
            obj.version += 1
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Assessment)
class AssessmentAdmin(FrozenPeriodAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["risk", "period", "position", "trend", "progress", "state", "updated_at"]
    list_filter = ["period", "state", "progress", "trend", "risk__register"]
    search_fields = ["risk__title", "commentary", "reasons"]
    list_select_related = ["risk", "period"]
    readonly_fields = ["version", "updated_at", "updated_by", "submitted_at", "submitted_by",
                       "reviewed_at", "reviewed_by"]
    raw_id_fields = ["risk"]
