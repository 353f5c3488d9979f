"""`semicluster bench indicators`: time a full indicator refresh and the cockpit's data, each beside
the floor — one hand-written SQL aggregate over the same rows, timed in the same run.

Run it against the province-scale demo (20,000 enterprises, 1.2 M period values) in a database of
its own, e.g. ``DATABASE_URL=sqlite:////tmp/province.sqlite3 semicluster bench indicators``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TextIO

from django.db import connection
from django.test.utils import CaptureQueriesContext

from semicluster.enterprises.models import Enterprise, PeriodValue
from semicluster.monitoring import charts, selectors
from semicluster.monitoring.models import IndicatorValue
from semicluster.monitoring.services import indicators_refresh
from semicluster.plans.selectors import current_plan_version

REFRESH_GOAL_S = 10.0
REFRESH_FLOOR_RATIO = 5.0
COCKPIT_GOAL_MS = 200.0


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: float
    floor_seconds: float
    queries: int | None = None

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds if self.floor_seconds else float("inf")


def _best(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) if repeats < 3 else statistics.median(times)


def _sql(sql: str, params: list[Any]) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def refresh_floor_sql(year: int) -> tuple[str, list[Any]]:
    """Every figure the refresh reads, grouped the way it groups them, in one statement."""
    pv, ent = PeriodValue._meta.db_table, Enterprise._meta.db_table
    # Only table names (from model metadata) are interpolated; values go in as parameters.
    return (
        f"SELECT pv.year, pv.period_type, pv.period, e.area_id, e.primary_node_id, "  # noqa: S608
        f"SUM(CAST(ROUND(pv.value * 100) AS BIGINT)), COUNT(*) "
        f"FROM {pv} pv JOIN {ent} e ON e.id = pv.enterprise_id "
        f"WHERE pv.measure = %s AND pv.year BETWEEN %s AND %s "
        f"GROUP BY pv.year, pv.period_type, pv.period, e.area_id, e.primary_node_id",
        ["revenue", year - 4, year],
    )


def cockpit_floor_sql(version_id: int, year: int, month: int) -> tuple[str, list[Any]]:
    table = IndicatorValue._meta.db_table
    # Table name from model metadata; values are parameters.
    return (
        f"SELECT goal_id, year, month, scope_kind, scope_key, value, forecast, status FROM {table} "  # noqa: S608
        f"WHERE plan_version_id = %s AND ((scope_kind = 'city' AND year IN (%s, %s)) "
        f"OR (scope_kind IN ('area', 'segment') AND year = %s AND month = %s))",
        [version_id, year - 1, year, year, month],
    )


def cockpit_data(user: Any) -> Any:
    """What the cockpit page needs from the database and computes: the panels and chart specs."""
    data = selectors.cockpit(user=user)
    assert data.period is not None
    specs = [charts.trend_chart(p, data.period.year) for p in data.panels]
    specs.append(charts.progress_chart(data.panels))
    return data, specs


def run(out: TextIO, argv: list[str]) -> int:
    """Entry point of ``semicluster bench indicators [--repeats N]``; exit status 1 if a goal is missed."""
    parser = argparse.ArgumentParser(prog="semicluster bench indicators")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args(argv)
    timings = measure(out, repeats=options.repeats)
    return 0 if all(ok for _label, ok in verdicts(timings)) else 1


def verdicts(timings: list[Timing]) -> list[tuple[str, bool]]:
    refresh_t, cockpit_t = timings
    return [
        ("full refresh < 10 s", refresh_t.seconds < REFRESH_GOAL_S),
        ("full refresh within 5× the floor", refresh_t.ratio <= REFRESH_FLOOR_RATIO),
        ("cockpit data < 200 ms", cockpit_t.seconds * 1000 < COCKPIT_GOAL_MS),
    ]


def measure(out: TextIO, repeats: int = 3) -> list[Timing]:
    version = current_plan_version()
    if version is None:
        raise RuntimeError("No plan is loaded.")
    firms = Enterprise.objects.count()
    values = PeriodValue.objects.count()
    out.write(f"database: {connection.vendor} · {firms} enterprises · {values} period values\n")
    year = int(version.plan.year)

    refresh = _best(lambda: indicators_refresh(plan_version=version), repeats)
    sql, params = refresh_floor_sql(year)
    floor = _best(_sql(sql, params), repeats)
    rows = IndicatorValue.objects.filter(plan_version=version).count()
    timings = [Timing(f"full refresh ({rows} rows)", refresh, floor)]

    leader = SimpleNamespace(
        is_authenticated=True, is_active=True, is_superuser=False, role="leader", area_id=None
    )
    fill = selectors.fill_state(version)
    assert fill is not None and fill.data_year is not None
    cockpit_data(leader)  # warm the connection and caches once, as a running server would be
    with CaptureQueriesContext(connection) as captured:
        cockpit_data(leader)
    cockpit = _best(lambda: cockpit_data(leader), max(repeats, 5))
    sql, params = cockpit_floor_sql(version.pk, fill.data_year, fill.data_month or 0)
    cockpit_floor = _best(_sql(sql, params), max(repeats, 5))
    timings.append(Timing("cockpit data", cockpit, cockpit_floor, len(captured.captured_queries)))

    out.write(f"{'what':<28} {'time':>10} {'floor (1 SQL)':>14} {'ratio':>7}  queries\n")
    for t in timings:
        out.write(
            f"{t.name:<28} {t.seconds * 1000:>8.0f} ms {t.floor_seconds * 1000:>11.0f} ms {t.ratio:>6.1f}×  "
            f"{'' if t.queries is None else t.queries}\n"
        )
    for label, ok in verdicts(timings):
        out.write(f"  {'met ' if ok else 'MISSED'} {label}\n")
    return timings


BENCHMARKS = {"indicators": run}
