"""What each kind of result searches, and how: PostgreSQL's full-text search over an
expression GIN index (migration 0001), or on SQLite every word as a case-insensitive match."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

CONFIG = "english"

# kind → (app label, model, the fields searched together, the index's name). The migration
# builds its indexes from the same expression (vector()), so that the planner can use them.
FIELDS = {
    "risk": ("risks", "Risk", ("title", "description"), "search_risk_fts"),
    "control": ("controls", "Control", ("title", "description"), "search_control_fts"),
    "assessment": ("risks", "Assessment", ("commentary", "reasons"), "search_assessment_fts"),
    "note": ("controls", "ControlUpdate", ("note",), "search_controlupdate_fts"),
    "action": ("maturity", "PlanAction", ("text",), "search_planaction_fts"),
}


def vector(fields) -> SearchVector:
    return SearchVector(*fields, config=CONFIG)


def full_text() -> bool:
    return connection.vendor == "postgresql"


def matching(rows: QuerySet, kind: str, query: str) -> QuerySet:
    """The rows whose fields match `query`, the best first on PostgreSQL."""
    fields = FIELDS[kind][2]
    if full_text():
        search = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            rows.annotate(search_vector=vector(fields))
            .filter(search_vector=search)
            .annotate(search_rank=SearchRank(vector(fields), search))
            .order_by("-search_rank", "pk")
        )
    condition = Q()
    for word in query.split()[:10]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return rows.filter(condition)
