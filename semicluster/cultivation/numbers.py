"""Exact numbers and bilingual messages shared by the cultivation engines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Message:
    """A user-facing message in Chinese and English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def to_decimal(value: object) -> Decimal:
    """Plan and fact numbers are integers, Decimals or decimal strings; floats are refused
    because they are not exact (0.1 is not one tenth)."""
    if isinstance(value, bool | float):
        raise TypeError(f"expected an integer or decimal string, got {value!r}")
    if isinstance(value, int | Decimal | str):
        return Decimal(value)
    raise TypeError(f"expected an integer or decimal string, got {value!r}")


def q2(value: Decimal) -> Decimal:
    """Round half up to two decimals, the precision every shown score and percentage uses."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def apportion(values: list[Decimal]) -> list[Decimal]:
    """Round each value to 0.01 so that the rounded parts add up to the rounded whole.

    Rounding each share on its own can make a perfect score show 100.01 (three shares of
    16.666…, 16.666…, 66.666… round to 16.67 + 16.67 + 66.67). Largest-remainder apportionment
    rounds every value down, then gives the missing cents to the largest remainders (ties to the
    earlier value), so a breakdown always adds up to the total it explains.
    """
    target = sum(values, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    floors = [v.quantize(CENT, rounding=ROUND_FLOOR) for v in values]
    missing_cents = int((target - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in by_remainder[:missing_cents]:
        floors[i] += CENT
    return floors
