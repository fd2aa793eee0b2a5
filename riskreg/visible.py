"""What a person may see across the apps, for the pages that read more than one (search, the
API): each rule is the pages' own (Register/Risk.visible_to, AssessmentQuerySet.shown,
reads_everything for control notes), composed here and nowhere else."""

from django.db.models import Q, QuerySet

from controls.models import Control, ControlUpdate
from risks.models import (
    Assessment,
    Register,
    ReportingPeriod,
    Risk,
    reads_everything,
    sees_drafts,
)


def risks(user, register: Register | None = None) -> QuerySet:
    rows = Risk.objects.visible_to(user)
    return rows.filter(register=register) if register is not None else rows


def assessments(user, period: ReportingPeriod, register: Register | None = None) -> QuerySet:
    """The updates of `period` that a page of that quarter shows `user` (a reader may be shown
    a risk's last approved update of an earlier quarter in place of a draft)."""
    rows = Assessment.objects.filter(risk__in=risks(user, register).values("pk"))
    return rows.shown(period, user)


def any_assessments(user) -> QuerySet:
    """Every update `user` may read, of any quarter: a closed quarter's record, and in the open
    quarter what shown() gives them (drafts only of their own risks, or for the team)."""
    rows = Assessment.objects.filter(risk__in=risks(user).values("pk"))
    if sees_drafts(user):
        return rows
    open_period = ReportingPeriod.objects.open().first()
    closed = Q(period__state=ReportingPeriod.State.CLOSED)
    if open_period is None:
        return rows.filter(closed)
    shown = rows.shown(open_period, user).filter(period=open_period).values("pk")
    return rows.filter(closed | Q(pk__in=shown))


def controls(user, register: Register | None = None) -> QuerySet:
    return Control.objects.filter(risk__in=risks(user, register).values("pk"))


def control_updates(user, period: ReportingPeriod | None = None,
                    register: Register | None = None) -> QuerySet:
    """Control records of the quarters `user` may read: in the open quarter, only those of
    risks whose update of the quarter they may see (as the changes page lists them)."""
    rows = ControlUpdate.objects.filter(risk__in=risks(user, register).values("pk"))
    if period is not None:
        rows = rows.filter(period=period)
    if sees_drafts(user):
        return rows
    seen = any_assessments(user).filter(period__state=ReportingPeriod.State.OPEN)
    return rows.filter(
        Q(period__state=ReportingPeriod.State.CLOSED)
        | Q(period__state=ReportingPeriod.State.OPEN, risk__in=seen.values("risk_id"))
    )


def note_risk_ids(user) -> set[int] | None:
    """Whose control notes `user` may read: None for every risk's (the team and the Audit
    Panel, as the changes page decides: Appendix B prints notes as OFFICIAL-SENSITIVE), else
    the ids of the risks they own or lead, whose notes they write."""
    if reads_everything(user):
        return None
    return set(Risk.objects.owned_or_led_by(user).values_list("pk", flat=True))


def notes_filter(user, field: str = "risk") -> Q:
    """A filter on control records (or anything with a risk at `field`) to those whose notes
    `user` may read: as note_risk_ids(), in the database."""
    if reads_everything(user):
        return Q()
    return Q(**{f"{field}__in": Risk.objects.owned_or_led_by(user).values("pk")})
