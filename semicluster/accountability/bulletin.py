"""The periodic bulletin (定期通报工作进展, 三、1): data gathered once, then a document built from it.

``bulletin_data`` collects every figure the bulletin states into one JSON-safe dict; ``build_document``
turns that dict (plus the office's paragraph edits) into a ``documents.Document``. An issued bulletin
stores both, so what it said can always be shown next to the figures it was built from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from semicluster.accountability import engine, integrations, selectors
from semicluster.accountability.models import Bulletin, Decision, Escalation, WorkItem
from semicluster.core.formatting import money, to_yi
from semicluster.documents.model import Document, Note, Paragraph, Section, Table, TableCell
from semicluster.documents.serialize import document_from_dict
from semicluster.plans.models import PlanVersion

PERIOD_RE = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4]))$")
STATUS_ZH = {s.value: zh for s, (zh, _en) in engine.STATUS_LABELS.items()}
NOT_AVAILABLE_GOALS = "监测数据暂不可用，本期通报不含目标进展。"
NOT_AVAILABLE_PROJECTS = "重大项目数据暂不可用，本期通报不含项目亮灯和滚动推进情况。"
COHORT_ZH = {"started": "开工", "completed": "竣工", "in_production": "投产"}


def parse_period(key: str, rules: engine.ReportingRules) -> engine.Period:
    """``2025-06`` (a month) or ``2025-Q2`` (a quarter)."""
    match = PERIOD_RE.match(key.strip())
    if match is None:
        raise ValueError(f"期间格式应为2025-06或2025-Q2 / period must look like 2025-06 or 2025-Q2: {key!r}")
    year = int(match["year"])
    if match["month"]:
        return engine.Period(
            year, int(match["month"]), engine.PeriodKind.MONTHLY, rules.due_day, rules.grace_days
        )
    return engine.Period(
        year, int(match["quarter"]), engine.PeriodKind.QUARTERLY, rules.due_day, rules.grace_days
    )


def default_as_of(period: engine.Period, today: date) -> date:
    """A bulletin looks at its period once the reports are due and the grace period is over (so it can
    name the units escalated), but never later than today."""
    return min(period.escalation_date, today)


def _rows(rows: Iterable[Sequence[TableCell]]) -> tuple[tuple[TableCell, ...], ...]:
    return tuple(tuple(row) for row in rows)


# Plan goals are stored in yuan and counts; a 公文 states money in 亿元 and firms in 家.
DISPLAY_UNITS = {"yuan": "亿元", "enterprises": "家", "projects": "个"}


def _in_display_unit(value: Decimal, unit: str) -> Decimal:
    return to_yi(value) if unit == "yuan" else value  # type: ignore[return-value]


def goal_figure(value: Decimal | None, unit: str) -> str:
    """A goal's figure as a bulletin states it: money in 亿元 (as everywhere else), counts as whole
    numbers with their unit (``80 家``, never ``80.00``)."""
    if value is None:
        return "—"
    if unit == "yuan":
        return money(value, "yi")
    amount = Decimal(value)
    whole = amount.to_integral_value(rounding=ROUND_HALF_UP)
    shown = whole if amount == whole else amount.normalize()
    return f"{shown:,f} {DISPLAY_UNITS.get(unit, unit)}".strip()


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def bulletin_data(version: PlanVersion, period_key: str, as_of: date) -> dict[str, Any]:
    """Every figure the bulletin states, as of ``as_of`` (JSON-safe: decimals as strings).

    Goals, project lights and the area ranking speak for the period's end (or ``as_of`` if earlier):
    a bulletin for June shows June's lights, whatever the lights are today."""
    rules = selectors.reporting_rules(version)
    period = parse_period(period_key, rules)
    figures_day = min(period.end, as_of)
    items = list(
        selectors.with_status_data(WorkItem.objects.filter(plan_version=version)).order_by("sort", "code")
    )
    rows = selectors.item_rows(items, as_of, rules)
    by_code = {r.item.code: r for r in rows}
    facts = selectors.reporting_facts(version)
    silent = selectors.silent_units(version, as_of, facts)
    span = selectors.reporting_in_span(version, period.start, period.end, as_of, facts)
    standings = selectors.unit_standings(version, as_of)
    goals = integrations.goal_progress(figures_day)
    projects = integrations.project_summary(figures_day)
    escalated = Escalation.objects.filter(
        plan_version=version, issued_on__lte=as_of, issued_on__gte=period.start
    )
    meetings = (
        selectors.meetings(version)
        .filter(date__gte=period.start, date__lte=period.end)
        .order_by("date", "id")
    )

    def name(code: str) -> str:
        return facts.unit_names.get(code, code)

    return {
        "period": period.key,
        "period_label": period.label.zh,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "as_of": as_of.isoformat(),
        "figures_as_of": figures_day.isoformat(),
        "region": version.plan.region_name,
        "counts": {"total": len(rows), **selectors.status_counts(rows)},
        "items": [
            {
                "code": r.item.code,
                "title": r.item.title,
                "lead_unit": name(r.item.lead_unit.code),
                "status": r.status.status.value,
                "percent": _pct(r.status.percent),
                "reason": r.status.reason.zh,
            }
            for r in rows
        ],
        "silent": [
            {
                "unit": s.unit,
                "unit_name": name(s.unit),
                "period": s.period.key,
                "period_label": s.period.label.zh,
                "items": list(s.item_codes),
                "days_overdue": s.days_overdue,
            }
            for s in silent
        ],
        # Reporting for this bulletin's own period(s): the basis of "各责任单位均按时报送".
        "period_reporting": {
            "periods": [p.key for p in span.periods],
            "period_labels": [p.label.zh for p in span.periods],
            "due_dates": [p.due_date.isoformat() for p in span.periods],
            "owed": sum(t.owed for t in span.timeliness.values()),
            "on_time": sum(t.on_time for t in span.timeliness.values()),
            "late": [
                {"unit": code, "unit_name": name(code), "reports": t.late, "owed": t.owed}
                for code, t in span.timeliness.items()
                if t.late
            ],
            "silent": [
                {"unit": code, "unit_name": name(code)} for code in dict.fromkeys(s.unit for s in span.silent)
            ],
        },
        "escalations": [
            {"unit": e.unit.code, "unit_name": e.unit.short_name or e.unit.name, "period": e.period_key}
            for e in escalated.select_related("unit").order_by("issued_on", "unit__code")
        ],
        "units": [
            {
                "rank": u.rank,
                "code": u.code,
                "name": u.name,
                "items": u.items,
                "done": u.done,
                "at_risk": u.at_risk,
                "late": u.late,
                "owed": u.owed,
                "on_time": u.on_time,
                "missing": u.missing,
                "timeliness": _pct(u.timeliness_rate),
            }
            for u in standings
        ],
        "goals": None
        if goals is None
        else [
            {
                "code": g.code,
                "name": g.name,
                "target": str(_in_display_unit(g.target, g.unit)),
                "actual": None if g.actual is None else str(_in_display_unit(g.actual, g.unit)),
                "unit": DISPLAY_UNITS.get(g.unit, g.unit),
                "target_text": goal_figure(g.target, g.unit),
                "actual_text": goal_figure(g.actual, g.unit),
                "percent": _pct(g.percent),
                "status": g.status,
            }
            for g in goals
        ],
        "projects": None
        if projects is None
        else {
            "as_of": figures_day.isoformat(),
            "lights": projects.lights,
            "by_area": [{**a, "pct": None if a["pct"] is None else str(a["pct"])} for a in projects.by_area],
            "cohorts": projects.cohorts,
            "cohort_targets": projects.cohort_targets,
        },
        "meetings": [
            {
                "date": m.date.isoformat(),
                "title": m.title,
                "decisions": [_decision(d, by_code, name) for d in m.decisions.all()],
            }
            for m in meetings
        ],
    }


