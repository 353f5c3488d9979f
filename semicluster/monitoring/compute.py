"""The indicator engine: every goal of a plan version computed from the records, set-based.

Enterprise figures are aggregated in SQL grouped by (period, plan area, primary chain node) — a few
queries per goal, whatever the number of firms — and rolled up here to the city, each area, each
chain segment and each chain node, so the parts always add up to the whole. Money is summed in
integer fen (``CAST(ROUND(value * 100) AS BIGINT)``): SQLite keeps decimals as binary floats, and a
sum of floats is not an exact figure; integer sums are exact on both databases.

Year-to-date semantics (SPEC §4): a month's figure is the sum of the firms' year-to-date reports
for that month; a firm that has not reported that month is *missing* (counted, never taken as zero);
cumulative values are never added across months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Round

from semicluster.core.formatting import money
from semicluster.enterprises.models import Basis, Enterprise, PeriodType, PeriodValue
from semicluster.monitoring import integrations
from semicluster.monitoring.definitions import (
    COUNT,
    PROJECT_INVESTMENT,
    PROJECT_MILESTONES,
    SUM,
    THRESHOLD,
    Calendar,
    IndicatorDef,
    Period,
    Scope,
    Topology,
    data_calendar,
    held_designations,
    indicator_defs,
)
from semicluster.monitoring.forecast import (
    Forecast,
    ShareStats,
    StatusThresholds,
    YearShare,
    actual_forecast,
    change_percent,
    percent_of,
    seasonal_forecast,
    share_stats,
    status_for,
    stock_forecast,
    straight_line_forecast,
    with_late_reporters,
)
from semicluster.monitoring.models import IndicatorValue, ScopeKind
from semicluster.plans.models import PlanVersion

ScopeKey = tuple[str, str]
Cell = tuple[int, int]  # (area id, primary node id)
FEN = Decimal(100)


def periods_q(periods: Iterable[Period]) -> Q:
    """PeriodValue rows of the given periods: full years (annual reports) and year-to-date months."""
    periods = list(periods)
    annual = sorted({p.year for p in periods if p.is_annual})
    q = Q(pk__in=[])
    if annual:
        q |= Q(period_type=PeriodType.YEAR, period=0, year__in=annual)
    by_year: dict[int, list[int]] = defaultdict(list)
    for p in periods:
        if not p.is_annual:
            by_year[p.year].append(p.month)
    for year, months in sorted(by_year.items()):
        q |= Q(period_type=PeriodType.MONTH, basis=Basis.YTD, year=year, period__in=sorted(months))
    return q


def fen_sum(expression: Any) -> Sum:
    return Sum(Cast(Round(expression * 100), BigIntegerField()))


def from_fen(value: Any) -> Decimal:
    return Decimal(int(value or 0)) / FEN


@dataclass
class Figure:
    """The computed part of one row, before target, year-on-year and status are attached."""

    value: Decimal
    reporting: int | None = None
    expected: int | None = None
    forecast: Forecast | None = None
    note: str = ""


@dataclass
class Row:
    goal_id: int
    period: Period
    scope: ScopeKey
    figure: Figure
    target: Decimal | None = None
    progress: Decimal | None = None
    previous: Decimal | None = None
    yoy: Decimal | None = None
    status: str = ""

    @property
    def key(self) -> tuple[int, int, int, str, str]:
        return (self.goal_id, self.period.year, self.period.month, self.scope[0], self.scope[1])

    def as_fields(self, version_id: int | None) -> dict[str, Any]:
        """The stored row as IndicatorValue field values (attnames), keyed like ``VALUE_FIELDS``."""
        f = self.figure
        fc = f.forecast
        missing = None if f.expected is None or f.reporting is None else f.expected - f.reporting
        notes = [n for n in (f.note, fc.note if fc else "") if n]
        return {
            "plan_version": version_id,
            "goal": self.goal_id,
            "year": self.period.year,
            "month": self.period.month,
            "scope_kind": self.scope[0],
            "scope_key": self.scope[1],
            "value": f.value,
            "reporting": f.reporting,
            "missing": missing,
            "target": self.target,
            "progress": self.progress,
            "previous": self.previous,
            "yoy": self.yoy,
            "forecast": fc.value if fc else None,
            "forecast_low": fc.low if fc else None,
            "forecast_high": fc.high if fc else None,
            "forecast_method": fc.method if fc else "",
            "method_note": "\n".join(notes),
            "status": self.status,
        }

    def as_model(self, version: PlanVersion | None) -> IndicatorValue:
        fields = self.as_fields(version.pk if version is not None else None)
        ids = {"plan_version_id": fields.pop("plan_version"), "goal_id": fields.pop("goal")}
        return IndicatorValue(**ids, **fields)


@dataclass
class Settings:
    history_years: int = 3
    thresholds: StatusThresholds = field(default_factory=StatusThresholds)

    @classmethod
    def from_version(cls, version: PlanVersion) -> Settings:
        monitoring = version.document.get("monitoring") or {}
        forecast = monitoring.get("forecast") or {}
        return cls(
            history_years=int(forecast.get("history_years", 3)),
            thresholds=StatusThresholds.from_plan(monitoring),
        )


def rollup(topology: Topology, cells: dict[Cell, list[Any]], width: int) -> dict[ScopeKey, list[Any]]:
    """Sum per-(area, node) vectors into every scope row; every scope gets a row, zeros included."""
    out: dict[ScopeKey, list[Any]] = {key: [0] * width for key in topology.scope_keys()}
    for (area_id, node_id), vector in cells.items():
        for key in topology.keys_of(area_id, node_id):
            target = out[key]
            for i, v in enumerate(vector):
                target[i] += v
    return out


class Engine:
    """One refresh's worth of computation; caches what several goals share (same measure, scope)."""

    def __init__(self, version: PlanVersion, *, topology: Topology | None = None) -> None:
        self.version = version
        self.settings = Settings.from_version(version)
        self.topology = topology or Topology.load()
        self.defs = indicator_defs(version)
        measures = sorted({d.measure for d in self.defs if d.measure})
        self.calendar: Calendar = data_calendar(int(version.plan.year), measures)
        self._cells: dict[Any, dict[Period, dict[Cell, list[Any]]]] = {}
        self._expected: dict[Any, dict[int, dict[Cell, list[Any]]]] = {}
        self._late: dict[Any, dict[int, dict[Cell, list[Any]]]] = {}
        self._shares: dict[Any, dict[Period, dict[Cell, dict[int, list[Any]]]]] = {}
        self._candidates: dict[Any, dict[Period, list[tuple[int, int, int, Decimal, Decimal]]]] = {}

    # -- public -----------------------------------------------------------------------------
    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for definition in self.defs:
            rows.extend(self.goal_rows(definition))
        return rows

    def goal_rows(self, d: IndicatorDef) -> list[Row]:
        if d.kind == SUM:
            figures = self._sum(d)
        elif d.kind == COUNT:
            figures = self._count(d)
        elif d.kind == THRESHOLD:
            figures = self._threshold(d)
        elif d.kind in (PROJECT_INVESTMENT, PROJECT_MILESTONES):
            figures = self._projects(d)
        else:
            raise ValueError(
                f"目标 {d.code}：未知指标类型 {d.kind!r} / goal {d.code}: unknown indicator kind"
            )
        return self._finish(d, figures)

    # -- enterprise aggregates --------------------------------------------------------------
    def _enterprises(self, scope: Scope, as_of: Any) -> Any:
        q = scope.enterprise_q(as_of)
        return None if not q else Enterprise.objects.filter(q).values("id")

    def _scope_sql(self, scope: Scope, as_of: Any, column: str) -> tuple[str, list[Any]]:
        """The goal scope as a condition on ``column`` for the hand-written queries: " AND column IN
        (subquery)" and its parameters, or nothing when the scope is the whole plan region."""
        firms = self._enterprises(scope, as_of)
        if firms is None:
            return "", []
        sub_sql, sub_params = firms.query.sql_with_params()
        return f" AND {column} IN ({sub_sql})", list(sub_params)

    def _batches(self, scope: Scope, periods: Iterable[Period]) -> dict[Any, list[Period]]:
        """Periods grouped so one query serves each group: by year and type, and by period end
        too when the scope depends on it (designations held at the end of the period)."""
        groups: dict[Any, list[Period]] = defaultdict(list)
        for p in periods:
            # One scan for every period, unless designations make the scope differ by period.
            groups[p.end if scope.period_dependent else None].append(p)
        return groups

    def measure_cells(self, measure: str, scope: Scope) -> dict[Period, dict[Cell, list[Any]]]:
        """{period: {(area, node): [sum in yuan, firms reporting]}} for every period of the calendar."""
        key = (measure, scope)
        if key in self._cells:
            return self._cells[key]
        result: dict[Period, dict[Cell, list[Any]]] = {p: {} for p in self.calendar.periods}
        for as_of, periods in self._batches(scope, self.calendar.periods).items():
            qs = PeriodValue.objects.filter(periods_q(periods), measure=measure)
            firms = self._enterprises(scope, as_of or periods[0].end)
            if firms is not None:
                qs = qs.filter(enterprise__in=firms)
            grouped = (
                qs.values(
                    "year", "period_type", "period", "enterprise__area_id", "enterprise__primary_node_id"
                )
                .order_by()
                .annotate(total=fen_sum(F("value")), n=Count("id"))
            )
            for g in grouped:
                cell = (g["enterprise__area_id"], g["enterprise__primary_node_id"])
                period = Period(g["year"], 0 if g["period_type"] == PeriodType.YEAR else g["period"])
                if period in result:
                    result[period][cell] = [from_fen(g["total"]), g["n"]]
        self._cells[key] = result
        return result

    def expected_cells(self, measure: str, scope: Scope, period: Period) -> dict[Cell, list[Any]]:
        """Firms expected to report in ``period``'s year: those with any figure of the measure in
        that year or the year before (a firm that stopped reporting for two years is not chased).
        One scan counts them for every year of the calendar (COUNT DISTINCT … FILTER per year)."""
        as_of = period.end if scope.period_dependent else None
        key = (measure, scope, as_of)
        if key not in self._expected:
            years = sorted({p.year for p in self.calendar.periods})
            span = list(range(years[0] - 1, years[-1] + 1))
            pv, ent = PeriodValue._meta.db_table, Enterprise._meta.db_table
            # Two levels instead of COUNT(DISTINCT … ) FILTER per year: first one row per firm saying
            # in which years it reported (streamed from the index), then the counts per cell.
            has_year = ", ".join(f"MAX(CASE WHEN year = %s THEN 1 ELSE 0 END) AS y{y}" for y in span)
            counts = ", ".join(
                f"SUM(CASE WHEN f.y{y - 1} = 1 OR f.y{y} = 1 THEN 1 ELSE 0 END)" for y in years
            )
            params: list[Any] = [*span, measure, span[0], span[-1]]
            where_scope, scope_params = self._scope_sql(scope, as_of or period.end, "enterprise_id")
            params += scope_params
            # Table names come from model metadata and the scope subquery from the ORM; every value
            # is a parameter.
            sql = f"""
                SELECT e.area_id, e.primary_node_id, {counts}
                FROM (
                    SELECT enterprise_id, {has_year} FROM {pv}
                    WHERE measure = %s AND year >= %s AND year <= %s{where_scope}
                    GROUP BY enterprise_id
                ) f
                JOIN {ent} e ON e.id = f.enterprise_id
                GROUP BY e.area_id, e.primary_node_id
            """  # noqa: S608
            by_year: dict[int, dict[Cell, list[Any]]] = {y: {} for y in years}
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for area_id, node_id, *per_year in cursor.fetchall():
                    for y, n in zip(years, per_year, strict=True):
                        by_year[y][(area_id, node_id)] = [int(n or 0)]
            self._expected[key] = by_year
        return self._expected[key][period.year]

    def late_cells(self, measure: str, scope: Scope, period: Period) -> dict[Cell, list[Any]]:
        """Expected firms that have not reported ``period`` (a month): per (area, node), their summed
        year-to-date figure of the same month last year and their number. One scan per year serves
        every month of it. Firms without last year's figure are not estimated (and stay "missing")."""
        as_of = period.end if scope.period_dependent else None
        key = (measure, scope, period.year, as_of)
        if key not in self._late:
            months = [p.month for p in self.calendar.periods if p.year == period.year and not p.is_annual]
            pv, ent = PeriodValue._meta.db_table, Enterprise._meta.db_table
            params: list[Any] = [measure, period.year - 1, *months, period.year]
            where_scope, scope_params = self._scope_sql(scope, as_of or period.end, "prev.enterprise_id")
            params += scope_params
            # Table names come from model metadata and the scope subquery from the ORM; every value
            # is a parameter.
            sql = f"""
                SELECT prev.period, e.area_id, e.primary_node_id,
                       SUM(CAST(ROUND(prev.value * 100) AS BIGINT)), COUNT(*)
                FROM {pv} prev
                JOIN {ent} e ON e.id = prev.enterprise_id
                WHERE prev.measure = %s AND prev.period_type = 'M' AND prev.basis = 'ytd' AND prev.year = %s
                      AND prev.period IN ({", ".join(["%s"] * len(months))})
                      AND NOT EXISTS (
                          SELECT 1 FROM {pv} cur
                          WHERE cur.enterprise_id = prev.enterprise_id AND cur.measure = prev.measure
                            AND cur.period_type = 'M' AND cur.basis = 'ytd' AND cur.year = %s
                            AND cur.period = prev.period
                      ){where_scope}
                GROUP BY prev.period, e.area_id, e.primary_node_id
            """  # noqa: S608
            by_month: dict[int, dict[Cell, list[Any]]] = defaultdict(dict)
            if months:
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    for month, area_id, node_id, fen, n in cursor.fetchall():
                        by_month[month][(area_id, node_id)] = [from_fen(fen), n]
            self._late[key] = by_month
        return self._late[key].get(period.month, {})

    def share_cells(self, measure: str, scope: Scope) -> dict[Period, dict[Cell, dict[int, list[Any]]]]:
        """For each monthly period: per (area, node) and history year, the matched firms' summed YTD
        for that month, their summed full-year figure, and their number. Matched firms reported the
        current month and have both the month's YTD and the annual figure in the history year."""
        key = (measure, scope)
        if key in self._shares:
            return self._shares[key]
        result: dict[Period, dict[Cell, dict[int, list[Any]]]] = defaultdict(lambda: defaultdict(dict))
        pv, ent = PeriodValue._meta.db_table, Enterprise._meta.db_table
        monthly = [p for p in self.calendar.periods if not p.is_annual]
        history = {(p.year - k, p.month) for p in monthly for k in range(1, self.settings.history_years + 1)}
        # Indexed probes on the full (measure, year, type, period) key; a looser filter lets the
        # planner pick a sequential scan that reads the whole table when nothing matches.
        has_history = any(
            PeriodValue.objects.filter(
                measure=measure, year=y, period_type=PeriodType.MONTH, period=m
            ).exists()
            for y, m in sorted(history)
        )
        if not has_history:  # no earlier monthly reports: nothing to join (straight-line fallback)
            monthly = []
        by_year: dict[tuple[int, Any], list[Period]] = defaultdict(list)
        for as_of, periods in self._batches(scope, monthly).items():
            for p in periods:
                by_year[(p.year, as_of)].append(p)
        for (year, as_of), periods in by_year.items():
            months = [p.month for p in periods]
            params: list[Any] = [self.settings.history_years, measure, year]
            params += months
            where_scope, scope_params = self._scope_sql(scope, as_of or periods[0].end, "cur.enterprise_id")
            params += scope_params
            # Table names come from model metadata and the scope subquery from the ORM; every value
            # is a parameter.
            sql = f"""
                SELECT cur.period, e.area_id, e.primary_node_id, h.year,
                       SUM(CAST(ROUND(h.value * 100) AS BIGINT)),
                       SUM(CAST(ROUND(a.value * 100) AS BIGINT)), COUNT(*)
                FROM {pv} cur
                JOIN {ent} e ON e.id = cur.enterprise_id
                JOIN {pv} h ON h.enterprise_id = cur.enterprise_id AND h.measure = cur.measure
                     AND h.period_type = 'M' AND h.basis = 'ytd' AND h.period = cur.period
                     AND h.year < cur.year AND h.year >= cur.year - %s
                JOIN {pv} a ON a.enterprise_id = cur.enterprise_id AND a.measure = cur.measure
                     AND a.period_type = 'A' AND a.period = 0 AND a.year = h.year
                WHERE cur.measure = %s AND cur.period_type = 'M' AND cur.basis = 'ytd' AND cur.year = %s
                      AND cur.period IN ({", ".join(["%s"] * len(months))}){where_scope}
                GROUP BY cur.period, e.area_id, e.primary_node_id, h.year
            """  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for month, area_id, node_id, h_year, ytd, annual, n in cursor.fetchall():
                    result[Period(year, month)][(area_id, node_id)][h_year] = [
                        from_fen(ytd),
                        from_fen(annual),
                        n,
                    ]
        self._shares[key] = result
        return result

    def share_stats_by_scope(
        self, measure: str, scope: Scope, period: Period
    ) -> dict[ScopeKey, ShareStats | None]:
        cells = self.share_cells(measure, scope).get(period, {})
        by_scope: dict[ScopeKey, dict[int, list[Any]]] = defaultdict(dict)
        for (area_id, node_id), years in cells.items():
            for key in self.topology.keys_of(area_id, node_id):
                for h_year, (ytd, annual, n) in years.items():
                    acc = by_scope[key].setdefault(h_year, [Decimal(0), Decimal(0), 0])
                    acc[0] += ytd
                    acc[1] += annual
                    acc[2] += n
        return {
            key: share_stats([YearShare(y, v[0], v[1], v[2]) for y, v in sorted(by_scope[key].items())])
            for key in self.topology.scope_keys()
        }

    # -- kinds ------------------------------------------------------------------------------
    def _sum(self, d: IndicatorDef) -> dict[Period, dict[ScopeKey, Figure]]:
        cells = self.measure_cells(d.measure, d.scope)
        out: dict[Period, dict[ScopeKey, Figure]] = {}
        for period in self.calendar.periods:
            values = rollup(self.topology, cells[period], 2)
            expected = rollup(self.topology, self.expected_cells(d.measure, d.scope, period), 1)
            stats = {} if period.is_annual else self.share_stats_by_scope(d.measure, d.scope, period)
            late = (
                {}
                if period.is_annual
                else rollup(self.topology, self.late_cells(d.measure, d.scope, period), 2)
            )
            figures = {}
            for key, (total, n) in values.items():
                total = Decimal(total)
                if period.is_annual:
                    forecast = actual_forecast(total)
                else:
                    # The value stays as reported; the forecast (and so the status) also counts the
                    # firms that have not reported yet, at last year's same-month figure, so a late
                    # report does not read as a collapse.
                    estimated, firms = late.get(key, (0, 0))
                    forecast = with_late_reporters(
                        seasonal_forecast(total + Decimal(estimated), period.month, stats.get(key)),
                        firms,
                        Decimal(estimated),
                    )
                figures[key] = Figure(total, reporting=n, expected=expected[key][0], forecast=forecast)
            out[period] = figures
        return out

    def _count(self, d: IndicatorDef) -> dict[Period, dict[ScopeKey, Figure]]:
        out: dict[Period, dict[ScopeKey, Figure]] = {}
        for period in self.calendar.periods:
            qs, note = count_queryset(d, period)
            grouped = qs.values("area_id", "primary_node_id").order_by().annotate(n=Count("id"))
            cells = {(g["area_id"], g["primary_node_id"]): [g["n"]] for g in grouped}
            out[period] = {
                key: Figure(Decimal(n), forecast=stock_forecast(Decimal(n)), note=note)
                for key, (n,) in rollup(self.topology, cells, 1).items()
            }
        return out

    def _threshold(self, d: IndicatorDef) -> dict[Period, dict[ScopeKey, Figure]]:
        assert d.threshold is not None, f"goal {d.code}: threshold_crossing needs a threshold"
        cells = self.measure_cells(d.measure, d.scope)
        rules = {period: self._rule(d, period) for period in self.calendar.periods}
        candidates = self.threshold_candidates(d)
        out: dict[Period, dict[ScopeKey, Figure]] = {}
        for period, rule in rules.items():
            reporting = rollup(self.topology, cells[period], 2)
            expected = rollup(self.topology, self.expected_cells(d.measure, d.scope, period), 1)
            counts: dict[ScopeKey, list[int]] = {key: [0, 0, 0, 0] for key in self.topology.scope_keys()}
            for _firm, area_id, node_id, value, prev in candidates.get(period, []):
                if prev >= d.threshold:
                    continue  # a candidate for another goal with a higher threshold
                flags = rule.flags(value)
                for key in self.topology.keys_of(area_id, node_id):
                    for i, flag in enumerate(flags):
                        counts[key][i] += flag
            figures = {}
            for key, (crossed, expect, low, high) in counts.items():
                value = Decimal(crossed)
                if period.is_annual or period.month == 12:
                    forecast = actual_forecast(value)
                else:
                    forecast = Forecast(Decimal(expect), Decimal(low), Decimal(high), rule.method, rule.note)
                figures[key] = Figure(
                    value,
                    reporting=reporting[key][1],
                    expected=expected[key][0],
                    forecast=forecast,
                    note=rule.value_note,
                )
            out[period] = figures
        return out

    def threshold_candidates(
        self, d: IndicatorDef
    ) -> dict[Period, list[tuple[int, int, int, Decimal, Decimal]]]:
        """Candidate firms for every threshold goal on the same measure and scope, in one scan per
        batch of periods: the lowest bound and the highest threshold of those goals select them, and
        each goal keeps its own (the flags and ``prev < threshold`` are exact Decimals in Python)."""
        key = (d.measure, d.scope)
        if key not in self._candidates:
            siblings = [x for x in self.defs if x.kind == THRESHOLD and (x.measure, x.scope) == key]
            if d not in siblings:
                siblings.append(d)
            if not self.calendar.periods:  # no data at all yet: nothing can have crossed
                self._candidates[key] = {}
                return self._candidates[key]
            bound = min(self._rule(x, p).bound for x in siblings for p in self.calendar.periods)
            threshold = max(x.threshold or Decimal(0) for x in siblings)
            self._candidates[key] = crossing_candidates_batch(
                d.measure, d.scope, threshold, bound, self._batches(d.scope, self.calendar.periods)
            )
        return self._candidates[key]

    def _rule(self, d: IndicatorDef, period: Period) -> CrossingRule:
        stats = None
        if not period.is_annual and period.month != 12:
            stats = self.share_stats_by_scope(d.measure, d.scope, period)[("city", "")]
        return CrossingRule(d.threshold or Decimal(0), period, stats)

    def _projects(self, d: IndicatorDef) -> dict[Period, dict[ScopeKey, Figure]]:
        out: dict[Period, dict[ScopeKey, Figure]] = {}
        for period in self.calendar.periods:
            records = project_records_by_scope(d, period, self.topology)
            figures = {}
            for key, records_of in records.items():
                if records_of is None:
                    figures[key] = Figure(Decimal(0), note=integrations.PROJECTS_ABSENT)
                    continue
                value = sum(records_of.values(), Decimal(0))
                if period.is_annual:
                    forecast = actual_forecast(value)
                else:
                    what = "项目投资" if d.kind == PROJECT_INVESTMENT else "项目节点数"
                    forecast = straight_line_forecast(value, period.month, what)
                figures[key] = Figure(value, forecast=forecast)
            out[period] = figures
        return out

    # -- target, year on year, status -------------------------------------------------------
    def _finish(self, d: IndicatorDef, figures: dict[Period, dict[ScopeKey, Figure]]) -> list[Row]:
        rows = []
        for period, by_scope in figures.items():
            previous = figures.get(period.previous_year(), {})
            for key, figure in by_scope.items():
                row = Row(d.goal_id, period, key, figure)
                before = previous.get(key)
                if before is not None:
                    row.previous = before.value
                    row.yoy = change_percent(figure.value, before.value)
                if key[0] == ScopeKind.CITY:
                    row.target = d.target
                    row.progress = percent_of(figure.value, d.target)
                    if period.year == d.year:
                        row.status = status_for(
                            value=figure.value,
                            forecast=figure.forecast.value if figure.forecast else None,
                            target=d.target,
                            comparison=d.comparison,
                            thresholds=self.settings.thresholds,
                            final=period.is_annual or period.month == 12,
                        )
                rows.append(row)
        return rows


