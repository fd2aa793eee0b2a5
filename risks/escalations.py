"""Escalation and de-escalation between registers: who may propose and decide, where a risk
may go, which risks a register's criteria flag, and the writes (keyword-only, atomic).

An accepted escalation creates a new risk in the receiving register rather than moving the
risk: the register it came from keeps managing its local part (its own risk, assessments and
history go on, shown "escalated to ..."), the receiving register owns the escalated risk
with its own owner, ref, quarterly updates and history ("escalated from ..."), and every
closed quarter of either register still shows exactly what it showed. A de-escalation retires
the risk in the upper register and hands on to the risk it first came from (or, when it
started up there, to a new risk in the register below).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from .models import (
    Escalation,
    Register,
    ReportingPeriod,
    Risk,
    is_planner,
)
from .services import lock_open_period, reinstate_risk, retire_risk, start_assessment


def heads(user, register: Register) -> bool:
    """Holds the register's owning or lead post."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    posts = {register.owner_post_id, register.lead_post_id} - {None}
    return bool(posts) and user.posts.filter(pk__in=posts).exists()


def can_propose(user, risk: Risk) -> bool:
    """The risk's owner and working leads, its register's heads, and the team."""
    if is_planner(user):
        return True
    if heads(user, risk.register):
        return True
    return Risk.objects.owned_or_led_by(user).filter(pk=risk.pk).exists()


def can_decide(user, escalation: Escalation) -> bool:
    """The receiving register's lead (or owner), and the Planning & Risk Team."""
    return is_planner(user) or heads(user, escalation.to_register)


def origin(risk: Risk) -> Escalation | None:
    """The accepted escalation that brought `risk` into its register, if any."""
    return (
        Escalation.objects.accepted().filter(result_risk=risk, direction=Escalation.Direction.UP)
        .select_related("risk", "from_register").first()
    )


def targets(risk: Risk) -> dict[str, list[Register]]:
    """Where the risk may be escalated ("up": the register above and any board's register)
    and de-escalated ("down": the register it came from, and the registers just below)."""
    register = risk.register
    up = sorted(
        Register.objects.filter(Q(pk=register.parent_id) | Q(kind=Register.Kind.BOARD))
        .exclude(pk=register.pk),
        key=lambda r: (r.pk != register.parent_id, r.name),  # the register above first
    )
    came = origin(risk)
    down = list(
        Register.objects.filter(
            Q(parent=register) | Q(pk=came.from_register_id if came else None)
        ).exclude(pk=register.pk).exclude(kind=Register.Kind.BOARD).order_by("name")
    )
    return {"up": up, "down": down}


@transaction.atomic
def propose_escalation(
    *, risk: Risk, to_register: Register, direction: str, reason: str, by
) -> Escalation:
    """Record a proposal to escalate (or de-escalate) `risk` to `to_register`, in the open
    quarter, for the receiving register to decide."""
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise ValidationError("No reporting period is open, so nothing can be escalated now.")
    lock_open_period(period.pk)
    risk = Risk.objects.select_related("register").get(pk=risk.pk)
    if not risk.is_active:
        raise ValidationError(f"Risk {risk.ref} is retired, so it cannot be escalated.")
    if not can_propose(by, risk):
        raise ValidationError("Only the risk's owner, its leads, the register's heads or the "
                              "Planning & Risk Team can propose this.")
    if direction not in Escalation.Direction.values:
        raise ValidationError("Choose whether to escalate or de-escalate the risk")
    allowed = targets(risk)[direction]
    if to_register.pk not in {r.pk for r in allowed}:
        raise ValidationError(f"{risk.register} cannot "
                              f"{'escalate' if direction == 'up' else 'de-escalate'} a risk to "
                              f"{to_register}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the risk should move")
    escalation = Escalation(
        risk=risk, from_register=risk.register, to_register=to_register, direction=direction,
        period=period, reason=reason, proposed_by=by, proposed_at=timezone.now(),
    )
    escalation._history_user = by
    escalation._change_reason = "Proposed"
    try:
        with transaction.atomic():
            escalation.save()
    except IntegrityError:
        raise ValidationError(
            f"Risk {risk.ref} already has a proposal waiting for a decision this quarter"
        ) from None
    return escalation


