"""What a board summary shows: the significant risks of one quarter, by the board's rules and
its secretariat's choices.

Only approved updates of the summary's own period count, whoever reads it: a summary never
shows a draft, and a risk without an approved update this quarter is named as such (a count),
never shown with an older position. A closed period's updates are its record (they never change
again, risks/models/frozen.py), each carrying the risk as that quarter showed it (ref, title,
owner, tolerance), so a summary of a closed period shows what that quarter showed, however the
risks are edited later.

Four queries whatever the number of risks: the board's registers, the summary's choices, the
significant updates (the rules run in the database), and the count of risks without an
approved update.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q

from risks.models import Assessment, Risk

from .models import BoardSummary, BoardSummaryChoice


@dataclass
class Row:
    assessment: Assessment
    register: str
    reasons: list[str]
    added: str = ""  # the secretariat's reason, when it added the risk by hand
    removed: str = ""  # the secretariat's reason, when it removed the risk by hand

    @property
    def risk_id(self) -> int:
        return self.assessment.risk_id


@dataclass
class SummaryData:
    summary: BoardSummary
    rows: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    choices: list[BoardSummaryChoice] = field(default_factory=list)
    # Risks of the board's registers with no approved update for the period (yet).
    without_approved: int = 0

    @property
    def in_breach(self) -> int:
        return sum(1 for row in self.rows if row.assessment.in_breach)


def _order(row: Row):
    a = row.assessment
    # Highest score first; those not scored last; then register and ref, for a stable order.
    return (-(a.score or 0), row.register, a.ref)


def scope_risks(register_ids: list[int]):
    return Risk.objects.filter(register_id__in=register_ids)


def build(summary: BoardSummary) -> SummaryData:
    board = summary.board
    register_ids = board.register_ids()
    choices = list(
        BoardSummaryChoice.objects.filter(summary=summary).select_related("risk", "created_by")
    )
    added = {c.risk_id: c for c in choices if c.action == BoardSummaryChoice.Action.ADD}
    removed = {c.risk_id: c for c in choices if c.action == BoardSummaryChoice.Action.REMOVE}
    in_scope = scope_risks(register_ids).values("pk")
    updates = (
        Assessment.objects.filter(
            period_id=summary.period_id, state=Assessment.State.APPROVED, retired=False,
            risk__in=in_scope,
        )
        .annotate(current_score=F("likelihood") * F("impact"),
                  register_name=F("risk__register__name"), register_id=F("risk__register_id"))
        .filter(board.significant() | Q(risk_id__in=[*added, *removed]))
    )
    data = SummaryData(summary=summary, rules=board.rules_words(), choices=choices)
    for a in updates:
        reasons = board.reasons_for(a, register_id=a.register_id)
        row = Row(assessment=a, register=a.register_name, reasons=reasons)
        if a.risk_id in removed:
            row.removed = removed[a.risk_id].reason
            data.removed.append(row)
            continue
        if a.risk_id in added:
            row.added = added[a.risk_id].reason
        if reasons or row.added:
            data.rows.append(row)
    data.rows.sort(key=_order)
    data.removed.sort(key=_order)
    # Counted from the period's own updates, so that a closed period's count never changes
    # (a risk added later has none in it); opening a period gives every active risk one.
    data.without_approved = (
        Assessment.objects.filter(period_id=summary.period_id, risk__in=in_scope, retired=False)
        .exclude(state=Assessment.State.APPROVED)
        .count()
    )
    return data


def candidates(summary: BoardSummary):
    """The risks the secretariat may add or remove: those of the board's registers with an
    approved update in the summary's period (the only positions a summary shows)."""
    approved = Assessment.objects.filter(
        period_id=summary.period_id, state=Assessment.State.APPROVED, retired=False
    ).values("risk_id")
    return (
        Risk.objects.filter(register_id__in=summary.board.register_ids(), pk__in=approved)
        .select_related("register")
        .order_by("register__name", "ref")
    )
