"""Writes of opportunities (issue 18, item 4): the team keeps them, their owners update them
each quarter, the team reviews them. The workflow is the risks' own (risks.services: the
period's lock, the optimistic _write with its history row, check_version, check_transition,
approve_assessment and return_assessment, which take either kind of update), so that an
opportunity's update is locked, refused and recorded exactly as a risk's is."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .history import keep_baseline
from .locking import StaleVersion
from .manage import digest
from .models import (
    ActionStatus,
    Opportunity,
    OpportunityAction,
    OpportunityActionUpdate,
    OpportunityAssessment,
    OpportunityLead,
    Post,
    Register,
    ReportingPeriod,
)
from .services import (
    IncompleteUpdate,
    _write,
    check_transition,
    check_version,
    current_assessment,
    lock_open_period,
)

OPPORTUNITY_FIELDS = (
    "ref", "title", "description", "owner", "target_likelihood", "target_benefit", "is_active",
)


def with_definitions(opportunities):
    """Opportunities with what OpportunityAssessment.copy_definition reads."""
    return opportunities.select_related("owner").prefetch_related(
        Prefetch("opportunitylead_set", queryset=OpportunityLead.objects.select_related("post"))
    )


def last_approved(opportunity: Opportunity, before: ReportingPeriod) -> OpportunityAssessment | None:
    return (
        OpportunityAssessment.objects.filter(
            opportunity=opportunity, state=OpportunityAssessment.State.APPROVED,
            period__start__lt=before.start,
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


def _carried(opportunity: Opportunity, period: ReportingPeriod, prev) -> OpportunityAssessment:
    draft = OpportunityAssessment(
        opportunity=opportunity, period=period,
        likelihood=prev.likelihood if prev else None,
        benefit=prev.benefit if prev else None,
        trend=prev.trend if prev else "",
        progress=prev.progress if prev else "",
        commentary=prev.commentary if prev else "",
    )
    draft.copy_definition(opportunity)
    return draft


def _action_updates(actions, period: ReportingPeriod, last_status: dict[int, str]):
    rows = []
    for action in actions:
        row = OpportunityActionUpdate(
            action=action, period=period,
            status=last_status.get(action.pk, ActionStatus.NOT_STARTED),
        )
        row.copy_definition(action)
        rows.append(row)
    return rows


def _last_statuses(before: datetime.date, actions=None) -> dict[int, str]:
    rows = OpportunityActionUpdate.objects.filter(period__start__lt=before)
    if actions is not None:
        rows = rows.filter(action__in=actions)
    last: dict[int, str] = {}
    for action_id, status in rows.order_by("action_id", "-period__start").values_list(
        "action_id", "status"
    ):
        last.setdefault(action_id, status)
    return last


def carry_forward_opportunities(*, period: ReportingPeriod, by) -> None:
    """As the quarter opens (risks.services.open_period, in its transaction): every active
    opportunity gets a draft of its last approved update, every active action its last status."""
    last: dict[int, OpportunityAssessment] = {}
    for a in OpportunityAssessment.objects.filter(
        state=OpportunityAssessment.State.APPROVED, period__start__lt=period.start
    ).order_by("opportunity_id", "-period__start"):
        last.setdefault(a.opportunity_id, a)
    opportunities = list(with_definitions(Opportunity.objects.active()))
    bulk_create_with_history(
        [_carried(o, period, last.get(o.pk)) for o in opportunities], OpportunityAssessment,
        default_user=by, default_change_reason="Carried forward",
    )
    actions = OpportunityAction.objects.filter(
        is_active=True, opportunity__is_active=True
    ).select_related("owner")
    bulk_create_with_history(
        _action_updates(actions, period, _last_statuses(period.start)), OpportunityActionUpdate,
        default_user=by, default_change_reason="Carried forward",
    )


def start_opportunity_update(*, opportunity: Opportunity, period: ReportingPeriod, by):
    """An opportunity added (or reinstated) after its quarter opened gets its draft and its
    actions' statuses on first use."""
    lock_open_period(period.pk)
    existing = OpportunityAssessment.objects.filter(opportunity=opportunity, period=period).first()
    if existing is None:
        opportunity = with_definitions(Opportunity.objects.filter(pk=opportunity.pk)).get()
        existing = _carried(opportunity, period, last_approved(opportunity, period))
        existing._history_user, existing._change_reason = by, "Carried forward"
        existing.save()
    _start_actions(opportunity, period, by)
    return existing


