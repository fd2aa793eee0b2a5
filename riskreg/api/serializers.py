"""What the API returns. Each row carries ids and slugs of what it belongs to (not nested
objects), so that a list costs a fixed number of queries (see views.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from controls.models import Control, ControlUpdate
from maturity.models import PlanAction, PlanItem
from risks.models import Assessment, Register, ReportingPeriod, Risk, lead_names


class RegisterSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Register
        fields = ["slug", "name", "description", "parent"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["slug", "name", "start", "end", "deadline", "state", "closed_at",
                  "closed_incomplete"]


class RiskSerializer(serializers.ModelSerializer):
    register = serializers.CharField(source="register.slug", read_only=True)
    owner = serializers.CharField(source="owner.name", read_only=True)
    leads = serializers.SerializerMethodField()
    pillars = serializers.SerializerMethodField()
    target_score = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Risk
        fields = ["id", "register", "ref", "title", "description", "description_agreed",
                  "horizon", "owner", "leads", "target_likelihood", "target_impact",
                  "target_score", "appetite", "pillars", "is_active"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_leads(self, risk) -> list[str]:
        return lead_names(getattr(risk, "leads_packed", None))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_pillars(self, risk) -> list[str]:
        return [p.name for p in risk.pillars.all()]


class AssessmentSerializer(serializers.ModelSerializer):
    """A risk's update of one quarter, with the risk as that quarter records it."""

    period = serializers.CharField(source="period.slug", read_only=True)
    risk = serializers.IntegerField(source="risk_id", read_only=True)
    register = serializers.CharField(source="risk.register.slug", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True)
    band = serializers.SerializerMethodField()
    rag = serializers.CharField(read_only=True)
    commentary_carried = serializers.BooleanField(read_only=True)
    review_comment = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id", "risk", "register", "period", "ref", "title", "owner_name", "lead_names",
            "likelihood", "impact", "score", "band", "trend", "progress", "rag", "commentary",
            "commentary_carried", "reasons", "score_change_source", "not_rated",
            "not_rated_reason", "target_likelihood", "target_impact", "retired", "state",
            "version", "updated_at", "submitted_at", "reviewed_at", "review_comment",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_band(self, a) -> str | None:
        return a.band.label if a.band else None

    @extend_schema_field(serializers.CharField())
    def get_review_comment(self, a) -> str:
        """The team's comment on a returned update is for the risk's owner and leads (and the
        team), as the risk's history is."""
        editable = self.context.get("editable_risk_ids")
        if editable is None or a.risk_id in editable:
            return a.review_comment
        return ""


class ControlSerializer(serializers.ModelSerializer):
    risk = serializers.IntegerField(source="risk_id", read_only=True)
    owner = serializers.CharField(source="owner.name", read_only=True, allow_null=True,
                                  default=None)
    added_in = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Control
        fields = ["id", "risk", "title", "description", "owner", "category", "is_key",
                  "milestone", "milestone_date", "added_in", "is_active"]


class ControlUpdateSerializer(serializers.ModelSerializer):
    control = serializers.IntegerField(source="control_id", read_only=True)
    risk = serializers.IntegerField(source="risk_id", read_only=True, allow_null=True)
    period = serializers.CharField(source="period.slug", read_only=True)
    note = serializers.SerializerMethodField()

    class Meta:
        model = ControlUpdate
        fields = ["id", "control", "risk", "period", "title", "owner_name", "is_key", "status",
                  "note", "confirmed_unchanged", "version", "updated_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_note(self, update) -> str | None:
        """null where the caller may not read it: notes are OFFICIAL-SENSITIVE (Appendix B)."""
        allowed = self.context.get("note_risk_ids")
        if allowed is None or update.risk_id in allowed:
            return update.note
        return None


class PlanActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanAction
        fields = ["id", "order", "text", "milestone", "milestone_date", "status"]


class PlanItemSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.title", read_only=True)
    sources = serializers.SerializerMethodField()
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanItem
        fields = ["id", "theme", "ref", "sources", "issue", "owners", "success_measure",
                  "update", "actions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sources(self, item) -> list[str]:
        return [s.name for s in item.sources.all()]
