"""The Planning & Risk Team's writes to the appetite criteria: levels and themes, and a
register's thematic appetite (its own level per theme). Each is one
transaction recorded in the history with who and why; a change reaches the open quarter's
record of the risks that use it (record_definitions), never a closed quarter's, which keeps
the names it recorded."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from .history import keep_baseline
from .manage import _check, digest
from .models import (
    AppetiteLevel,
    AppetiteTheme,
    Register,
    RegisterAppetite,
    ReportingPeriod,
    Risk,
)
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


def register_appetite_digest(register: Register) -> str:
    return digest(sorted(RegisterAppetite.objects.filter(register=register)
                         .values_list("theme_id", "level_id")))


@transaction.atomic
def save_register_appetite(*, register: Register, levels: dict[int, AppetiteLevel | None],
                           was: str | None = None, by) -> int:
    """Set a register's thematic appetite: its own level for each theme in `levels` (theme id
    to level; None: the organisation's level for the theme). Each row added, changed or removed
    is recorded in the history with who; the open quarter's record of the register's risks of
    those themes follows (record_definitions), a closed quarter keeps what it recorded.
    Returns how many themes changed."""
    register = Register.objects.select_for_update().get(pk=register.pk)
    _check(register, was, register_appetite_digest)
    current = {row.theme_id: row for row in RegisterAppetite.objects.filter(register=register)}
    changed = []
    for theme_id, level in levels.items():
        row = current.get(theme_id)
        if level is None:
            if row is not None:
                row._history_user, row._change_reason = by, "Removed"
                row.delete()
                changed.append(theme_id)
            continue
        if row is not None and row.level_id == level.pk:
            continue
        if row is None:
            row, reason = RegisterAppetite(register=register, theme_id=theme_id), "Added"
        else:
            reason = "Changed"
        row.level = level
        row._history_user, row._change_reason = by, reason
        row.save()
        changed.append(theme_id)
    if changed:
        _record(Risk.objects.filter(register=register, appetite_theme__in=changed,
                                    appetite_level__isnull=True))
    return len(changed)