def _start_actions(opportunity: Opportunity, period: ReportingPeriod, by) -> None:
    missing = OpportunityAction.objects.filter(opportunity=opportunity, is_active=True).exclude(
        updates__period=period
    ).select_related("owner")
    rows = _action_updates(missing, period, _last_statuses(period.start, missing))
    if rows:
        bulk_create_with_history(rows, OpportunityActionUpdate, default_user=by,
                                 default_change_reason="Carried forward")


def record_opportunity_definitions(*, period: ReportingPeriod, opportunities=None) -> None:
    """The open quarter's record of each opportunity and action follows them as they stand
    (closing the quarter takes it once more); a closed quarter keeps its own."""
    lock_open_period(period.pk)
    rows = OpportunityAssessment.objects.filter(period=period)
    if opportunities is not None:
        rows = rows.filter(opportunity__in=opportunities)
    found = with_definitions(Opportunity.objects.filter(pk__in=rows.values("opportunity")))
    by_pk = {o.pk: o for o in found}
    changed = []
    for row in rows:
        before = [getattr(row, f) for f in OpportunityAssessment.DEFINITION_FIELDS]
        row.copy_definition(by_pk[row.opportunity_id])
        if before != [getattr(row, f) for f in OpportunityAssessment.DEFINITION_FIELDS]:
            changed.append(row)
    if changed:
        OpportunityAssessment.objects.bulk_update(changed, OpportunityAssessment.DEFINITION_FIELDS)
    updates = OpportunityActionUpdate.objects.filter(period=period).select_related("action__owner")
    if opportunities is not None:
        updates = updates.filter(action__opportunity__in=opportunities)
    moved = []
    for u in updates:
        before = (u.title, u.owner_name, u.due)
        u.copy_definition(u.action)
        if before != (u.title, u.owner_name, u.due):
            moved.append(u)
    if moved:
        OpportunityActionUpdate.objects.bulk_update(moved, ["title", "owner_name", "due"])


@transaction.atomic
def save_opportunity_update(
    *, assessment: OpportunityAssessment, version: int, by, changes: dict,
    statuses: dict[int, str] | None = None,
) -> OpportunityAssessment:
    """An owner's draft answers and their actions' statuses this quarter, in one write: the
    update's version guards both (a stale page writes neither)."""
    unknown = set(changes) - set(OpportunityAssessment.OWNER_FIELDS)
    if unknown:
        raise ValueError(f"Not an owner's field: {', '.join(sorted(unknown))}")
    lock_open_period(assessment.period_id)
    saved = _write(
        assessment, version=version, by=by, reason="Saved draft",
        states=OpportunityAssessment.EDITABLE_STATES, **changes,
    )
    if statuses:
        rows = OpportunityActionUpdate.objects.filter(
            period_id=assessment.period_id, action__opportunity_id=assessment.opportunity_id,
            action_id__in=list(statuses),
        )
        changed = []
        for row in rows:
            status = statuses[row.action_id]
            if status not in ActionStatus.values:
                raise ValidationError("Choose a status for each action")
            if row.status != status:
                row.status, row.updated_by, row.updated_at = status, by, timezone.now()
                changed.append(row)
        if changed:
            OpportunityActionUpdate.objects.bulk_update(changed, ["status", "updated_by", "updated_at"])
            OpportunityActionUpdate.history.bulk_history_create(
                changed, update=True, default_user=by, default_change_reason="Status changed"
            )
    return saved


