"""Numbers the way Chinese statistics show them: money in 亿元 or 万元, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
