"""The synthetic demo data set: deterministic (seeded), realistic in shape, invented throughout.

Each domain app may contribute ``demo.py`` with ``ORDER`` (int) and ``generate(ctx)``; this module
runs them in order inside one transaction. Real names appear only for the public institutions the
plan names, and never with invented figures.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

from semicluster.core.registry import app_modules
from semicluster.plans.models import PlanVersion

T = TypeVar("T")

SCALES = {
    # enterprises, monthly data through this month of the plan year
    "kunshan": {"enterprises": 320, "through_month": 10},
    "province": {"enterprises": 20000, "through_month": 10},
    # A small set with the same shape, for tests of the generators themselves.
    "sample": {"enterprises": 60, "through_month": 10},
}


@dataclass
class DemoContext:
    seed: int
    scale: str
    plan_version: PlanVersion
    out: Any = sys.stdout  # a text stream or a management command OutputWrapper
    progress: bool = False
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.settings = SCALES[self.scale]

    @property
    def year(self) -> int:
        return int(self.plan_version.plan.year)

    def rng(self, topic: str) -> random.Random:
        """An independent, reproducible random stream per topic, so one app's demo data does not
        shift when another app draws more or fewer numbers."""
        digest = hashlib.sha256(f"{self.seed}:{topic}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def track(self, items: Iterable[T], *, total: int, desc: str) -> Iterator[T]:
        if not self.progress:
            yield from items
            return
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=desc, file=self.out, unit="")

    def say(self, message: str) -> None:
        self.out.write(message + "\n")


def demo_generators() -> list[tuple[int, str, Callable[[DemoContext], None]]]:
    generators = [(getattr(m, "ORDER", 50), app, m.generate) for app, m in app_modules("demo")]
    return sorted(generators, key=lambda item: (item[0], item[1]))


def fast_delete(queryset: Any) -> int:
    """Delete rows without per-row signals: demo data is thrown away whole, and per-row history
    entries for it would only slow a reset down. Never use this for real records."""
    return int(queryset._raw_delete(queryset.db))


OFFICE_USER = "demo-office-system"


def office_user() -> Any:
    """The city-admin account the demo layers act as (the leading-group office); it has no usable
    password, so nobody can log in as it."""
    from semicluster.accounts.models import Role, User

    user, created = User.objects.get_or_create(
        username=OFFICE_USER, defaults={"role": Role.CITY_ADMIN, "first_name": "领导小组办公室（示例，系统）"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def reset_demo() -> None:
    """Delete the demo data set, newest layers first (apps provide ``reset()``)."""
    with transaction.atomic():
        for _order, _app, module in sorted(
            ((getattr(m, "ORDER", 50), app, m) for app, m in app_modules("demo")), key=lambda i: (-i[0], i[1])
        ):
            reset = getattr(module, "reset", None)
            if reset is not None:
                reset()


def generate_demo(ctx: DemoContext) -> None:
    with transaction.atomic():
        for _order, app, generate in demo_generators():
            ctx.say(f"· {app.rsplit('.', 1)[-1]}")
            generate(ctx)