def count_queryset(d: IndicatorDef, period: Period) -> tuple[Any, str]:
    """Enterprises counted by a ``count`` indicator at the end of ``period``, and a note."""
    as_of = period.end
    condition = d.condition
    qs = Enterprise.objects.filter(
        d.scope.enterprise_q(as_of, with_designations=condition != "has_designation")
    )
    note = ""
    if condition == "has_designation":
        qs = qs.filter(
            Exists(held_designations(d.scope.designations, as_of).filter(enterprise=OuterRef("pk")))
        )
    elif condition == "in_tier":
        if not d.scope.tiers:
            qs = qs.exclude(tier="")
    elif condition == "innovation_leader_member":
        members = integrations.leader_member_ids(as_of)
        if members is None:
            note = integrations.LEADERS_ABSENT
            members = set()
        qs = qs.filter(id__in=sorted(members))
    else:
        raise ValueError(
            f"目标 {d.code}：未知条件 {condition!r} / goal {d.code}: unknown condition {condition!r}"
        )
    return qs, note


@dataclass
class CrossingRule:
    """Which firms crossed the threshold, or are expected to, in a period.

    Shown value: firms at or above the threshold *already* (YTD, or the annual figure) that were below
    it the previous full year. Forecast: those plus firms whose YTD ÷ the seasonal share of the month
    reaches it (range: the lowest and highest share); straight-line (× 12 ÷ month) without history.
    """

    threshold: Decimal
    period: Period
    stats: ShareStats | None

    @property
    def final(self) -> bool:
        return self.period.is_annual or self.period.month == 12

    @cached_property
    def shares(self) -> tuple[Decimal, Decimal, Decimal]:
        """(average, high, low) share of the year reached by the month."""
        if self.final:
            return (Decimal(1), Decimal(1), Decimal(1))
        if self.stats is None:
            line = Decimal(self.period.month) / 12
            return (line, line, line)
        return (self.stats.average, self.stats.high, self.stats.low)

    @cached_property
    def bound(self) -> Decimal:
        # Candidates for any of the flags: YTD at least threshold × the lowest share (a little
        # under it, as SQLite compares binary floats; the flags themselves are exact Decimals).
        return self.threshold * min(self.shares) * Decimal("0.999")

    def flags(self, value: Decimal) -> tuple[int, int, int, int]:
        average, high, low = self.shares
        return (
            int(value >= self.threshold),
            int(value >= self.threshold * average),
            int(value >= self.threshold * high),
            int(value >= self.threshold * low),
        )

    @property
    def method(self) -> str:
        return "seasonal_share" if self.stats is not None else "straight_line"

    @cached_property
    def note(self) -> str:
        forecast = seasonal_forecast(Decimal(0), self.period.month, self.stats)
        return (
            "预计跨越：上年低于门槛、本年累计按下述方法推算全年达到门槛的企业数（含已跨越） / "
            "expected: firms below the threshold last year whose year-end estimate reaches it "
            "(incl. those already above); " + forecast.note
        )

    @cached_property
    def value_note(self) -> str:
        shown = money(self.threshold)
        return (
            f"已跨越：本期累计 ≥ {shown}且上年全年 < {shown}的企业数 / already "
            f"crossed: firms whose figure to date is at or above {shown} and whose previous "
            f"full year was below it (firms without a previous-year figure are not counted)"
        )


