from django.contrib import admin

from risks.history_admin import ReadOnlyHistoryAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyHistoryAdmin):
    """Reports are composed at /reports/; the admin is for correcting reference fields.

    A published report is read-only here as everywhere: what the panel received stays fixed.
    """

    list_display = ["__str__", "period", "register", "status_label", "published_at"]
    list_filter = ["register", "period"]
    list_select_related = ["period", "register"]
    filter_horizontal = ["noted_risks", "appendix_b_risks", "reprinted_risks"]
    readonly_fields = ["published_at", "published_by", "created_at", "created_by",
                       "updated_at", "updated_by", "version"]
    exclude = ["snapshot"]

    @admin.display(description="status")
    def status_label(self, obj: Report) -> str:
        return obj.status_label

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
