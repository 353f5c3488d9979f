from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


@register.filter
def msg(value: object) -> str:
    """A bilingual engine message (Message or {"zh", "en"}) in the current language."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("en") if _english() else value.get("zh"))
    zh, en = getattr(value, "zh", None), getattr(value, "en", None)
    if zh is None:
        return str(value)
    return str(en if _english() else zh)


@register.filter
def bilingual_name(value: object) -> str:
    """``name`` / ``name_en`` of an engine object or a stored dict, in the current language."""
    if isinstance(value, dict):
        name, name_en = value.get("name"), value.get("name_en")
    else:
        name, name_en = getattr(value, "name", ""), getattr(value, "name_en", "")
    return str(name_en if _english() and name_en else name)
