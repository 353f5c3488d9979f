"""Numbers the way Chinese statistics show them (money in 亿元 or 万元, never floats), month names, and the
active language's half of a bilingual "中文 / English" text."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, pgettext_lazy

YI = Decimal("100000000")
WAN = Decimal("10000")


def to_yi(value: Decimal | int | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) / YI).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_wan(value: Decimal | int | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) / WAN).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: Decimal | int | None, unit: str = "auto") -> str:
    """Render yuan as 亿元 (≥ 1 亿) or 万元; ``unit`` forces "yi" or "wan"."""
    if value is None:
        return "—"
    amount = Decimal(value)
    if unit == "yi" or (unit == "auto" and abs(amount) >= YI):
        return f"{to_yi(amount):,} 亿元"
    return f"{to_wan(amount):,} 万元"


def percent(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


# Computed notes, reasons and service errors are written "中文 / English": both halves at hand, the
# page shows its own.
BILINGUAL_SEPARATOR = " / "


def is_english(language: str | None = None) -> bool:
    """Whether ``language`` (default: the active language) is English; Chinese is the default."""
    return (language or get_language() or "zh-hans").lower().startswith("en")


def in_language(value: object, language: str | None = None) -> str:
    """The active language's half of a bilingual text: an engine message with ``zh`` / ``en``
    attributes, a ``{"zh", "en"}`` dict, or a string written "中文 / English" (split on the first
    " / "). Text without an English half is shown whole; an empty half falls back to the other one."""
    if value is None:
        return ""
    if isinstance(value, dict):
        zh, en = str(value.get("zh") or ""), str(value.get("en") or "")
    elif hasattr(value, "zh") and hasattr(value, "en"):
        zh, en = str(value.zh or ""), str(value.en or "")
    else:
        text = str(value)
        if BILINGUAL_SEPARATOR not in text:
            return text
        zh, _sep, en = text.partition(BILINGUAL_SEPARATOR)
    zh, en = zh.strip(), en.strip()
    return (en or zh) if is_english(language) else (zh or en)


def join_in_language(values: Iterable[object], language: str | None = None) -> str:
    """Several bilingual texts (a ValidationError's ``messages``) as one line in one language."""
    separator = "; " if is_english(language) else "；"
    return separator.join(text for text in (in_language(v, language) for v in values) if text)


# Month names for chart axes and table headers: "Jan" in English, "1月" in Chinese.
MONTH_ABBREVIATIONS = (
    pgettext_lazy("month", "Jan"),
    pgettext_lazy("month", "Feb"),
    pgettext_lazy("month", "Mar"),
    pgettext_lazy("month", "Apr"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "Jun"),
    pgettext_lazy("month", "Jul"),
    pgettext_lazy("month", "Aug"),
    pgettext_lazy("month", "Sep"),
    pgettext_lazy("month", "Oct"),
    pgettext_lazy("month", "Nov"),
    pgettext_lazy("month", "Dec"),
)


def month_label(month: int | str) -> str:
    """A month number (1–12) as its short name in the active language; anything else unchanged."""
    try:
        number = int(month)
    except (TypeError, ValueError):
        return str(month)
    return str(MONTH_ABBREVIATIONS[number - 1]) if 1 <= number <= 12 else str(month)
