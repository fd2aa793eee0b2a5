from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q

from .history_admin import ReadOnlyHistoryAdmin
from .models import Assessment, Board, Pillar, Post, Register, ReportingPeriod, Risk, RiskLead
from .scoring import bands
from .services import record_definitions, reinstate_risk, retire_risk, start_assessment


def _record_in_open_period(risks) -> None:
    """Edits apply to the open quarter onward: its record of the risks follows them."""
    period = ReportingPeriod.objects.open().first()
    if period is not None:
        record_definitions(period=period, risks=risks)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    search_fields = ["name", "holders__username", "holders__last_name"]
    filter_horizontal = ["holders"]
    list_display = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            _record_in_open_period(
                Risk.objects.filter(Q(owner=obj) | Q(leads=obj)).values("pk")
            )


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class BoardForm(forms.ModelForm):
    """The bands as boxes to tick (settings.RISK_BANDS), not JSON to type."""

    bands = forms.MultipleChoiceField(
        label="Score bands", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text="Risks whose current score is in any of these bands are significant.",
    )

    class Meta:
        model = Board
        fields = ["name", "slug", "description", "is_example", "registers", "own_register",
                  "secretariat", "min_score", "bands", "tolerance_breached"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bands"].choices = [(b.key, f"{b.label} ({b.low}–{b.high})") for b in bands()]


@admin.register(Board)
class BoardAdmin(ReadOnlyHistoryAdmin):
    """The team sets up boards here: the registers each oversees, its own register, its
    secretariat and its rules. Summaries are composed at /boards/."""

    form = BoardForm
    list_display = ["name", "slug", "own_register", "min_score", "tolerance_breached", "is_example"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["registers", "secretariat"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_example"]}),
        ("What it oversees", {"fields": ["registers", "own_register", "secretariat"]}),
        ("Significant risks", {"fields": ["min_score", "bands", "tolerance_breached"]}),
    ]


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

    def has_add_permission(self, request):
        # Opening a period carries every risk forward: the Periods page does it, not a row.
        return False

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
    # Retiring and reinstating are recorded against the quarter: the actions below do them.
    readonly_fields = ["is_active"]
    actions = ["retire", "reinstate"]

    def save_related(self, request, form, formsets, change):
        # The leads and pillars are saved here, after the risk: the open quarter's record of
        # the risk follows once all of it is saved. A new risk is on the open quarter's
        # register at once ("new this quarter"), with a draft for its owner.
        super().save_related(request, form, formsets, change)
        risk = form.instance
        period = ReportingPeriod.objects.open().first()
        if period is not None and risk.is_active:
            start_assessment(risk=risk, period=period, by=request.user)
        _record_in_open_period([risk.pk])

    @admin.action(description="Retire the selected risks from the open quarter onward")
    def retire(self, request, queryset):
        self._change_status(request, queryset, retire_risk, "retired")

    @admin.action(description="Reinstate the selected risks in the open quarter")
    def reinstate(self, request, queryset):
        self._change_status(request, queryset, reinstate_risk, "reinstated")

    def _change_status(self, request, queryset, service, done: str) -> None:
        for risk in queryset:
            try:
                service(risk=risk, by=request.user)
            except ValidationError as refused:
                self.message_user(request, f"Risk {risk.ref}: {refused.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, f"Risk {risk.ref} {risk.title} {done}.")


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
class AssessmentAdmin(ReadOnlyHistoryAdmin):
    """Read only: an update changes through its owner's pages and the team's review, whose
    services keep the workflow's rules (nobody approves their own work, a returned update
    says why). The admin may look, never write."""

    list_display = ["risk", "period", "position", "trend", "progress", "state", "updated_at"]
    list_filter = ["period", "state", "progress", "trend", "risk__register"]
    search_fields = ["risk__title", "commentary", "reasons"]
    list_select_related = ["risk", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
