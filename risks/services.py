"""Writes that span several models, each under one transaction."""

import datetime

from django.db import transaction

from .models import Assessment, ReportingPeriod, Risk


@transaction.atomic
def open_period(
    *, name: str, slug: str, start: datetime.date, end: datetime.date,
    deadline: datetime.date, by=None,
) -> ReportingPeriod:
    """Open a quarter: every active risk is carried forward as a draft of its last approved update."""
    period = ReportingPeriod.objects.create(
        name=name, slug=slug, start=start, end=end, deadline=deadline
    )
    last_approved: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(state=Assessment.State.APPROVED, period__start__lt=start)
        .order_by("risk_id", "-period__start")
    ):
        last_approved.setdefault(a.risk_id, a)
    drafts = []
    for risk in Risk.objects.active():
        prev = last_approved.get(risk.pk)
        drafts.append(
            Assessment(
                risk=risk,
                period=period,
                likelihood=prev.likelihood if prev else None,
                impact=prev.impact if prev else None,
                trend=prev.trend if prev else "",
                progress=prev.progress if prev else "",
                commentary=prev.commentary if prev else "",
                reasons=prev.reasons if prev else "",
                updated_by=by,
            )
        )
    Assessment.objects.bulk_create(drafts)
    return period
