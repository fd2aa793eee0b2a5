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
