"""The Planning & Risk Team's writes to the appetite criteria: levels and themes. Each is one
transaction recorded in the history with who and why; a change reaches the open quarter's
record of the risks that use it (record_definitions), never a closed quarter's, which keeps
the names it recorded."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from .history import keep_baseline
from .manage import _check, digest
from .models import AppetiteLevel, AppetiteTheme, ReportingPeriod, Risk
from .services import lock_open_period, record_definitions


def level_digest(level: AppetiteLevel) -> str:
    return digest({"name": level.name, "description": level.description,
                   "max_score": level.max_score, "order": level.order})


def theme_digest(theme: AppetiteTheme) -> str:
    return digest({"name": theme.name, "level": theme.level_id})


def _record(risks) -> None:
    period = ReportingPeriod.objects.open().first()
    if period is not None:
        lock_open_period(period.pk)
        record_definitions(period=period, risks=list(risks.values_list("pk", flat=True)))


def _save(current, *, added: bool, by, taken: str) -> None:
    current._history_user = by
    current._change_reason = "Added" if added else "Changed"
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError(taken) from None


@transaction.atomic
def save_level(*, level: AppetiteLevel | None, name: str, description: str, max_score: int,
               order: int, was: str | None = None, by) -> AppetiteLevel:
    """Add or change an appetite level."""
    if level is None:
        current = AppetiteLevel()
    else:
        current = AppetiteLevel.objects.select_for_update().get(pk=level.pk)
        _check(current, was, level_digest)
        keep_baseline(current)
    current.name, current.description = name, description
    current.max_score, current.order = max_score, order
    _save(current, added=level is None, by=by, taken=f"There is already a level called {name}")
    if level is not None:
        _record(Risk.objects.filter(Q(appetite_level=current) | Q(appetite_theme__level=current)))
    return current


@transaction.atomic
def save_theme(*, theme: AppetiteTheme | None, name: str, level: AppetiteLevel,
               was: str | None = None, by) -> AppetiteTheme:
    """Add or change an appetite theme and its level."""
    if theme is None:
        current = AppetiteTheme()
    else:
        current = AppetiteTheme.objects.select_for_update().get(pk=theme.pk)
        _check(current, was, theme_digest)
        keep_baseline(current)
    current.name, current.level = name, level
    _save(current, added=theme is None, by=by, taken=f"There is already a theme called {name}")
    if theme is not None:
        _record(Risk.objects.filter(appetite_theme=current))
    return current
