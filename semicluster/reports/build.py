"""The annual monitoring report (年度监测报告) as a Document, built from the facts of ``sources.py``.

One pipeline, two editions:

* **internal** (内部版): every figure, and enterprises by name where the section needs them (the firms
  that crossed 10亿 / 50亿, the largest firms, red-light projects, firms behind a supply breakpoint);
* **public** (公开版): no enterprise is named; a money figure is printed only if it passes the primary
  disclosure rules, and the area × segment table goes through primary and secondary suppression
  (``reports.sdc``). Counts of enterprises, projects or tasks reveal no one's figures and are printed.

Narrative paragraphs are generated from the data and carry a stable ``key``; reviewers' edits are
stored by key and re-applied with ``apply_edits`` after every regeneration, the generated text kept
beside the edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from semicluster.charts.spec import ChartKind, ChartSpec, Series, TargetLine
from semicluster.core.formatting import in_language
from semicluster.disclosure import TOTAL, Contribution, ProtectedTable
from semicluster.disclosure import Table as SdcTable
from semicluster.documents.model import (
    Block,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
    apply_edits,
)
from semicluster.reports import sdc
from semicluster.reports.sources import AreaSegmentFacts, GoalFact, ReportFacts, gather

INTERNAL = "internal"
PUBLIC = "public"
EDITIONS = (INTERNAL, PUBLIC)

YI = Decimal(100_000_000)
NOT_AVAILABLE = "本部分数据暂未接入平台，暂不作分析。"
STATUS_ZH = {
    "achieved": "已完成",
    "on_track": "进度正常",
    "at_risk": "存在风险",
    "off_track": "明显滞后",
    "no_data": "暂无数据",
    "": "未评估",
}
TIER_ZH = {
    "leader": "50亿元级龙头企业",
    "backbone": "10亿元级骨干企业",
    "growth": "成长型企业",
    "": "未分级企业",
}
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
COHORT_ZH = {"started": "开工", "completed": "竣工", "in_production": "投产"}
TASK_ZH = {"done": "已完成", "on_track": "正常推进", "at_risk": "存在风险", "late": "滞后"}
CHAIN_ZH = {"strong": "强链", "weak": "弱链", "missing": "缺链"}
SUPPLY_CATEGORY_ZH = {
    "material": "材料",
    "equipment": "设备",
    "eda_ip": "EDA/IP",
    "components": "零部件",
    "services": "服务",
}


def zh(text: str) -> str:
    """The Chinese half of a bilingual "中文 / English" message: the report is a Chinese document."""
    return in_language(text, "zh-hans")


SECTION_KEYS = (
    "summary",
    "goals",
    "areas",
    "segments",
    "projects",
    "enterprises",
    "innovation",
    "support",
    "finance",
    "tasks",
    "supply",
    "problems",
    "suggestions",
)
SECTION_TITLES = {
    "summary": "总体情况",
    "goals": "目标完成情况",
    "areas": "分区域发展情况",
    "segments": "产业链各环节情况",
    "projects": "重大项目推进情况",
    "enterprises": "企业培育情况",
    "innovation": "科技创新情况",
    "support": "政策支持情况",
    "finance": "金融服务情况",
    "tasks": "重点任务推进情况",
    "supply": "供应链断点情况",
    "problems": "存在的问题",
    "suggestions": "下一年度工作建议",
}


# --- numbers ---------------------------------------------------------------------------------------


def yi(value: Decimal | None) -> Decimal | None:
    """Yuan → 亿元, two places (the unit of every money table in the report)."""
    if value is None:
        return None
    return (Decimal(value) / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def growth(current: Decimal, previous: Decimal) -> Decimal | None:
    if not previous:
        return None
    return pct((current - previous) * 100 / previous)


def growth_phrase(rate: Decimal | None) -> str:
    if rate is None:
        return "上年同期无可比数据"
    if rate >= 0:
        return f"同比增长{rate}%"
    return f"同比下降{-rate}%"


def plain(value: Decimal) -> Decimal:
    """A count or other non-money figure without trailing zeros or exponent (80.00 → 80, 2.50 → 2.5)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def goal_amount(goal: GoalFact, value: Decimal | None) -> str:
    if value is None:
        return "暂无数据"
    if goal.is_money:
        return f"{yi(value)}亿元"
    unit = {"enterprises": "家", "projects": "个", "percent": "%"}.get(goal.unit, goal.unit)
    return f"{plain(value)}{unit}"


