"""Small builders for hand-made tables: every call gets fresh enterprise ids."""

from __future__ import annotations

import itertools
from decimal import Decimal

from semicluster.disclosure import Contribution

_ids = itertools.count(1)


def firms(*values: int | str) -> list[Contribution]:
    """One contribution per value, each from a new enterprise."""
    return [Contribution(f"E{next(_ids)}", Decimal(v)) for v in values]


def safe(total: int) -> list[Contribution]:
    """A cell of three near-equal firms (passes every default rule), in whole units."""
    third = total // 3
    return firms(third, third, total - 2 * third)