def _decision(decision: Decision, rows: dict[str, selectors.ItemRow], name: Any) -> dict[str, Any]:
    """A meeting decision with the status of the work item tracking it (None when not tracked)."""
    item = decision.work_item
    row = rows.get(item.code) if item is not None else None
    return {
        "text": decision.text,
        "owner_unit": None if decision.owner_unit is None else name(decision.owner_unit.code),
        "deadline": None if decision.deadline is None else decision.deadline.isoformat(),
        "item_code": None if item is None else item.code,
        "status": None if row is None else row.status.status.value,
        "percent": None if row is None else _pct(row.status.percent),
    }


# --------------------------------------------------------------------------- narrative


def generated_paragraphs(data: dict[str, Any]) -> dict[str, str]:
    """Narrative paragraphs written from the data; the office may edit each before issue."""
    counts = data["counts"]
    as_of = date.fromisoformat(data["as_of"])
    when = f"{as_of.year}年{as_of.month}月{as_of.day}日"
    texts: dict[str, str] = {}
    summary = (
        f"截至{when}，全市半导体产业创新集群发展计划共分解工作事项{counts['total']}项，"
        f"其中已完成{counts['done']}项、正常推进{counts['on_track']}项、存在风险{counts['at_risk']}项、"
        f"已逾期{counts['late']}项。"
    )
    summary += _reporting_summary(data)
    if data["escalations"]:
        summary += f"本期共发出督办{len(data['escalations'])}件。"
    texts["summary"] = summary

    if data["goals"] is not None:
        met = [g for g in data["goals"] if g["percent"] is not None and Decimal(g["percent"]) >= 100]
        texts["goals"] = (
            f"计划确定的{len(data['goals'])}项发展目标中，{len(met)}项已达到目标值；各项目标完成情况见下表。"
        )
    if data["projects"] is not None:
        lights = data["projects"]["lights"]
        cohorts = data["projects"]["cohorts"]
        when = _day_zh(data["projects"].get("as_of") or data["as_of"])
        library = sum(a["count"] for a in data["projects"]["by_area"])
        if sum(lights.values()) == 0 and library:
            # The light history has nothing for the period yet: say so rather than "0 green, 0 red".
            text = f"截至{when}，纳入项目库的重大项目{library}个，尚无亮灯评价记录。"
        else:
            text = (
                f"截至{when}，纳入项目库的重大项目中，"
                f"绿灯{lights['green']}个、黄灯{lights['yellow']}个、红灯{lights['red']}个。"
            )
        texts["projects"] = (
            text + "年内累计" + "、".join(f"{COHORT_ZH[k]}{cohorts.get(k, 0)}个" for k in COHORT_ZH) + "。"
        )

    late = [i for i in data["items"] if i["status"] == "late"]
    at_risk = [i for i in data["items"] if i["status"] == "at_risk"]
    tasks = f"已完成事项{counts['done']}项，正常推进{counts['on_track']}项。"
    if late:
        tasks += "逾期事项：" + "；".join(f"{i['title']}（{i['lead_unit']}）" for i in late) + "。"
    if at_risk:
        tasks += "存在风险事项：" + "；".join(f"{i['title']}（{i['lead_unit']}）" for i in at_risk) + "。"
    texts["tasks"] = tasks

    texts["silent"] = _reporting_paragraph(data)
    texts["meetings"] = _meetings_paragraph(data)

    if data["units"]:
        first = [u["name"] for u in data["units"] if u["rank"] == 1]
        texts["rankings"] = f"按进展报送及时率、逾期事项数和完成事项数综合排序，{'、'.join(first)}位列第一。"
    texts["next"] = (
        "请各牵头单位对照计划节点加快推进；对逾期和存在风险的事项，请牵头单位于下一报送日前说明原因并提出整改措施；"
        "未按时报送进展的单位，请立即补报。"
    )
    return texts


