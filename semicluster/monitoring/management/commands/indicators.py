"""`semicluster indicators refresh` and
`semicluster indicators show [--period YYYY-MM] [--area CODE] [--format table|json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.core.formatting import money
from semicluster.monitoring.definitions import Period
from semicluster.monitoring.models import IndicatorValue, ScopeKind
from semicluster.monitoring.selectors import fill_state
from semicluster.monitoring.services import indicators_refresh
from semicluster.plans.selectors import current_plan_version


def row_dict(row: IndicatorValue) -> dict[str, Any]:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "goal": row.goal.code,
        "period": Period(row.year, row.month).code,
        "scope": row.scope_kind,
        "scope_key": row.scope_key,
        "value": text(row.value),
        "unit": row.goal.unit,
        "reporting": row.reporting,
        "missing": row.missing,
        "target": text(row.target),
        "progress_pct": text(row.progress),
        "previous": text(row.previous),
        "yoy_pct": text(row.yoy),
        "forecast": text(row.forecast),
        "forecast_low": text(row.forecast_low),
        "forecast_high": text(row.forecast_high),
        "forecast_method": row.forecast_method,
        "method_note": row.method_note,
        "status": row.status,
    }


def shown(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    return money(value) if unit == "yuan" else f"{value.normalize():f}"


class Command(BaseCommand):
    help = "Refresh or print the precomputed goal indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("refresh", help="Recompute every indicator of the current plan version.")
        show = sub.add_parser(
            "show", help="Print indicator values (default: the latest period, city and areas)."
        )
        show.add_argument("--period", help="YYYY-MM (year to date) or YYYY (full year)")
        show.add_argument("--area", help="Only this plan area's breakdown (area code)")
        show.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: object, **options: Any) -> None:
        version = current_plan_version()
        if version is None:
            raise CommandError("No plan is loaded: run `semicluster plan load FILE` first.")
        if options["action"] == "refresh":
            result = indicators_refresh(plan_version=version)
            self.stdout.write(
                f"{result.rows} indicator values for {version} (data through "
                f"{result.data_year}-{result.data_month:02d}) in {result.seconds:.2f} s"
                if result.data_year
                else f"{result.rows} indicator values for {version} in {result.seconds:.2f} s"
            )
            return
        self._show(version, options)

    def _show(self, version: Any, options: dict[str, Any]) -> None:
        if options["period"]:
            try:
                period = Period.parse(options["period"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        else:
            fill = fill_state(version)
            if fill is None or fill.data_year is None:
                raise CommandError("Indicators were never computed: run `semicluster indicators refresh`.")
            period = Period(fill.data_year, fill.data_month or 0)
        qs = IndicatorValue.objects.filter(plan_version=version, year=period.year, month=period.month)
        if options["area"]:
            qs = qs.filter(scope_kind=ScopeKind.AREA, scope_key=options["area"])
        else:
            qs = qs.filter(scope_kind__in=[ScopeKind.CITY, ScopeKind.AREA])
        rows = sorted(
            qs.select_related("goal"),
            key=lambda r: (r.goal.sort, r.scope_kind != ScopeKind.CITY, r.scope_key),  # the city first
        )
        if not rows:
            raise CommandError(
                f"No indicator values for period {period.code} (area {options['area'] or 'any'})."
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps([row_dict(r) for r in rows], ensure_ascii=False, indent=2))
            return
        header = [
            "goal",
            "scope",
            "value",
            "target",
            "progress",
            "yoy",
            "forecast (low–high)",
            "missing",
            "status",
        ]
        table = [header]
        for r in rows:
            unit = r.goal.unit
            band = (
                f"{shown(r.forecast, unit)} ({shown(r.forecast_low, unit)}–{shown(r.forecast_high, unit)})"
                if r.forecast_low is not None
                else shown(r.forecast, unit)
            )
            table.append(
                [
                    r.goal.code,
                    r.scope_key or "city",
                    shown(r.value, unit),
                    shown(r.target, unit),
                    "—" if r.progress is None else f"{r.progress}%",
                    "—" if r.yoy is None else f"{r.yoy}%",
                    band,
                    "—" if r.missing is None else str(r.missing),
                    r.status or "—",
                ]
            )
        widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
        self.stdout.write(f"period {period.code} · {version}")
        for row in table:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