def crossing_candidates(
    d: IndicatorDef, period: Period, bound: Decimal
) -> list[tuple[int, int, int, Decimal, Decimal]]:
    """(firm, area, node, figure to date, previous full year) for firms below the threshold last year
    whose figure to date is at least ``bound``; few rows, so the flags are computed in Python."""
    assert d.threshold is not None
    qs = PeriodValue.objects.filter(
        measure=d.measure,
        year=period.year,
        period_type=PeriodType.YEAR if period.is_annual else PeriodType.MONTH,
        period=period.month,
        value__gte=bound,
    )
    if not period.is_annual:
        qs = qs.filter(basis=Basis.YTD)
    scope_q = d.scope.enterprise_q(period.end)
    if scope_q:
        qs = qs.filter(enterprise__in=Enterprise.objects.filter(scope_q).values("id"))
    qs = qs.annotate(prev=Subquery(_previous_year(d.measure))).filter(prev__lt=d.threshold)
    return [
        (firm, area, node, value, prev)
        for firm, area, node, value, prev in qs.values_list(
            "enterprise_id", "enterprise__area_id", "enterprise__primary_node_id", "value", "prev"
        ).order_by("enterprise_id")
        if prev < d.threshold
    ]


def crossing_candidates_batch(
    measure: str, scope: Scope, threshold: Decimal, bound: Decimal, batches: dict[Any, list[Period]]
) -> dict[Period, list[tuple[int, int, int, Decimal, Decimal]]]:
    """``crossing_candidates`` for many periods at once (one query per batch of periods): firms whose
    figure is at least ``bound`` and whose previous full year is below ``threshold``."""
    found: dict[Period, list[tuple[int, int, int, Decimal, Decimal]]] = defaultdict(list)
    for as_of, periods in batches.items():
        qs = PeriodValue.objects.filter(periods_q(periods), measure=measure, value__gte=bound)
        scope_q = scope.enterprise_q(as_of or periods[0].end)
        if scope_q:
            qs = qs.filter(enterprise__in=Enterprise.objects.filter(scope_q).values("id"))
        qs = qs.annotate(prev=Subquery(_previous_year(measure))).filter(prev__lt=threshold)
        wanted = set(periods)
        rows = qs.values_list(
            "year",
            "period",
            "enterprise_id",
            "enterprise__area_id",
            "enterprise__primary_node_id",
            "value",
            "prev",
        ).order_by("enterprise_id")
        for year, month, firm, area, node, value, prev in rows:
            period = Period(year, month)
            if period in wanted and prev < threshold:
                found[period].append((firm, area, node, value, prev))
    return found


