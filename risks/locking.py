"""Optimistic locking: one way for every versioned row (assessments, control updates, reports).

The caller passes the version it read; the UPDATE matches on it and bumps it, so that two
people saving the same row cannot both win. Zero rows matched means someone else saved first:
the caller raises StaleVersion with what is stored now, and the person sees both versions
(nothing they typed is lost).
"""

from django import forms
from django.db.models import F, QuerySet


class StaleVersion(Exception):
    """The row changed since the person loaded it; `current` is what is stored now."""

    def __init__(self, current):
        super().__init__("This was changed by someone else after you opened it.")
        self.current = current


def update_if_version(rows: QuerySet, *, version: int, **changes) -> int:
    """UPDATE rows SET changes, version = version + 1 WHERE version = `version`.

    Returns how many rows matched (0 or 1 for a row's queryset): no signal is sent, so the
    caller writes the history record itself.
    """
    return rows.filter(version=version).update(version=F("version") + 1, **changes)


class VersionField(forms.IntegerField):
    """The version the person read; a tampered value is an error, not a crash."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "The page was missing its version: reload it and try again",
                "invalid": "The page sent a version that is not a number: reload it and try again",
                "min_value": "The page sent an impossible version: reload it and try again",
            },
        )
        super().__init__(**kwargs)
