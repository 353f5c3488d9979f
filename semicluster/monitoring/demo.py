"""The demo's last data step: compute every goal's indicators from the generated records."""

from __future__ import annotations

from semicluster.core.demo import DemoContext, fast_delete
from semicluster.monitoring.models import FillState, IndicatorValue
from semicluster.monitoring.services import indicators_refresh

ORDER = 80


def generate(ctx: DemoContext) -> None:
    result = indicators_refresh(plan_version=ctx.plan_version)
    ctx.say(f"  {result.rows} indicator values in {result.seconds:.1f} s")


def reset() -> None:
    fast_delete(IndicatorValue.objects.all())
    fast_delete(FillState.objects.all())
