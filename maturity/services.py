"""Writes that span several models, each under one transaction.

Each sets `_history_user` so that the history names who made the change even outside a
request (the history middleware covers requests).
"""

from django.db import transaction
from django.utils import timezone

from .models import DimensionScore, PlanItem, SelfAssessment, Unit


@transaction.atomic
def save_item(*, form, by) -> PlanItem:
    """Save a PlanItemForm: the item, then its sources and owner posts."""
    item = form.save(commit=False)
    item._history_user = by
    item.save()
    form.save_m2m()
    return item


@transaction.atomic
def record_self_assessment(
    *, unit: Unit, year: int, levels: dict[int, int], comments: str = "", by
) -> SelfAssessment:
    """Create or revise a unit's answers for a year: one score per dimension asked.

    `levels` maps dimension ids to levels 1-5. Scores of dimensions not in `levels` (retired
    since the unit first answered) are kept as they were.
    """
    # get_or_create re-reads after losing a race to create the same (unit, year) row.
    assessment, _ = SelfAssessment.objects.select_for_update().get_or_create(
        unit=unit, year=year, defaults={"completed_by": by}
    )
    assessment.comments = comments
    assessment.completed_by = by
    assessment.completed_at = timezone.now()
    assessment._history_user = by
    assessment.save()
    existing = {s.dimension_id: s for s in assessment.scores.all()}
    for dimension_id, level in levels.items():
        score = existing.pop(dimension_id, None) or DimensionScore(
            assessment=assessment, dimension_id=dimension_id
        )
        if score.pk and score.level == level:
            continue
        score.level = level
        score._history_user = by
        score.save()
    return assessment
