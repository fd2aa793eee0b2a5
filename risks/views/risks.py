"""A risk's page (its quarters and its history) and the signed-in person's own risks."""

from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import timeline
from ..access import can_edit_risk, get_risk_for_user
from ..models import Assessment, ReportingPeriod, Risk, RiskLead, lead_names, lead_names_subquery


@dataclass
class Quarters:
    assessments: list[Assessment]  # newest first, each with its period
    open_period: ReportingPeriod | None
    lead_names: list[str]


def _quarters(risk: Risk, *, approved_only: bool) -> Quarters:
    """The risk's updates, each with its period, the open period, and the risk's working
    leads, in one query: the periods that are open or hold an update of the risk, with that
    update's columns beside them and the leads (an uncorrelated subquery) on every row."""
    names = [f.attname for f in Assessment._meta.concrete_fields]
    rows = list(
        ReportingPeriod.objects.annotate(
            mine=FilteredRelation("assessments", condition=Q(assessments__risk=risk))
        )
        .filter(Q(state=ReportingPeriod.State.OPEN) | Q(mine__isnull=False))
        .annotate(
            **{f"mine_{name}": F(f"mine__{name}") for name in names},
            risk_leads=lead_names_subquery(risk),
        )
        .order_by("-start")
    )
    # Never assessed and no period open (no rows): the leads on their own.
    leads = lead_names(rows[0].risk_leads) if rows else [
        link.post.name for link in RiskLead.objects.filter(risk=risk).select_related("post")
    ]
    quarters = Quarters(assessments=[], open_period=None, lead_names=leads)
    for period in rows:
        if period.is_open:
            quarters.open_period = period
        values = [getattr(period, f"mine_{name}") for name in names]
        if values[0] is None:  # the open period, with no update of this risk yet
            continue
        a = Assessment.from_db(Assessment.objects.db, names, values)
        if approved_only and a.state != Assessment.State.APPROVED:
            continue
        a.period = period
        quarters.assessments.append(a)
    return quarters


def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request, pk)
    editor = can_edit_risk(request.user, risk)
    # Readers (the Audit Panel, other owners) see what was approved, not work in progress.
    quarters = _quarters(risk, approved_only=not editor)
    # The history holds drafts and the team's return comments: it is the editors' alone.
    entries = timeline.for_risk(risk) if editor else []
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "lead_names": quarters.lead_names,
            "assessments": quarters.assessments,
            "latest_approved": next(
                (a for a in quarters.assessments if a.state == Assessment.State.APPROVED), None
            ),
            "open_period": quarters.open_period,
            "can_update": quarters.open_period is not None and editor,
            "timeline": entries,
            "shows_history": editor,
        },
    )


def my_risks(request: HttpRequest) -> HttpResponse:
    period = ReportingPeriod.objects.open().first()
    mine = Risk.objects.owned_or_led_by(request.user).active()
    assessments: list[Assessment] = []
    not_started: list[Risk] = []
    if period is not None:
        assessments = list(
            Assessment.objects.filter(period=period, risk__in=mine.values("pk"))
            .select_related("risk__register", "risk__owner", "updated_by")
            .order_by("risk__register__name", "risk__ref")
        )
        not_started = list(
            mine.exclude(assessments__period=period)
            .select_related("register")
            .order_by("register__name", "ref")
        )
    post_ids = set(request.user.posts.values_list("pk", flat=True))
    for a in assessments:
        a.role = "Owner" if a.risk.owner_id in post_ids else "Working lead"
    waiting = sum(a.state in Assessment.EDITABLE_STATES for a in assessments) + len(not_started)
    return render(
        request,
        "risks/my_risks.html",
        {
            "period": period,
            "assessments": assessments,
            "not_started": not_started,
            "waiting": waiting,
            "overdue": period is not None and timezone.localdate() > period.deadline,
        },
    )