ALL_ON_TIME = "各责任单位均按时报送了工作进展。"


def _names(entries: Iterable[dict[str, Any]]) -> str:
    return "、".join(dict.fromkeys(e["unit_name"] for e in entries))


def all_reported_on_time(data: dict[str, Any]) -> bool:
    """Whether the bulletin may say that every unit reported on time: some report of the period was
    due by the data date, none of them came after its due day, and no unit is silent (for this period
    or an earlier one it still owes)."""
    reporting = data.get("period_reporting") or {}
    return bool(
        reporting.get("periods")
        and not reporting.get("late")
        and not reporting.get("silent")
        and not data["silent"]
    )


def _reporting_summary(data: dict[str, Any]) -> str:
    if all_reported_on_time(data):
        return ALL_ON_TIME
    reporting = data.get("period_reporting") or {}
    text = ""
    if data["silent"]:
        units = {s["unit"] for s in data["silent"]}
        text += f"{len(units)}个单位未按时报送工作进展（{_names(data['silent'])}）。"
    if reporting.get("late"):
        text += f"{len(reporting['late'])}个单位逾期报送本期工作进展（{_names(reporting['late'])}）。"
    if not reporting.get("periods"):
        text += "本期工作进展尚未到报送期限。"
    return text


def _reporting_paragraph(data: dict[str, Any]) -> str:
    if all_reported_on_time(data):
        return "本期" + ALL_ON_TIME
    reporting = data.get("period_reporting") or {}
    parts = []
    if data["silent"]:
        parts.append(
            "以下单位未在规定时间内报送工作进展："
            + "；".join(
                f"{s['unit_name']}（{s['period_label']}，{len(s['items'])}项事项，逾期{s['days_overdue']}天）"
                for s in data["silent"]
            )
            + "。"
        )
    if reporting.get("late"):
        parts.append(
            "以下单位逾期报送本期工作进展："
            + "；".join(
                f"{u['unit_name']}（应报送{u['owed']}次，逾期报送{u['reports']}次）"
                for u in reporting["late"]
            )
            + "。"
        )
    if not reporting.get("periods"):
        parts.append("本期工作进展尚未到报送期限。")
    return "".join(parts)