@transaction.atomic
def submit_opportunity_update(
    *, assessment: OpportunityAssessment, version: int, by, changes: dict | None = None,
    statuses: dict[int, str] | None = None,
):
    """Submit for review, with the page's last answers (`changes`, `statuses`) saved first in
    the same transaction: an incomplete update is refused and nothing of it is written."""
    if changes is not None or statuses:
        saved = save_opportunity_update(assessment=assessment, version=version, by=by,
                                        changes=changes or {}, statuses=statuses)
        version = saved.version
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk, OpportunityAssessment)
    check_version(current, version)
    check_transition(current, OpportunityAssessment.State.SUBMITTED, "submitted")
    missing = current.missing_for_submission()
    if missing:
        raise IncompleteUpdate(missing)
    return _write(
        current, version=version, by=by, reason="Submitted",
        state=OpportunityAssessment.State.SUBMITTED, submitted_at=timezone.now(), submitted_by=by,
    )


# The team keeps the opportunities -------------------------------------------------------------


def opportunity_digest(opportunity: Opportunity) -> str:
    return digest({
        **{name: getattr(opportunity, f"{name}_id" if name == "owner" else name)
           for name in OPPORTUNITY_FIELDS},
        "register": opportunity.register_id,
        "leads": list(OpportunityLead.objects.filter(opportunity=opportunity)
                      .order_by("order", "pk").values_list("post_id", flat=True)),
    })


@transaction.atomic
def save_opportunity(
    *, opportunity: Opportunity | None, register: Register | None = None, fields: dict,
    leads: list[Post], was: str | None = None, by,
) -> Opportunity:
    """Add an opportunity to `register` or change one; the open quarter's record follows, and
    a new (or reinstated) opportunity gets its draft there at once."""
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of the opportunity's form: {', '.join(sorted(unknown))}")
    if len({post.pk for post in leads}) != len(leads):
        raise ValidationError("A post can be a lead of an opportunity only once")
    period = ReportingPeriod.objects.open().first()
    if period is not None:
        lock_open_period(period.pk)
    if opportunity is None:
        current, reason = Opportunity(register=register), "Added"
    else:
        current, reason = Opportunity.objects.select_for_update().get(pk=opportunity.pk), "Changed"
        if was is not None and opportunity_digest(current) != was:
            raise StaleVersion(current)
        keep_baseline(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current._history_user, current._change_reason = by, reason
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError(
            f"Opportunity {current.ref} already exists in {current.register}: choose another number"
        ) from None
    _set_leads(current, leads, by=by)
    if period is not None:
        if current.is_active:
            start_opportunity_update(opportunity=current, period=period, by=by)
        record_opportunity_definitions(period=period, opportunities=[current.pk])
    return current


def _set_leads(opportunity: Opportunity, posts: list[Post], *, by) -> None:
    links = {link.post_id: link for link in OpportunityLead.objects.filter(opportunity=opportunity)}
    wanted = [post.pk for post in posts]
    for post_id, link in links.items():
        if post_id not in wanted:
            link._history_user, link._change_reason = by, "Removed"
            link.delete()
    for order, post_id in enumerate(wanted):
        link = links.get(post_id) or OpportunityLead(opportunity=opportunity, post_id=post_id)
        if link.pk is None or link.order != order:
            link.order, link._history_user = order, by
            link._change_reason = "Added" if link.pk is None else "Moved"
            link.save()


@transaction.atomic
def add_action(*, opportunity: Opportunity, title: str, owner: Post, due, by) -> OpportunityAction:
    """A new action of the opportunity: from the open quarter on it has a status to update."""
    period = ReportingPeriod.objects.open().first()
    if period is not None:
        lock_open_period(period.pk)
    action = OpportunityAction(opportunity=opportunity, title=title, owner=owner, due=due)
    action._history_user, action._change_reason = by, "Added"
    action.save()
    if period is not None and opportunity.is_active:
        _start_actions(opportunity, period, by)
    return action
