"""Writes to board summaries, each under one transaction: start, edit, the secretariat's
choices, publish. A published summary refuses every write (SummaryPublished)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from risks.models import Board, ReportingPeriod, Risk

from . import document
from .models import BoardSummary, BoardSummaryChoice
from .rows import candidates


class SummaryPublished(ValidationError):
    def __init__(self):
        super().__init__("This summary is published: it can no longer change.")


class SummaryConflict(ValidationError):
    def __init__(self):
        super().__init__(
            "Someone changed this summary since you opened it. Check it, then save again."
        )


def _locked(summary: BoardSummary) -> BoardSummary:
    current = BoardSummary.objects.select_for_update().select_related("board", "period").get(
        pk=summary.pk
    )
    if current.is_published:
        raise SummaryPublished()
    return current


def _touch(summary: BoardSummary, by) -> None:
    """A choice changes what the summary says: a new version, recorded with who made it."""
    summary.version += 1
    summary.updated_by = by
    summary.save(update_fields=["version", "updated_by", "updated_at"])


@transaction.atomic
def create_summary(*, board: Board, period: ReportingPeriod, meeting_date: datetime.date,
                   protective_marking: str, by) -> BoardSummary:
    if BoardSummary.objects.filter(board=board, meeting_date=meeting_date).exists():
        raise ValidationError(
            {"meeting": f"{board} already has a summary for the meeting on this date"}
        )
    try:
        with transaction.atomic():
            return BoardSummary.objects.create(
                board=board, period=period, meeting_date=meeting_date,
                protective_marking=protective_marking, created_by=by, updated_by=by,
            )
    except IntegrityError as exc:  # started meanwhile by someone else
        raise ValidationError(
            {"meeting": f"{board} already has a summary for the meeting on this date"}
        ) from exc


@transaction.atomic
def update_summary(*, summary: BoardSummary, version: int, by, **fields) -> BoardSummary:
    current = _locked(summary)
    if current.version != version:
        raise SummaryConflict()
    if "meeting_date" in fields and BoardSummary.objects.filter(
        board_id=current.board_id, meeting_date=fields["meeting_date"]
    ).exclude(pk=current.pk).exists():
        raise ValidationError(
            {"meeting": f"{current.board} already has a summary for the meeting on this date"}
        )
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = by
    current.save()
    return current


@transaction.atomic
def choose_risk(*, summary: BoardSummary, risk: Risk, action: str, reason: str, by
                ) -> BoardSummaryChoice:
    """Record the secretariat's addition or removal of a risk for this meeting, with its
    reason; a second choice for the same risk replaces the first (both stay in the history)."""
    current = _locked(summary)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for adding or removing the risk"})
    if action not in BoardSummaryChoice.Action.values:
        raise ValidationError({"action": "Choose whether to add or remove the risk"})
    if not candidates(current).filter(pk=risk.pk).exists():
        raise ValidationError({"risk": (
            f"{risk} has no approved update for {current.period} in the registers "
            f"{current.board} oversees"
        )})
    choice, _ = BoardSummaryChoice.objects.update_or_create(
        summary=current, risk=risk,
        defaults={"action": action, "reason": reason, "created_by": by},
    )
    _touch(current, by)
    return choice


@transaction.atomic
def undo_choice(*, summary: BoardSummary, choice_id: int, by) -> None:
    current = _locked(summary)
    deleted, _ = BoardSummaryChoice.objects.filter(summary=current, pk=choice_id).delete()
    if not deleted:
        raise ValidationError("That choice is no longer recorded: it was undone meanwhile.")
    _touch(current, by)


@transaction.atomic
def publish_summary(*, summary: BoardSummary, version: int, by) -> BoardSummary:
    """Publish: keep the page's HTML and the PDF's bytes, as the board receives them."""
    current = _locked(summary)
    if current.version != version:
        raise SummaryConflict()
    current.published_at = timezone.now()
    current.published_by = by
    rendered = document.render(current)  # published, not yet frozen: says no DRAFT
    data = document.render_pdf(rendered, use_cache=False)
    current.snapshot = document.snapshot_of(rendered)
    current.pdf = data
    current.save(update_fields=["published_at", "published_by", "snapshot", "pdf", "updated_at"])
    return current
