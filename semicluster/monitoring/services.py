"""Writes of the monitoring app: the indicator refresh (the only writer of IndicatorValue).

Call ``indicators_refresh()`` after anything that changes the records goals are computed from
(an import commit, an edit of period data, a designation, a project update); the intake pipeline
does so after each commit, and ``semicluster indicators refresh`` and the demo run it too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from semicluster.core.bulk import insert_rows
from semicluster.monitoring.compute import Engine
from semicluster.monitoring.models import FillState, IndicatorValue
from semicluster.plans.models import PlanVersion
from semicluster.plans.selectors import current_plan_version


@dataclass(frozen=True)
class RefreshResult:
    plan_version: PlanVersion | None
    rows: int
    seconds: float
    data_year: int | None
    data_month: int | None


def indicators_refresh(*, plan_version: PlanVersion | None = None) -> RefreshResult:
    """Recompute every indicator of ``plan_version`` (default: the current plan version).

    Idempotent and atomic: the version's rows are replaced whole in one transaction, so readers see
    either the old set or the new one, never a mixture; running it twice stores the same rows.
    """
    version = plan_version or current_plan_version()
    started = time.perf_counter()
    if version is None:
        return RefreshResult(None, 0, 0.0, None, None)
    with transaction.atomic():
        engine = Engine(version)
        rows = [row.as_fields(version.pk) for row in engine.rows()]
        IndicatorValue.objects.filter(plan_version=version).delete()
        # Plain executemany: bulk_create's per-field preparation of ~20 columns × thousands of rows
        # cost more than the database's insert (a third of a province-scale refresh).
        if rows:
            names = list(rows[0])
            insert_rows(IndicatorValue, names, ([row[n] for n in names] for row in rows))
        latest = engine.calendar.latest
        seconds = time.perf_counter() - started
        FillState.objects.update_or_create(
            plan_version=version,
            defaults={
                "state": FillState.State.DONE,
                "refreshed_at": timezone.now(),
                "data_year": latest.year if latest else None,
                "data_month": latest.month if latest else None,
                "rows": len(rows),
                "duration_ms": int(seconds * 1000),
                "message": "",
            },
        )
    return RefreshResult(
        version, len(rows), seconds, latest.year if latest else None, latest.month if latest else None
    )
