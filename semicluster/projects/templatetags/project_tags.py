"""Template helpers of the project library: reason texts in the reader's language, Gantt classes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def reason_text(reason: dict[str, Any]) -> str:
    """A stored light reason in the page's language (Chinese first, as the plan's users read it)."""
    language = get_language() or "zh-hans"
    if language.startswith("en"):
        return str(reason.get("text_en") or reason.get("text_zh") or "")
    return str(reason.get("text_zh") or reason.get("text_en") or "")


@register.filter
def reason_text_of(reason: Any) -> str:
    """The same for a lights.Reason object (computed on the page rather than stored)."""
    return reason_text(reason.as_dict())


@register.filter
def pct_class(value: int, prefix: str) -> str:
    """CSS class for a position or width in whole percent (the CSP forbids inline styles)."""
    return f"{prefix}-{max(0, min(100, int(value)))}"