def _meetings_paragraph(data: dict[str, Any]) -> str:
    meetings = data.get("meetings") or []
    if not meetings:
        return "本期未召开领导小组会议。"
    decisions = [d for m in meetings for d in m["decisions"]]
    text = (
        f"本期召开领导小组会议{len(meetings)}次（"
        + "；".join(f"{_day_zh(m['date'])}{m['title']}" for m in meetings)
        + f"），形成议定事项{len(decisions)}项"
    )
    tracked = [d for d in decisions if d["status"] is not None]
    if tracked:
        counts = {status: sum(1 for d in tracked if d["status"] == status) for status in STATUS_ZH}
        text += f"，已转为工作事项跟踪{len(tracked)}项，其中" + "、".join(
            f"{STATUS_ZH[status]}{n}项" for status, n in counts.items() if n
        )
    untracked = len(decisions) - len(tracked)
    if untracked:
        text += f"；另有{untracked}项尚未转为工作事项跟踪"
    return text + "。"


def _day_zh(iso: str | None) -> str:
    if not iso:
        return "—"
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def _paragraph(key: str, texts: dict[str, str], edits: dict[str, str]) -> Paragraph:
    return Paragraph(generated_text=texts[key], edited_text=edits.get(key), key=key)


def build_document(data: dict[str, Any], edits: dict[str, str] | None = None, issuer: str = "") -> Document:
    edits = edits or {}
    texts = generated_paragraphs(data)
    as_of = date.fromisoformat(data["as_of"])
    sections: list[Section] = [Section("总体情况", (_paragraph("summary", texts, edits),))]

    if data["goals"] is None:
        sections.append(Section("目标进展", (Note(NOT_AVAILABLE_GOALS),)))
    else:
        goal_rows = [
            (
                g["name"],
                g.get("target_text") or f"{g['target']} {g['unit']}",
                g.get("actual_text") or ("—" if g["actual"] is None else f"{g['actual']} {g['unit']}"),
                None if g["percent"] is None else Decimal(g["percent"]),
                g["status"],
            )
            for g in data["goals"]
        ]
        sections.append(
            Section(
                "目标进展",
                (
                    _paragraph("goals", texts, edits),
                    Table(
                        "发展目标完成情况",
                        (("目标", "目标值", "当前值", "完成比例（%）", "状态"),),
                        _rows(goal_rows),
                        align=(None, "right", "right", None, None),
                    ),
                ),
            )
        )

    if data["projects"] is None:
        sections.append(Section("重大项目推进情况", (Note(NOT_AVAILABLE_PROJECTS),)))
    else:
        area_rows = [
            (
                a["name"],
                a["count"],
                a["green"],
                a["yellow"],
                a["red"],
                None if a["pct"] is None else Decimal(a["pct"]),
            )
            for a in data["projects"]["by_area"]
        ]
        cohorts = data["projects"]["cohorts"]
        targets = data["projects"]["cohort_targets"]
        cohort_rows = [(COHORT_ZH[k], cohorts.get(k, 0), targets.get(k)) for k in COHORT_ZH]
        sections.append(
            Section(
                "重大项目推进情况",
                (
                    _paragraph("projects", texts, edits),
                    Table(
                        "各区镇重大项目亮灯情况",
                        (("区镇", "项目数", "绿灯", "黄灯", "红灯", "年度计划完成率（%）"),),
                        _rows(area_rows),
                    ),
                    Table("滚动推进情况（年内累计）", (("类别", "项目数", "年度目标"),), _rows(cohort_rows)),
                ),
            )
        )

    item_rows = [
        (
            i["code"],
            i["title"],
            i["lead_unit"],
            STATUS_ZH[i["status"]],
            None if i["percent"] is None else Decimal(i["percent"]),
            i["reason"],
        )
        for i in data["items"]
    ]
    sections.append(
        Section(
            "重点任务推进情况",
            (
                _paragraph("tasks", texts, edits),
                Table(
                    "工作事项推进情况",
                    (("编号", "事项", "牵头单位", "状态", "进度（%）", "说明"),),
                    _rows(item_rows),
                    align=(None, None, None, "center", None, None),
                ),
                Section("进展报送情况", (_paragraph("silent", texts, edits),)),
            ),
        )
    )
    sections.append(_meetings_section(data, texts, edits))
    ranking_blocks: list[Paragraph | Table | Note] = []
    if "rankings" in texts:
        ranking_blocks.append(_paragraph("rankings", texts, edits))
    ranking_blocks.append(
        Table(
            "责任单位排名",
            (
                (
                    "名次",
                    "单位",
                    "事项数",
                    "已完成",
                    "存在风险",
                    "已逾期",
                    "应报送",
                    "按时报送",
                    "及时率（%）",
                ),
            ),
            _rows(
                (
                    u["rank"],
                    u["name"],
                    u["items"],
                    u["done"],
                    u["at_risk"],
                    u["late"],
                    u["owed"],
                    u["on_time"],
                    None if u["timeliness"] is None else Decimal(u["timeliness"]),
                )
                for u in data["units"]
            ),
        )
    )
    if data["projects"] is not None:
        ranked = sorted(data["projects"]["by_area"], key=lambda a: (-_light_score(a), a["code"]))
        ranking_blocks.append(
            Table(
                "区镇排名（按重大项目亮灯得分）",
                (("名次", "区镇", "亮灯得分"),),
                _rows((n, a["name"], _light_score(a)) for n, a in enumerate(ranked, start=1)),
                notes=("亮灯得分：绿灯100分、黄灯50分、红灯0分的平均值；无亮灯项目的区镇记0分。",),
            )
        )
    else:
        ranking_blocks.append(Note("区镇排名依据重大项目数据，暂不可用。"))
    sections.append(Section("排名情况", tuple(ranking_blocks)))
    sections.append(Section("下一步工作", (_paragraph("next", texts, edits),)))
    return Document(
        title=f"{data['region']}半导体产业创新集群发展工作通报",
        subtitle=f"（{data['period_label']}）",
        issuer=issuer or f"{data['region']}半导体产业发展领导小组办公室",
        date=as_of,
        sections=tuple(sections),
        meta=(("period", data["period"]), ("as_of", data["as_of"])),
    )


