from django.contrib import admin
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

from risks.admin import FrozenPeriodAdminMixin
from risks.history_admin import ReadOnlyHistoryAdmin

from .models import Control, ControlUpdate


class FrozenRowsFormSet(BaseInlineFormSet):
    """A closed period's rows keep their "delete" box, disabled: a ticked one is ignored.

    Deleting one would raise PeriodClosed (a server error) from the model, which refuses it.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        update = form.instance
        if update.pk and not update.period.is_open and DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].disabled = True


class ControlUpdateInline(admin.TabularInline):
    model = ControlUpdate
    formset = FrozenRowsFormSet
    extra = 0
    fields = ["period", "status", "note"]

    def has_change_permission(self, request, obj=None):
        # Inline rows may belong to closed periods; edit them from the update's own page.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("period")


@admin.register(Control)
class ControlAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "risk", "owner", "category", "is_key", "milestone", "added_in"]
    list_filter = ["is_key", "category", "risk__register", "added_in"]
    search_fields = ["title", "description", "risk__title"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["risk"]
    inlines = [ControlUpdateInline]
    list_select_related = ["risk", "owner", "added_in"]


@admin.register(ControlUpdate)
class ControlUpdateAdmin(FrozenPeriodAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["control", "period", "status", "updated_at"]
    list_filter = ["period", "status"]
    search_fields = ["control__title", "note"]
    raw_id_fields = ["control"]
    list_select_related = ["control", "period"]
