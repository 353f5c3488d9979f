from __future__ import annotations

from django import template
from django.utils.translation import get_language

from semicluster.core import formatting

register = template.Library()


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


@register.filter
def msg(value: object) -> str:
    """A bilingual engine message (Message, {"zh", "en"} or "中文 / English") in the current language."""
    return formatting.in_language(value)


@register.filter
def bilingual_name(value: object) -> str:
    """``name`` / ``name_en`` of an engine object or a stored dict, in the current language."""
    if isinstance(value, dict):
        name, name_en = value.get("name"), value.get("name_en")
    else:
        name, name_en = getattr(value, "name", ""), getattr(value, "name_en", "")
    return str(name_en if _english() and name_en else name)