def _meetings_section(data: dict[str, Any], texts: dict[str, str], edits: dict[str, str]) -> Section:
    """领导小组会议及议定事项: the period's meetings, each decision with its work item's status."""
    blocks: list[Paragraph | Table | Note] = [_paragraph("meetings", texts, edits)]
    rows = [
        (
            f"{_day_zh(m['date'])}{m['title']}",
            d["text"],
            d["owner_unit"] or "—",
            d["deadline"] or "—",
            d["item_code"] or "—",
            "未转为工作事项" if d["status"] is None else STATUS_ZH[d["status"]],
            None if d["percent"] is None else Decimal(d["percent"]),
        )
        for m in data.get("meetings") or []
        for d in m["decisions"]
    ]
    if rows:
        blocks.append(
            Table(
                "领导小组议定事项落实情况",
                (("会议", "议定事项", "责任单位", "完成时限", "事项编号", "状态", "进度（%）"),),
                _rows(rows),
                align=(None, None, None, "center", None, "center", None),
            )
        )
    return Section("领导小组会议及议定事项", tuple(blocks))


def _light_score(area: dict[str, Any]) -> Decimal:
    count = area["green"] + area["yellow"] + area["red"]
    if count == 0:
        return Decimal("0.0")
    score = Decimal(area["green"] * 100 + area["yellow"] * 50) / Decimal(count)
    return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def period_choices(version: PlanVersion, today: date) -> list[str]:
    """Months and quarters of the plan year that have begun by ``today``."""
    year = int(version.plan.year)
    keys = [f"{year}-{m:02d}" for m in range(1, 13) if date(year, m, 1) <= today]
    keys += [f"{year}-Q{q}" for q in range(1, 5) if date(year, 3 * q - 2, 1) <= today]
    return keys


def document_for(bulletin: Bulletin) -> Document:
    """An issued bulletin's stored document; a draft's document built from live data and its edits."""
    if bulletin.is_issued and bulletin.document is not None:
        return document_from_dict(bulletin.document)
    data = bulletin_data(bulletin.plan_version, bulletin.period_key, bulletin.as_of)
    edits = {p.key: p.edited_text for p in bulletin.paragraphs.all() if p.edited_text}
    return build_document(data, edits)