def _previous_year(measure: str) -> Any:
    """The previous full-year figure of the outer row's firm (no ordering: one row at most)."""
    return (
        PeriodValue.objects.filter(
            enterprise=OuterRef("enterprise"),
            measure=measure,
            year=OuterRef("year") - 1,
            period_type=PeriodType.YEAR,
            period=0,
        )
        .order_by()
        .values("value")[:1]
    )


def project_records(
    d: IndicatorDef, period: Period, areas: list[str] | None, nodes: list[str] | None
) -> dict[int, Decimal] | None:
    """{project id: amount (investment) or 1 (milestone)} from the projects app; None when absent."""
    if d.kind == PROJECT_INVESTMENT:
        return integrations.project_investment(
            year=period.year, month=period.through_month, area_codes=areas, node_codes=nodes
        )
    ids = integrations.project_milestones(
        milestone=d.milestone,
        year=period.year,
        through_month=period.through_month,
        area_codes=areas,
        node_codes=nodes,
    )
    return None if ids is None else {pk: Decimal(1) for pk in ids}


def project_records_by_scope(
    d: IndicatorDef, period: Period, topology: Topology
) -> dict[ScopeKey, dict[int, Decimal] | None]:
    """{scope: {project id: amount (investment) or 1 (milestone)}}; None when projects is absent.

    One query for the goal's own scope, then split by each project's area and node: a project has one
    of each, so an area's (a node's) records are exactly the city's records located there. A segment is
    the union of its nodes' projects (a project counts once however many nodes match)."""
    city = project_records(d, period, d.scope.project_area_codes(), d.scope.project_node_codes(topology))
    if city is None:
        return {key: None for key in topology.scope_keys()}
    if not city:  # every breakdown is a part of the city's records: nothing to ask for
        return {key: {} for key in topology.scope_keys()}
    places = integrations.project_places(list(city))
    out: dict[ScopeKey, dict[int, Decimal] | None] = {("city", ""): city}
    for code in topology.areas.values():
        out[("area", code)] = {pk: v for pk, v in city.items() if places.get(pk, ("", ""))[0] == code}
    by_segment: dict[str, dict[int, Decimal]] = {s: {} for s in topology.segments}
    for node in topology.nodes.values():
        found = {pk: v for pk, v in city.items() if places.get(pk, ("", ""))[1] == node.code}
        out[("node", node.code)] = found
        by_segment[node.segment].update(found)
    for segment, found in by_segment.items():
        out[("segment", segment)] = found
    return out


def compute_rows(version: PlanVersion) -> list[Row]:
    return Engine(version).rows()
