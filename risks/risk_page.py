"""What apps built on risks add to the risk page, without risks importing them (as the
timeline does): controls adds the risk's controls in the quarter shown.

A section is called with the request, the risk and the update the page shows (its period is
the quarter shown; never an update the person may not see: AssessmentQuerySet.shown's rule,
applied by the risk page) and returns HTML to place under the risk's summary.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .models import Assessment, Risk

Section = Callable[[HttpRequest, Risk, Assessment], str]
_sections: list[Section] = []


def register(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def sections(request: HttpRequest, risk: Risk, shown: Assessment | None) -> list[SafeString]:
    if shown is None:
        return []
    return [mark_safe(section(request, risk, shown)) for section in _sections]  # noqa: S308 (templates)
