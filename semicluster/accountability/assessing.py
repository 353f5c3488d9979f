"""Year-end target-responsibility assessment (目标责任考核) on the platform's data.

Raw values per subject come from the work items (completion, timeliness), the monitoring app (goal
contribution) and the projects app (lights); ``assessment.assess`` turns them into scores with a
breakdown. A criterion for which *no* subject has data (e.g. goal contribution while monitoring is
not available, or task completion for areas, which own no work items) is left out of that ranking
and listed as not assessed: scoring everybody 0 on it would only dilute the criteria that were
measured. The remaining weights are re-scaled by ``assess`` (points = score × weight ÷ Σ weights).
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from semicluster.accountability import engine, integrations, selectors
from semicluster.accountability.assessment import (
    MEASURES,
    Criterion,
    Ranking,
    assess,
    completion_rate,
    criteria_from_plan,
    lights_score,
)
from semicluster.accountability.models import WorkItem
from semicluster.plans.models import Area, PlanVersion


@dataclass(frozen=True)
class AssessmentResult:
    subject_kind: str  # "units" or "areas"
    as_of: date
    names: dict[str, str]
    ranking: Ranking
    assessed: tuple[Criterion, ...]
    not_assessed: tuple[Criterion, ...]


def plan_criteria(version: PlanVersion) -> list[Criterion]:
    section = version.document.get("assessment")
    if not isinstance(section, dict):
        raise ValueError("计划文件未配置考核标准（assessment） / the plan has no assessment section")
    return criteria_from_plan(section)


def plan_subjects(version: PlanVersion) -> list[str]:
    section = version.document.get("assessment") or {}
    return list(section.get("subjects", ["units", "areas"])) if isinstance(section, dict) else ["units"]


def _goal_contribution(version: PlanVersion, as_of: date) -> dict[str, Decimal] | None:
    """Per unit: mean progress (percent of target, capped at 100) of the goals its items serve."""
    goals = integrations.goal_progress(as_of)
    if goals is None:
        return None
    progress = {g.code: min(g.percent, Decimal(100)) for g in goals if g.percent is not None}
    served: dict[str, set[str]] = defaultdict(set)
    items = WorkItem.objects.filter(plan_version=version).values_list("lead_unit__code", "goals__code")
    for unit, goal in items:
        if goal in progress:
            served[unit].add(goal)
    return {
        unit: sum((progress[g] for g in codes), Decimal(0)) / len(codes) for unit, codes in served.items()
    }


def raw_values_units(
    version: PlanVersion, as_of: date
) -> tuple[dict[str, dict[str, Decimal | None]], dict[str, str]]:
    facts = selectors.reporting_facts(version)
    statuses = engine.statuses(facts.items, facts.updates, as_of, facts.rules)
    due: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    for item, status in zip(facts.items, statuses, strict=True):
        if item.deadline <= as_of or status.status == engine.Status.DONE:
            due[item.lead_unit] += 1
            done[item.lead_unit] += status.status == engine.Status.DONE
    punctual = selectors.timeliness(version, as_of, facts)
    contribution = _goal_contribution(version, as_of) or {}
    lights = integrations.project_lights("unit") or {}
    units = sorted({i.lead_unit for i in facts.items})
    raw: dict[str, dict[str, Decimal | None]] = {}
    for unit in units:
        raw[unit] = {
            "task_completion_rate": completion_rate(done[unit], due[unit]),
            "update_timeliness": punctual[unit].rate if unit in punctual else None,
            "goal_contribution": contribution.get(unit),
            "project_lights": lights_score(*lights[unit]) if unit in lights else None,
        }
    return raw, {code: facts.unit_names.get(code, code) for code in units}


def raw_values_areas(version: PlanVersion) -> tuple[dict[str, dict[str, Decimal | None]], dict[str, str]]:
    lights = integrations.project_lights("area") or {}
    areas = list(Area.objects.order_by("sort"))
    raw: dict[str, dict[str, Decimal | None]] = {
        a.code: {
            "task_completion_rate": None,
            "update_timeliness": None,
            "goal_contribution": None,
            "project_lights": lights_score(*lights[a.code]) if a.code in lights else None,
        }
        for a in areas
    }
    return raw, {a.code: a.name for a in areas}


def run(version: PlanVersion, subject_kind: str, as_of: date) -> AssessmentResult:
    criteria = plan_criteria(version)
    if subject_kind == "units":
        raw, names = raw_values_units(version, as_of)
    elif subject_kind == "areas":
        raw, names = raw_values_areas(version)
    else:
        raise ValueError(f"unknown subjects {subject_kind!r}")
    measured = {m for values in raw.values() for m, v in values.items() if v is not None}
    assessed = tuple(c for c in criteria if c.measure in measured)
    not_assessed = tuple(c for c in criteria if c.measure not in measured)
    weighted = assessed and sum(c.weight for c in assessed) > 0
    ranking = assess(raw, assessed) if weighted else Ranking(())
    return AssessmentResult(subject_kind, as_of, names, ranking, assessed, not_assessed)


def _number(value: Decimal | None) -> Decimal | None:
    # openpyxl writes a Decimal's exact digits into the cell (no float round trip).
    return value


def export_xlsx(results: list[AssessmentResult]) -> bytes:
    """One sheet per subject kind: rank, subject, total, then raw / score / points per criterion."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for result in results:
        sheet = book.create_sheet("单位考核" if result.subject_kind == "units" else "区镇考核")
        sheet.append([f"目标责任考核（数据截至{result.as_of.isoformat()}）"])
        header = ["名次", "代码", "名称", "总分"]
        for c in result.assessed:
            header += [f"{c.name_zh} 原始值", f"{c.name_zh} 得分", f"{c.name_zh} 加权分（权重{c.weight}）"]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = bold
        for row in result.ranking.results:
            line: list[object] = [
                row.rank,
                row.subject,
                result.names.get(row.subject, row.subject),
                _number(row.total),
            ]
            for score in row.breakdown:
                line += [_number(score.raw), _number(score.score), _number(score.points)]
            sheet.append(line)
        for row_cells in sheet.iter_rows(min_row=3):
            for cell in row_cells[3:]:
                cell.number_format = "0.00"
        for c in result.not_assessed:
            sheet.append([f"未考核：{c.name_zh}（{MEASURES[c.measure].zh}）——无数据"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
