from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from semicluster.core import formatting

register = template.Library()


@register.filter
def money(value: Decimal | None, unit: str = "auto") -> str:
    return formatting.money(value, unit)


@register.filter
def yi(value: Decimal | None) -> str:
    converted = formatting.to_yi(value)
    return "—" if converted is None else f"{converted:,}"


@register.filter
def wan(value: Decimal | None) -> str:
    converted = formatting.to_wan(value)
    return "—" if converted is None else f"{converted:,}"


@register.filter
def in_language(value: object) -> str:
    """The page language's half of a bilingual text ("中文 / English", an engine message, a
    ``{"zh", "en"}`` dict): ``{{ row.method_note|in_language }}``. See ``formatting.in_language``."""
    return formatting.in_language(value)


@register.filter
def month_label(value: int | str) -> str:
    """A month number as "Jan" in English and "1月" in Chinese: ``{{ m|month_label }}``."""
    return formatting.month_label(value)


@register.filter
def percent(value: Decimal | None, places: int = 1) -> str:
    return formatting.percent(value, places)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


@register.filter
def get_item(mapping: object, key: object) -> object:
    if mapping is None:
        return None
    try:
        return mapping[key]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None


@register.simple_tag
def zh_term(term: str, clause: str = "") -> str:
    """The plan's own Chinese term beside a translated page title, and the clause it comes from.

    In Chinese the title already is the term, so only the clause is shown (no "驾驶舱 驾驶舱")."""
    parts = []
    if not (get_language() or "").lower().startswith("zh"):
        parts.append(format_html('<span lang="zh-Hans">{}</span>', term))
    if clause:
        parts.append(format_html('<span class="source-clause">{}</span>', clause))
    if not parts:
        return ""
    return format_html(
        '<small class="text-muted">{}</small>', format_html_join(" ", "{}", ((p,) for p in parts))
    )