def goal_figure(goal: GoalFact, value: Decimal | None) -> Decimal | None:
    """A goal's figure in the unit of the tables (亿元 for money)."""
    if value is None:
        return None
    return yi(value) if goal.is_money else plain(value)


FORECAST_ZH = {
    "seasonal_share": "历年同期占比法",
    "straight_line": "按进度线性外推",
    "stock": "以当前存量为年末预计",
}


# --- what a build returns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """A public aggregate for the portal and the open data: tidy rows, suppressed cells as the symbol."""

    code: str
    title: str
    title_en: str
    description: str
    unit: str
    source: str
    source_text: str
    fields: tuple[tuple[str, str, str, str], ...]  # (name, type, title zh, title en)
    rows: tuple[tuple[Any, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "title_en": self.title_en,
            "description": self.description,
            "unit": self.unit,
            "source": self.source,
            "source_text": self.source_text,
            "fields": [list(f) for f in self.fields],
            "rows": [[_json_value(v) for v in row] for row in self.rows],
        }


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@dataclass
class BuiltReport:
    document: Document
    edition: str
    facts: ReportFacts
    datasets: list[Dataset] = field(default_factory=list)
    # Cells hidden in the area × segment table (persisted with a published release, carried next time).
    suppression: list[list[str]] = field(default_factory=list)


# --- the edition-specific view of money figures ----------------------------------------------------


class View:
    """How figures are shown in one edition."""

    def __init__(self, edition: str, facts: ReportFacts, carried: list[list[str]] | None = None) -> None:
        if edition not in EDITIONS:
            raise ValueError(
                f"版本须为 internal 或 public / edition must be internal or public, got {edition!r}"
            )
        self.edition = edition
        self.public = edition == PUBLIC
        self.params = sdc.disclosure_parameters() if self.public else None
        self.area_table = self._area_table(facts.area_segment, carried or [])

    def money(
        self, contributions: tuple[Contribution, ...] | None, value: Decimal | None
    ) -> Decimal | str | None:
        """A city-wide money figure: as is internally; publicly only if it passes the primary rules."""
        if not self.public or value is None:
            return value
        if contributions is None:
            return value
        return sdc.public_total(contributions, self.params)

    def _area_table(self, data: AreaSegmentFacts, carried: list[list[str]]) -> ProtectedTable | None:
        if not self.public:
            return None
        table = SdcTable.from_records(
            "revenue by area and segment",
            data.records,
            rows=[a.code for a in data.areas],
            columns=[s.code for s in data.segments],
        )
        return sdc.protect(table, self.params, [tuple(k) for k in carried])

    def cell(self, data: AreaSegmentFacts, area: str | None, segment: str | None) -> Decimal | str:
        """One cell of the area × segment table in 亿元 (None = the margin)."""
        if self.area_table is not None:
            value = self.area_table.public_value((area or TOTAL, segment or TOTAL))
            return value if isinstance(value, str) else yi(value) or Decimal(0)
        return yi(data.cell_total(area, segment)) or Decimal(0)

    @property
    def has_suppressions(self) -> bool:
        return self.area_table is not None and self.area_table.has_suppressions


def shown(value: Decimal | str | None, suffix: str = "亿元") -> str:
    if value is None:
        return "暂无数据"
    if isinstance(value, str):
        return "（不予公布）"
    return f"{value}{suffix}"


def _unavailable() -> tuple[Block, ...]:
    return (Paragraph(NOT_AVAILABLE),)


# --- sections --------------------------------------------------------------------------------------


def _summary(facts: ReportFacts, view: View) -> Section:
    data = facts.area_segment
    total = data.cell_total()
    previous = data.previous_total()
    city = view.cell(data, None, None)
    rate = growth(total, previous)
    if view.public:
        prev_public = sdc.public_total([c for _k, c in data.previous], view.params)
        if isinstance(city, str) or isinstance(prev_public, str):
            rate = None
    firms = data.firm_count()
    text = (
        f"{facts.period.label}，全市半导体产业规模达{shown(city)}，{growth_phrase(rate)}；"
        f"纳入监测的企业{facts.enterprises.total}家，其中报送{facts.period.label}营业收入的{firms}家。"
    )
    counted = [g for g in facts.goals if g.status]
    by_status: dict[str, int] = {}
    for g in counted:
        by_status[g.status] = by_status.get(g.status, 0) + 1
    parts = "、".join(f"{STATUS_ZH.get(s, s)}{n}项" for s, n in sorted(by_status.items()))
    goals_text = f"工作方案确定的{len(facts.goals)}项目标中，{parts or '暂无评估结果'}。"
    return Section(
        SECTION_TITLES["summary"],
        (
            Paragraph.generated(text, key="summary.scale"),
            Paragraph.generated(goals_text, key="summary.goals"),
        ),
    )


def _goal_paragraph(goal: GoalFact, view: View, period_label: str) -> Paragraph:
    value = view.money(goal.contributions, goal.value) if goal.is_money else goal.value
    result = "（不予公布）" if isinstance(value, str) else goal_amount(goal, value)
    text = (
        f"“{goal.name}”：工作方案（{goal.source}）提出“{goal.source_text}”，"
        f"目标{goal_amount(goal, goal.target)}。"
        f"{period_label}完成{result}"
    )
    if goal.progress is not None and not isinstance(value, str):
        text += f"，为目标的{pct(goal.progress)}%"
    text += f"，状态：{STATUS_ZH.get(goal.status, goal.status)}。"
    forecast_public = not (view.public and goal.is_money and isinstance(value, str))
    if goal.interim_forecast is not None and forecast_public:
        text += f"年中（依据1—{goal.interim_month}月数据）预测全年{goal_amount(goal, goal.interim_forecast)}"
        if goal.value is not None:
            gap = goal.value - goal.interim_forecast
            text += f"，{'实际较预测' if period_label.endswith('年') else '目前较预测'}"
            text += f"{'多' if gap >= 0 else '少'}{goal_amount(goal, abs(gap))}"
        text += "。"
    elif goal.forecast is not None and forecast_public and goal.forecast_method in FORECAST_ZH:
        text += f"按{FORECAST_ZH[goal.forecast_method]}预测全年{goal_amount(goal, goal.forecast)}。"
    if not view.public and goal.enterprise_names:
        text += f"计入企业：{'、'.join(goal.enterprise_names)}。"
    return Paragraph.generated(text, key=f"goal.{goal.code}")


def _goals(facts: ReportFacts, view: View) -> Section:
    if not facts.goals:
        return Section(SECTION_TITLES["goals"], _unavailable())
    rows = []
    progress_values: list[Decimal | None] = []
    for g in facts.goals:
        value = view.money(g.contributions, g.value) if g.is_money else g.value
        suppressed = isinstance(value, str)
        rows.append(
            (
                g.name,
                g.source,
                goal_figure(g, g.target),
                value if suppressed else goal_figure(g, value),  # type: ignore[arg-type]
                None if suppressed else pct(g.progress),
                None if suppressed else goal_figure(g, g.interim_forecast),
                STATUS_ZH.get(g.status, g.status),
            )
        )
        progress_values.append(None if suppressed else pct(g.progress))
    table = Table(
        caption=f"{facts.year}年度目标完成情况",
        unit="金额单位：亿元",
        header_rows=(("目标", "条款", "目标值", "完成值", "完成进度（%）", "年中预测", "状态"),),
        body_rows=tuple(rows),
        notes=(f"完成值为{facts.period.label}数据；年中预测依据1—6月数据按工作方案规定的方法测算。",),
    )
    blocks: list[Block] = [_goal_paragraph(g, view, facts.period.label) for g in facts.goals]
    blocks.append(table)
    if any(v is not None for v in progress_values):
        blocks.append(
            Figure(
                ChartSpec(
                    kind=ChartKind.BAR,
                    title="各项目标完成进度",
                    categories=tuple(g.name for g in facts.goals),
                    series=(Series("完成进度", tuple(progress_values), unit="%"),),
                    y_unit="%",
                    target=TargetLine(Decimal(100), "目标"),
                ),
                "各项目标完成进度",
            )
        )
    return Section(SECTION_TITLES["goals"], tuple(blocks))


def _area_rows(facts: ReportFacts, view: View) -> tuple[tuple[Any, ...], ...]:
    data = facts.area_segment
    rows = []
    for area in (*data.areas, None):
        label = area.name if area else "合计"
        code = area.code if area else None
        row: list[Any] = [label]
        row += [view.cell(data, code, s.code) for s in data.segments]
        row.append(view.cell(data, code, None))
        if not view.public:
            row.append(growth(data.cell_total(code), data.previous_total(code)))
        rows.append(tuple(row))
    return tuple(rows)


def _sdc_notes(view: View) -> tuple[str, ...]:
    return (zh(sdc.PUBLIC_FOOTNOTE),) if view.has_suppressions else ()


def _areas(facts: ReportFacts, view: View) -> Section:
    data = facts.area_segment
    header = ["区域", *[s.name for s in data.segments], "合计"]
    if not view.public:
        header.append("同比增长（%）")
    table = Table(
        caption=f"{facts.period.label}各区域分环节营业收入",
        unit="单位：亿元",
        header_rows=(tuple(header),),
        body_rows=_area_rows(facts, view),
        notes=(
            f"数据为{facts.period.label}{'累计' if not facts.period.is_annual else '全年'}数，"
            "按企业所在区域和主营环节归类。",
            *_sdc_notes(view),
        ),
    )
    values = [view.cell(data, a.code, None) for a in data.areas]
    published = [(a, v) for a, v in zip(data.areas, values, strict=True) if not isinstance(v, str)]
    leader = max(published, key=lambda item: item[1], default=None)  # type: ignore[arg-type, return-value]
    text = f"分区域看，{facts.period.label}"
    if leader is not None:
        text += f"{leader[0].name}营业收入{leader[1]}亿元，规模居各区域首位"
    hidden = len(values) - len(published)
    if hidden:
        text += f"；{hidden}个区域的数据因涉及企业商业秘密不予公布"
    text += "。"
    blocks: list[Block] = [Paragraph.generated(text, key="areas.summary"), table]
    if not view.public and data.top:
        blocks.append(
            Table(
                caption=f"{facts.period.label}营业收入前十位企业（内部资料）",
                unit="单位：亿元",
                header_rows=(("序号", "企业", "区域", "环节", "营业收入"),),
                body_rows=tuple((i + 1, n, a, s, yi(v)) for i, (n, a, s, v) in enumerate(data.top)),
            )
        )
    blocks.append(
        Figure(
            ChartSpec(
                kind=ChartKind.BAR,
                title=f"{facts.period.label}各区域营业收入",
                categories=tuple(a.name for a in data.areas),
                series=(
                    Series("营业收入", tuple(None if isinstance(v, str) else v for v in values), unit="亿元"),
                ),
                y_unit="亿元",
            ),
            "各区域营业收入",
        )
    )
    return Section(SECTION_TITLES["areas"], tuple(blocks))


def _segments(facts: ReportFacts, view: View) -> Section:
    data = facts.area_segment
    rows = []
    for s in data.segments:
        value = view.cell(data, None, s.code)
        rate = (
            None
            if view.public
            else growth(data.cell_total(segment=s.code), data.previous_total(segment=s.code))
        )
        rows.append((s.name, data.firm_count(segment=s.code), value, *(() if view.public else (rate,))))
    header = ("环节", "报送企业（家）", "营业收入", *(() if view.public else ("同比增长（%）",)))
    blocks: list[Block] = []
    if facts.chain is not None:
        counts: dict[str, int] = {}
        for _seg, _node, status, _reasons in facts.chain.nodes:
            counts[status] = counts.get(status, 0) + 1
        summary = "、".join(f"{CHAIN_ZH[k]}{counts.get(k, 0)}个" for k in ("strong", "weak", "missing"))
        weak = [node for _s, node, status, _r in facts.chain.nodes if status == "missing"]
        text = f"按工作方案的产业链图谱，{len(facts.chain.nodes)}个环节节点中{summary}。"
        if weak:
            text += f"缺链节点为：{'、'.join(weak)}。"
        blocks.append(Paragraph.generated(text, key="segments.summary"))
    else:
        blocks.append(Paragraph(NOT_AVAILABLE))
    blocks.append(
        Table(
            caption=f"{facts.period.label}各环节营业收入",
            unit="金额单位：亿元",
            header_rows=(header,),
            body_rows=tuple(rows),
            notes=_sdc_notes(view),
        )
    )
    if facts.chain is not None:
        blocks.append(
            Table(
                caption="产业链节点强弱分类",
                header_rows=(("环节", "节点", "分类", "依据"),),
                body_rows=tuple(
                    (seg, node, CHAIN_ZH.get(status, status or "—"), "；".join(reasons) or "—")
                    for seg, node, status, reasons in facts.chain.nodes
                ),
            )
        )
    return Section(SECTION_TITLES["segments"], tuple(blocks))


def _projects(facts: ReportFacts, view: View) -> Section:
    p = facts.projects
    if p is None:
        return Section(SECTION_TITLES["projects"], _unavailable())
    investment = view.money(p.investment_contributions, p.total_investment)
    lights = "、".join(f"{LIGHT_ZH[k]}{p.by_light.get(k, 0)}个" for k in ("green", "yellow", "red"))
    cohort = "，".join(
        f"{COHORT_ZH[k]}{p.cohorts.get(k, 0)}个"
        + (f"（目标{p.cohort_targets[k]}个）" if k in p.cohort_targets else "")
        for k in ("started", "completed", "in_production")
    )
    planned = shown(investment if isinstance(investment, str) else yi(investment))
    text = f"重大项目库在库项目{p.count}个，计划总投资{planned}；{cohort}；亮灯情况：{lights}。"
    if not view.public and p.annual_plan:
        rate = pct(p.ytd_completed * 100 / p.annual_plan)
        text += f"年度计划投资{yi(p.annual_plan)}亿元，已完成{yi(p.ytd_completed)}亿元，完成率{rate}%。"
    blocks: list[Block] = [
        Paragraph.generated(text, key="projects.summary"),
        Table(
            caption="重大项目“三个一批”与亮灯情况",
            unit="单位：个",
            header_rows=(("指标", "数量"),),
            body_rows=(
                *(
                    (f"{COHORT_ZH[k]}项目", p.cohorts.get(k, 0))
                    for k in ("started", "completed", "in_production")
                ),
                *((f"{LIGHT_ZH[k]}项目", p.by_light.get(k, 0)) for k in ("green", "yellow", "red")),
            ),
        ),
    ]
    if not view.public and p.red_projects:
        blocks.append(
            Table(
                caption="红灯项目清单（内部资料）",
                header_rows=(("项目", "项目单位", "区域"),),
                body_rows=p.red_projects,
            )
        )
    return Section(SECTION_TITLES["projects"], tuple(blocks))


def _enterprises(facts: ReportFacts, view: View) -> Section:
    e = facts.enterprises
    tiers = "，".join(f"{TIER_ZH[k]}{e.by_tier.get(k, 0)}家" for k in ("leader", "backbone", "growth"))
    text = (
        f"企业库共有企业{e.total}家，其中{tiers}。{facts.year}年新增营业收入超10亿元企业{len(e.new_above_1bn)}家、"
        f"超50亿元企业{len(e.new_above_5bn)}家"
    )
    if not view.public and (e.new_above_1bn or e.new_above_5bn):
        names = "、".join(dict.fromkeys((*e.new_above_5bn, *e.new_above_1bn)))
        text += f"（{names}）"
    text += "。"
    if e.library_members is not None:
        text += f"创新领航企业库入库企业{e.library_members}家，目标{e.library_target}家。"
    blocks: list[Block] = [
        Paragraph.generated(text, key="enterprises.summary"),
        Table(
            caption="企业梯队与资质认定",
            unit="单位：家",
            header_rows=(("类别", "企业数"),),
            body_rows=(
                *((TIER_ZH[k], e.by_tier.get(k, 0)) for k in ("leader", "backbone", "growth", "")),
                ("新增营业收入超10亿元企业", len(e.new_above_1bn)),
                ("新增营业收入超50亿元企业", len(e.new_above_5bn)),
                *((f"有效期内：{name}", n) for name, n in e.designations),
            ),
        ),
    ]
    return Section(SECTION_TITLES["enterprises"], tuple(blocks))


def _innovation(facts: ReportFacts, view: View) -> Section:
    i = facts.innovation
    if i is None:
        return Section(SECTION_TITLES["innovation"], _unavailable())
    covered = [r for r in i.rows if r[1] > 0]
    gaps = [r[0] for r in i.rows if r[1] == 0]
    text = (
        f"工作方案明确的{len(i.rows)}项关键核心技术中，{len(covered)}项已有在研项目；"
        f"创新平台{i.platforms}个。"
    )
    if gaps:
        text += f"尚无在研项目的技术：{'、'.join(gaps)}。"
    header = (
        "关键核心技术",
        "在研项目（个）",
        "已完成项目（个）",
        *(() if view.public else ("在研经费（亿元）",)),
    )
    rows = tuple((name, a, c, *(() if view.public else (yi(b),))) for name, a, c, b in i.rows)
    return Section(
        SECTION_TITLES["innovation"],
        (
            Paragraph.generated(text, key="innovation.summary"),
            Table(caption="关键核心技术攻关覆盖情况", header_rows=(header,), body_rows=rows),
        ),
    )


def _support(facts: ReportFacts, view: View) -> Section:
    s = facts.support
    if s is None:
        return Section(SECTION_TITLES["support"], _unavailable())
    applications = sum(s.status_counts.values())
    text = f"{facts.year}年各类扶持政策共受理申请{applications}件，设立专项{len(s.rows)}项。"
    if not view.public:
        committed = sum((r[2] for r in s.rows), Decimal(0))
        budget = sum((r[1] for r in s.rows), Decimal(0))
        text += f"年度预算{yi(budget)}亿元，已承诺{yi(committed)}亿元。"
    header = (
        "政策",
        "年度预算（亿元）",
        *(() if view.public else ("已承诺（亿元）", "已拨付（亿元）")),
        "在审申请（件）",
    )
    rows = tuple(
        (name, yi(budget), *(() if view.public else (yi(c), yi(d))), pending)
        for name, budget, c, d, pending in s.rows
    )
    return Section(
        SECTION_TITLES["support"],
        (
            Paragraph.generated(text, key="support.summary"),
            Table(caption="扶持政策预算执行情况", header_rows=(header,), body_rows=rows),
        ),
    )


def _finance(facts: ReportFacts, view: View) -> Section:
    f = facts.finance
    if f is None:
        return Section(SECTION_TITLES["finance"], _unavailable())
    needs = sum(n for _l, n, _t in f.by_status)
    listing = "、".join(f"{label}{n}家" for label, n in f.listings if n)
    text = f"平台登记企业融资需求{needs}项；上市后备企业：{listing or '暂无'}。"
    if not view.public:
        text += f"已落实融资{yi(f.funded)}亿元。"
    header = ("融资方式", "需求（项）", *(() if view.public else ("金额（亿元）",)))
    rows = tuple((label, n, *(() if view.public else (yi(t),))) for label, n, t in f.by_instrument)
    return Section(
        SECTION_TITLES["finance"],
        (
            Paragraph.generated(text, key="finance.summary"),
            Table(caption="企业融资需求", header_rows=(header,), body_rows=rows),
        ),
    )


def _tasks(facts: ReportFacts, view: View) -> Section:
    t = facts.tasks
    if t is None:
        return Section(SECTION_TITLES["tasks"], _unavailable())
    total = sum(t.status_counts.values())
    parts = "、".join(f"{TASK_ZH.get(k, k)}{n}项" for k, n in t.status_counts.items())
    text = f"工作方案分解的{total}项任务中，{parts}。"
    blocks: list[Block] = [Paragraph.generated(text, key="tasks.summary")]
    if t.late:
        # The internal edition keeps the item codes officials look tasks up by; the public one does not.
        header = ("任务", "牵头单位", "原因") if view.public else ("编号", "任务", "牵头单位", "原因")
        rows = tuple(
            (*(() if view.public else (code,)), title, unit, zh(reason))
            for code, title, unit, reason in t.late
        )
        blocks.append(Table(caption="滞后任务清单", header_rows=(header,), body_rows=rows))
    return Section(SECTION_TITLES["tasks"], tuple(blocks))


def _supply(facts: ReportFacts, view: View) -> Section:
    s = facts.supply
    if s is None:
        return Section(SECTION_TITLES["supply"], _unavailable())
    text = f"供应链摸排发现断点{len(s.breakpoints)}处。"
    if s.breakpoints:
        text += (
            "主要集中在："
            + "、".join(
                dict.fromkeys(f"{SUPPLY_CATEGORY_ZH.get(c, c)}（{i}）" for c, i, _n, _f in s.breakpoints[:5])
            )
            + "。"
        )
    header = ("类别", "物料或服务", "涉及企业（家）", *(() if view.public else ("企业",)))
    rows = tuple(
        (SUPPLY_CATEGORY_ZH.get(c, c), i, n, *(() if view.public else ("、".join(names),)))
        for c, i, n, names in s.breakpoints
    )
    blocks: list[Block] = [Paragraph.generated(text, key="supply.summary")]
    if rows:
        blocks.append(Table(caption="供应链断点", header_rows=(header,), body_rows=rows))
    return Section(SECTION_TITLES["supply"], tuple(blocks))


def _problems_and_suggestions(facts: ReportFacts) -> tuple[Section, Section]:
    problems: list[Paragraph] = []
    suggestions: list[Paragraph] = []
    behind = [g.name for g in facts.goals if g.status in ("at_risk", "off_track")]
    if behind:
        problems.append(
            Paragraph.generated(f"部分目标完成存在困难：{'、'.join(behind)}。", key="problems.goals")
        )
        suggestions.append(
            Paragraph.generated(
                f"聚焦{'、'.join(behind)}等目标，逐项分析差距，明确责任单位和时间节点，加大推进力度。",
                key="suggestions.goals",
            )
        )
    if facts.projects is not None and facts.projects.by_light.get("red"):
        n = facts.projects.by_light["red"]
        problems.append(
            Paragraph.generated(f"{n}个重大项目亮红灯，项目推进不及预期。", key="problems.projects")
        )
        suggestions.append(
            Paragraph.generated(
                "对红灯项目实行挂钩领导督办，协调解决要素保障问题，推动项目加快建设。",
                key="suggestions.projects",
            )
        )
    if facts.tasks is not None and facts.tasks.late:
        problems.append(
            Paragraph.generated(f"{len(facts.tasks.late)}项重点任务进度滞后。", key="problems.tasks")
        )
        suggestions.append(
            Paragraph.generated("加强目标责任考核，对滞后任务定期通报、限期整改。", key="suggestions.tasks")
        )
    if facts.chain is not None:
        missing = [node for _s, node, status, _r in facts.chain.nodes if status == "missing"]
        if missing:
            problems.append(
                Paragraph.generated(
                    f"产业链仍有{len(missing)}个缺链节点，补链任务较重。", key="problems.chain"
                )
            )
            suggestions.append(
                Paragraph.generated(
                    f"围绕{'、'.join(missing[:5])}等缺链节点开展精准招商，补齐产业链短板。",
                    key="suggestions.chain",
                )
            )
    if facts.supply is not None and facts.supply.breakpoints:
        problems.append(
            Paragraph.generated(
                f"供应链存在{len(facts.supply.breakpoints)}处断点，部分关键物料依赖单一或境外来源。",
                key="problems.supply",
            )
        )
        suggestions.append(
            Paragraph.generated(
                "推动国产替代和多元供应，引导本地配套企业进入重点企业供应链。", key="suggestions.supply"
            )
        )
    if not problems:
        problems.append(Paragraph.generated("各项工作总体按计划推进，未发现突出问题。", key="problems.none"))
    suggestions.append(
        Paragraph.generated(
            f"对照{facts.year + 1}年度目标任务，持续完善数据驱动的监测机制，按月跟踪、按季通报、年度评估。",
            key="suggestions.monitoring",
        )
    )
    return (
        Section(SECTION_TITLES["problems"], tuple(problems)),
        Section(SECTION_TITLES["suggestions"], tuple(suggestions)),
    )


# --- datasets (public aggregates) ------------------------------------------------------------------


def public_datasets(facts: ReportFacts, view: View) -> list[Dataset]:
    """The public edition's aggregates in tidy form (what the portal shows and the open data exports)."""
    data = facts.area_segment
    goal_rows = []
    for g in facts.goals:
        value = view.money(g.contributions, g.value) if g.is_money else g.value
        suppressed = isinstance(value, str)
        shown_value = value if suppressed else goal_figure(g, value)  # type: ignore[arg-type]
        goal_rows.append(
            (
                g.code,
                g.name,
                g.name_en,
                "亿元" if g.is_money else g.unit,
                goal_figure(g, g.target),
                shown_value,
                None if suppressed else pct(g.progress),
                g.status or "no_data",
                g.source,
                g.source_text,
            )
        )
    goals = Dataset(
        code="goals",
        title=f"{facts.year}年度目标完成情况",
        title_en=f"Goal achievement {facts.year}",
        description=(
            f"工作方案各项目标的目标值与{facts.period.label}完成值 / "
            f"plan goals, targets and results ({facts.period.label_en})"
        ),
        unit="亿元 (money) / 家 enterprises",
        source="三、3",
        source_text="形成年度监测报告，并向社会公示",
        fields=(
            ("goal", "string", "目标编码", "goal code"),
            ("name", "string", "目标", "goal"),
            ("name_en", "string", "目标（英文）", "goal (English)"),
            ("unit", "string", "单位", "unit"),
            ("target", "number", "目标值", "target"),
            ("value", "number", "完成值", "result"),
            ("progress_percent", "number", "完成进度（%）", "progress (%)"),
            ("status", "string", "状态", "status"),
            ("source", "string", "方案条款", "plan clause"),
            ("source_text", "string", "方案原文", "original sentence"),
        ),
        rows=tuple(goal_rows),
    )
    cells = []
    areas = [*((a.code, a.name, a.name_en) for a in data.areas), (TOTAL, "合计", "Total")]
    segments = [*((s.code, s.name, s.name_en) for s in data.segments), (TOTAL, "合计", "Total")]
    for a_code, a_name, a_en in areas:
        for s_code, s_name, s_en in segments:
            value = view.cell(data, None if a_code == TOTAL else a_code, None if s_code == TOTAL else s_code)
            cells.append(
                (
                    facts.year,
                    facts.period.month,
                    "total" if a_code == TOTAL else a_code,
                    a_name,
                    a_en or a_name,
                    "total" if s_code == TOTAL else s_code,
                    s_name,
                    s_en or s_name,
                    value,
                )
            )
    revenue = Dataset(
        code="revenue-by-area-segment",
        title=f"{facts.period.label}各区域分环节半导体企业营业收入",
        title_en=f"Semiconductor enterprises' revenue by area and chain segment, {facts.period.label_en}",
        description=(
            "按企业所在区域与主营产业链环节汇总的营业收入（亿元）；合计行与列为边际合计。"
            f"{sdc.PUBLIC_FOOTNOTE}"
        ),
        unit="亿元 (100 million yuan)",
        source="一",
        source_text=next((g.source_text for g in facts.goals if g.code == "industry-scale"), ""),
        fields=(
            ("year", "integer", "年份", "year"),
            ("through_month", "integer", "截至月份（0为全年）", "through month (0 = full year)"),
            ("area", "string", "区域编码", "area code"),
            ("area_name", "string", "区域", "area"),
            ("area_name_en", "string", "区域（英文）", "area (English)"),
            ("segment", "string", "环节编码", "segment code"),
            ("segment_name", "string", "环节", "segment"),
            ("segment_name_en", "string", "环节（英文）", "segment (English)"),
            ("revenue_yi", "number", "营业收入（亿元）", "revenue (100 million yuan)"),
        ),
        rows=tuple(cells),
    )
    return [goals, revenue]


# --- the document ----------------------------------------------------------------------------------


def build_document(
    facts: ReportFacts, edition: str, *, carried: list[list[str]] | None = None
) -> BuiltReport:
    view = View(edition, facts, carried)
    problems, suggestions = _problems_and_suggestions(facts)
    sections = (
        _summary(facts, view),
        _goals(facts, view),
        _areas(facts, view),
        _segments(facts, view),
        _projects(facts, view),
        _enterprises(facts, view),
        _innovation(facts, view),
        _support(facts, view),
        _finance(facts, view),
        _tasks(facts, view),
        _supply(facts, view),
        problems,
        suggestions,
    )
    preamble: list[Paragraph | Note] = [
        Paragraph(
            f"根据{facts.plan_title or '工作方案'}“形成年度监测报告，并向社会公示”的要求，"
            f"现将{facts.period.label}全市半导体产业发展监测情况报告如下。"
        )
    ]
    if view.public:
        preamble.append(Note("注：本报告为公开版，仅公布经统计数据保密处理的汇总数据，不涉及单个企业信息。"))
    if getattr(settings, "SEMICLUSTER_DEMO_MODE", False):
        preamble.append(Note("注：本报告数据为平台合成演示数据，不代表真实统计。"))
    document = Document(
        title=f"{facts.year}年度{facts.region}半导体产业发展监测报告",
        subtitle="（公开版）" if view.public else "（内部版）",
        issuer=facts.issuer,
        date=dt.date.today(),
        preamble=tuple(preamble),
        sections=sections,
        meta=(("edition", edition), ("year", str(facts.year)), ("period", facts.period.label)),
    )
    built = BuiltReport(document, edition, facts)
    if view.area_table is not None:
        built.datasets = public_datasets(facts, view)
        built.suppression = [list(k) for k in sorted(view.area_table.suppression_pattern)]
    return built


def build_annual_report(
    year: int,
    edition: str,
    *,
    edits: dict[str, str] | None = None,
    carried: list[list[str]] | None = None,
    facts: ReportFacts | None = None,
) -> BuiltReport:
    """Gather the data of ``year`` and build the ``edition`` ("internal" or "public") with stored edits."""
    if edition not in EDITIONS:
        raise ValueError(f"版本须为 internal 或 public / edition must be internal or public, got {edition!r}")
    built = build_document(facts or gather(year), edition, carried=carried)
    if edits:
        built.document = apply_edits(built.document, edits)
    return built


__all__ = [
    "EDITIONS",
    "INTERNAL",
    "PUBLIC",
    "SECTION_KEYS",
    "SECTION_TITLES",
    "BuiltReport",
    "Dataset",
    "build_annual_report",
    "build_document",
]
