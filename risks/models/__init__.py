"""The models of the risks app, one module per idea; everything is importable from here."""

from .appetite import HIGHEST_SCORE, AppetiteLevel, AppetiteTheme, RegisterAppetite
from .assessment import AnswerChange, Assessment, AssessmentPillar, attach_previous, link_pillars
from .assessment_queries import AssessmentQuerySet
from .boards import Board, BoardQuerySet
from .choices import RAG_FOR_PROGRESS, TREND_ARROWS, Progress, Rag, ScoreChangeSource, Trend
from .delegation import Delegation, delegated_to
from .escalation import Escalation, EscalationQuerySet
from .frozen import FrozenPeriodModel, FrozenPeriodQuerySet, both_or_neither, scale_check
from .indicators import Direction, Indicator, IndicatorValue
from .levels import LevelDescription
from .opportunities import (
    OPPORTUNITY_TREND_ARROWS,
    ActionStatus,
    Benefit,
    Opportunity,
    OpportunityAction,
    OpportunityActionUpdate,
    OpportunityAssessment,
    OpportunityLead,
    opportunity_position,
    opportunity_words,
)
from .periods import PeriodClosed, PeriodQuerySet, ReportingPeriod
from .registers import Pillar, Post, Register, RegisterQuerySet, branch_ids, headed_branches
from .risk import (
    Horizon,
    Risk,
    RiskLead,
    RiskQuerySet,
    lead_names,
    lead_names_subquery,
    pillar_names,
    pillar_names_subquery,
    risks_with_definitions,
    short_term_first,
)
from .roles import AUDIT_PANEL, PLANNING_TEAM, is_panel, is_planner, reads_everything, sees_drafts
from .sharing import RiskShare, SharedCommentary
from .versions import DataVersion

__all__ = [
    "AUDIT_PANEL", "PLANNING_TEAM", "RAG_FOR_PROGRESS", "TREND_ARROWS",
    "HIGHEST_SCORE", "AnswerChange", "AppetiteLevel", "AppetiteTheme", "Assessment", "AssessmentPillar", "AssessmentQuerySet", "Board", "BoardQuerySet", "DataVersion", "Delegation", "Escalation", "EscalationQuerySet", "FrozenPeriodModel", "RiskShare", "SharedCommentary", "branch_ids", "headed_branches",
    "FrozenPeriodQuerySet", "Direction", "Horizon", "Indicator", "IndicatorValue", "LevelDescription", "PeriodClosed", "PeriodQuerySet", "Pillar", "Post",
    "Progress", "Rag", "Register", "RegisterAppetite", "RegisterQuerySet", "ReportingPeriod", "Risk", "RiskLead",
    "RiskQuerySet", "ScoreChangeSource", "Trend",
    "attach_previous", "both_or_neither", "delegated_to", "is_panel", "is_planner", "lead_names",
    "lead_names_subquery", "link_pillars", "pillar_names", "pillar_names_subquery", "reads_everything", "risks_with_definitions",
    "scale_check", "sees_drafts", "short_term_first",
    "OPPORTUNITY_TREND_ARROWS", "ActionStatus", "Benefit", "Opportunity", "OpportunityAction",
    "OpportunityActionUpdate", "OpportunityAssessment", "OpportunityLead", "opportunity_position",
    "opportunity_words",
]
