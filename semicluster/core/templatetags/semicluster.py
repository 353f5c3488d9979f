from decimal import Decimal

from django import template

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
