"""Sharing a risk with other registers, its partners, and the sharing registers' commentary
(keyword-only writes under transaction.atomic)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .escalations import heads
from .models import Register, ReportingPeriod, Risk, RiskShare, SharedCommentary, is_planner
from .services import lock_open_period


def can_comment(user, share: RiskShare) -> bool:
    """The sharing register's heads and the team; never the owner's assessment."""
    return is_planner(user) or heads(user, share.register)


@transaction.atomic
def share_risk(*, risk: Risk, register: Register | None, partners: str, contracts: str,
               dependencies: str, by) -> Risk:
    """Record the risk's partners, contracts and dependencies, and share it with `register`
    (if given): that register's pages list it, marked shared."""
    current = Risk.objects.select_for_update().get(pk=risk.pk)
    wanted = {"partners": partners.strip(), "contracts": contracts.strip(),
              "dependencies": dependencies.strip()}
    if any(getattr(current, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(current, name, value)
        current._history_user = by
        current._change_reason = "Partners changed"
        current.save(update_fields=list(wanted))
    if register is not None:
        if register.pk == current.register_id:
            raise ValidationError("A risk cannot be shared with the register that owns it")
        share = RiskShare(risk=current, register=register, shared_by=by, shared_at=timezone.now())
        share._history_user = by
        share._change_reason = "Shared"
        try:
            with transaction.atomic():
                share.save()
        except IntegrityError:
            raise ValidationError(f"The risk is already shared with {register}") from None
    return current


@transaction.atomic
def write_shared_commentary(*, share: RiskShare, text: str, by) -> SharedCommentary:
    """The sharing register's commentary for the open quarter (a closed one is frozen)."""
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise ValidationError("No reporting period is open, so no commentary can be added now.")
    lock_open_period(period.pk)
    if not can_comment(by, share):
        raise ValidationError(f"Only the heads of {share.register} or the Planning & Risk Team "
                              "can write its commentary.")
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter the commentary")
    row = SharedCommentary.objects.filter(share=share, period=period).first() or \
        SharedCommentary(share=share, period=period)
    row.text, row.written_by, row.written_at = text, by, timezone.now()
    row._history_user = by
    row._change_reason = "Commentary"
    row.save()
    return row
