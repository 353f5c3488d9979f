"""Reads of the public portal. Everything comes from published versions of the public edition
(disclosure-controlled and immutable) or from the plan file (public text); no live record is read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import get_language

from semicluster.charts.echarts import to_echarts_option
from semicluster.charts.spec import ChartKind, ChartSpec, Series
from semicluster.plans.models import Goal
from semicluster.plans.selectors import current_plan_version
from semicluster.portal.opendata import latest_versions
from semicluster.reports.models import ReportVersion
from semicluster.reports.sdc import SUPPRESSION_SYMBOL
from semicluster.reports.selectors import published_public_versions


def english() -> bool:
    return (get_language() or "").startswith("en")


def all_versions() -> list[ReportVersion]:
    return list(published_public_versions().defer("docx", "pdf", "html", "document"))


def version_or_404(year: int, number: int | None = None) -> ReportVersion:
    qs = published_public_versions().filter(report__year=year)
    version = qs.filter(number=number).first() if number is not None else qs.first()
    if version is None:
        raise Http404("No published report.")
    return version


def dataset(version: ReportVersion | None, code: str) -> dict[str, Any] | None:
    if version is None:
        return None
    return next((d for d in version.datasets if d["code"] == code), None)


def _value(raw: Any) -> Decimal | str | None:
    if raw is None or raw == SUPPRESSION_SYMBOL:
        return raw
    return Decimal(str(raw))


UNIT_LABELS = {
    "亿元": ("亿元", "100 million yuan"),
    "enterprises": ("家", "enterprises"),
    "projects": ("个", "projects"),
}


@dataclass
class GoalRow:
    name: str
    unit: str
    target: Decimal | None
    value: Decimal | str | None
    progress: Decimal | None
    status: str
    source: str
    source_text: str


def headline_goals(version: ReportVersion | None) -> list[GoalRow]:
    data = dataset(version, "goals")
    if data is None:
        return []
    names = [f[0] for f in data["fields"]]
    rows = []
    for raw in data["rows"]:
        row = dict(zip(names, raw, strict=True))
        progress = _value(row["progress_percent"])
        rows.append(
            GoalRow(
                name=(row["name_en"] or row["name"]) if english() else row["name"],
                unit=UNIT_LABELS.get(row["unit"], (row["unit"], row["unit"]))[1 if english() else 0],
                target=_value(row["target"]),  # type: ignore[arg-type]
                value=_value(row["value"]),
                progress=progress if isinstance(progress, Decimal) else None,
                status=row["status"],
                source=row["source"],
                source_text=row["source_text"],
            )
        )
    return rows


@dataclass
class Matrix:
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Decimal | str | None]]]
    has_suppressions: bool
    area_chart: dict[str, Any] | None
    segment_chart: dict[str, Any] | None


def area_segment_matrix(version: ReportVersion | None) -> Matrix | None:
    data = dataset(version, "revenue-by-area-segment")
    if data is None:
        return None
    en = english()
    areas: dict[str, str] = {}
    segments: dict[str, str] = {}
    cells: dict[tuple[str, str], Decimal | str | None] = {}
    for _year, _month, area, a_name, a_en, segment, s_name, s_en, value in data["rows"]:
        areas.setdefault(area, a_en if en else a_name)
        segments.setdefault(segment, s_en if en else s_name)
        cells[(area, segment)] = _value(value)
    rows = [(label, [cells.get((a, s)) for s in segments]) for a, label in areas.items()]
    suppressed = any(v == SUPPRESSION_SYMBOL for v in cells.values())

    def chart(keys: list[str], labels: dict[str, str], pick: Any, title: str) -> dict[str, Any] | None:
        values = [pick(k) for k in keys]
        numbers = [v if isinstance(v, Decimal) else None for v in values]
        if not any(n is not None for n in numbers):
            return None
        spec = ChartSpec(
            kind=ChartKind.BAR,
            title=title,
            categories=tuple(labels[k] for k in keys),
            series=(Series("营业收入 revenue", tuple(numbers), unit="亿元"),),
            y_unit="亿元",
        )
        return to_echarts_option(spec)

    inner_areas = [a for a in areas if a != "total"]
    inner_segments = [s for s in segments if s != "total"]
    return Matrix(
        title=data["title_en"] if en else data["title"],
        columns=list(segments.values()),
        rows=rows,
        has_suppressions=suppressed,
        area_chart=chart(inner_areas, areas, lambda a: cells.get((a, "total")), "by area 分区域"),
        segment_chart=chart(inner_segments, segments, lambda s: cells.get(("total", s)), "by segment 分环节"),
    )


KIND_TEXT = {
    "sum": (
        "企业报表数据加总（年度数或1—N月累计数，不把累计数相加）",
        "sum of enterprises' reported figures (annual or year-to-date; "
        "cumulative figures are never added together)",
    ),
    "count": (
        "符合条件的企业数（期末存量）",
        "number of enterprises meeting the condition (a stock at the period end)",
    ),
    "threshold_crossing": (
        "本年达到门槛且上年未达到的企业数",
        "enterprises at or above the threshold this year that were below it last year",
    ),
    "project_investment": (
        "重大项目库项目本年新增完成投资",
        "investment completed this year by projects in the major-project library",
    ),
    "project_milestones": ("达到节点的重大项目数", "major projects reaching the milestone"),
}


@dataclass
class Definition:
    name: str
    target: Decimal
    unit: str
    deadline: str
    definition: str
    measure: str
    source: str
    source_text: str

    @property
    def measure_label(self) -> str:
        """The measure as statistics name it (营业收入 …), in the page's language."""
        from semicluster.enterprises.models import Measure

        if self.measure not in Measure.values:
            return self.measure
        return str(Measure(self.measure).label)


def indicator_definitions() -> list[Definition]:
    version = current_plan_version()
    if version is None:
        return []
    en = english()
    out = []
    goal: Goal
    for goal in version.goals.order_by("sort"):
        indicator = goal.indicator or {}
        zh, en_text = KIND_TEXT.get(str(indicator.get("kind", "")), ("", ""))
        threshold = indicator.get("threshold")
        if threshold:
            zh += f"（门槛 {Decimal(str(threshold)) / 100_000_000:f} 亿元）"
            en_text += f" (threshold {Decimal(str(threshold)) / 100_000_000:f} hundred million yuan)"
        out.append(
            Definition(
                name=(goal.name_en or goal.name) if en else goal.name,
                target=goal.target,
                unit=goal.unit,
                deadline=goal.deadline.isoformat(),
                definition=en_text if en else zh,
                measure=str(indicator.get("measure", "")),
                source=goal.source,
                source_text=goal.source_text,
            )
        )
    return out


__all__ = ["all_versions", "latest_versions"]
