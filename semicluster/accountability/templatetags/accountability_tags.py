"""Template filters of the tasks pages: ``{% load accountability_tags %}``."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()

SEPARATOR = " / "


def _english() -> bool:
    return (get_language() or "zh-hans").lower().startswith("en")


@register.filter
def in_language(value: object) -> str:
    """The active language's half of a bilingual text: an engine ``Message`` (``zh`` / ``en``), a
    ``{"zh", "en"}`` dict, or a string written "中文 / English" (split on the first " / "). Text
    without an English half is shown whole; an empty English half falls back to the Chinese."""
    if value is None:
        return ""
    if isinstance(value, dict):
        zh, en = str(value.get("zh") or ""), str(value.get("en") or "")
    elif hasattr(value, "zh") and hasattr(value, "en"):
        zh, en = str(value.zh), str(value.en)
    else:
        text = str(value)
        if SEPARATOR not in text:
            return text
        zh, _, en = text.partition(SEPARATOR)
    zh, en = zh.strip(), en.strip()
    return (en or zh) if _english() else (zh or en)