@transaction.atomic
def decide_escalation(*, escalation: Escalation, accept: bool, reason: str, by) -> Escalation:
    """The receiving register accepts or declines. Accepting an escalation creates the
    escalated risk in the receiving register (with a draft for the open quarter); accepting a
    de-escalation retires the risk up there and hands on to the one below."""
    current = Escalation.objects.select_for_update(of=("self",)).select_related(
        "risk__register", "from_register", "to_register__owner_post", "period"
    ).get(pk=escalation.pk)
    if not current.period.is_open:
        raise ValidationError(
            f"{current.period} is closed: its proposals can no longer be decided. Propose it "
            "again in the open quarter."
        )
    lock_open_period(current.period_id)
    if not current.is_pending:
        raise ValidationError(f"This proposal was already {current.get_state_display().lower()}.")
    if not can_decide(by, current):
        raise ValidationError(f"Only the lead of {current.to_register} or the Planning & Risk "
                              "Team can decide this.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for the decision")
    if accept:
        current.result_risk = (
            _escalate(current, by=by) if current.is_up else _de_escalate(current, by=by)
        )
        current.state = Escalation.State.ACCEPTED
    else:
        current.state = Escalation.State.DECLINED
    current.decided_by, current.decided_at, current.decision_reason = by, timezone.now(), reason
    current._history_user = by
    current._change_reason = current.get_state_display()
    current.save()
    return current


def _copy(risk: Risk, register: Register, *, by, reason: str) -> Risk:
    """The risk as a new risk of `register` (owned by the register's owning post, if any), with
    a draft for the open quarter."""
    ref = (Risk.objects.filter(register=register).aggregate(top=Max("ref"))["top"] or 0) + 1
    fields = ("title", "description", "description_agreed", "horizon", "target_likelihood",
              "target_impact", "appetite", "appetite_level", "appetite_theme", "tolerance")
    new = Risk(register=register, ref=ref, owner=register.owner_post or risk.owner,
               **{name: getattr(risk, name) for name in fields})
    new._history_user = by
    new._change_reason = reason[:100]
    new.save()
    new.pillars.set(risk.pillars.all())
    start_assessment(risk=new, period=ReportingPeriod.objects.open().get(), by=by)
    return new


def _escalate(escalation: Escalation, *, by) -> Risk:
    return _copy(
        escalation.risk, escalation.to_register, by=by,
        reason=f"Escalated from {escalation.from_register} risk {escalation.risk.ref}",
    )


def _de_escalate(escalation: Escalation, *, by) -> Risk:
    came = origin(escalation.risk)
    if came is not None and came.from_register_id == escalation.to_register_id:
        result = came.risk
        if not result.is_active:
            reinstate_risk(risk=result, by=by)
    else:
        result = _copy(
            escalation.risk, escalation.to_register, by=by,
            reason=f"De-escalated from {escalation.from_register} risk {escalation.risk.ref}",
        )
    if escalation.risk.is_active:
        retire_risk(risk=escalation.risk, by=by)
    return result


def flagged(rows, register: Register, period: ReportingPeriod):
    """Of a register page's updates (`rows`, as shown), those that meet the register's
    escalation criteria and have no proposal or acceptance yet this quarter: a decision
    is due. Returns a queryset (no query until read)."""
    if not register.has_criteria:
        return rows.none()
    meets = Q()
    if register.escalate_at_score is not None:
        meets |= Q(flag_score__gte=register.escalate_at_score)
    if register.escalate_on_breach:
        meets |= Q(tolerance__isnull=False, flag_score__gt=F("tolerance"))
    decided = Escalation.objects.filter(
        direction=Escalation.Direction.UP, period=period,
    ).exclude(state=Escalation.State.DECLINED)
    return (
        rows.filter(risk__register=register, retired=False)
        .annotate(flag_score=F("likelihood") * F("impact"))
        .filter(meets)
        .exclude(risk__in=decided.values("risk"))
    )


__all__ = [
    "can_decide", "can_propose", "decide_escalation", "flagged", "heads",
    "origin", "propose_escalation", "targets",
]
