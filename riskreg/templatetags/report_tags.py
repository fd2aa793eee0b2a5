import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_APPENDIX = re.compile(r"\bAppendix [A-Z]\b")


@register.filter
def appendix_refs(text: str) -> SafeString:
    """Escape the text, then set references to appendices in bold, as the report does."""
    escaped = conditional_escape(text)
    return mark_safe(_APPENDIX.sub(lambda m: f"<strong>{m[0]}</strong>", escaped))  # noqa: S308


@register.filter
def action_lines(row) -> list[dict]:
    """Appendix C's rows for one item of the plan (a maturity.plan.ItemRow): one per action,
    each beside its milestone. A milestone shared by consecutive actions is written once,
    across their rows (`span`; 0 where the cell above covers it), as the seed writes item 6's
    "Dec-21". An item without actions still has its one row."""
    actions = [a.action for a in row.actions]
    if not actions:
        return [{"text": "", "milestone": "", "span": 1}]
    lines = [{"text": a.text, "milestone": a.milestone_label, "span": 1} for a in actions]
    start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i]["milestone"] != lines[start]["milestone"]:
            lines[start]["span"] = i - start
            for covered in lines[start + 1:i]:
                covered["span"] = 0
            start = i
    return lines
