"""Synthetic major projects: about 150 library projects in every stage, with monthly progress for the
plan year (January to the demo's last month), some ahead of schedule, some late, some not updated, some
with open and overdue problems escalated into supervision tickets; plus a few small projects handled as
the plan's ``below_threshold`` says. Every name and figure is invented.

Written in bulk (no per-row history, ADR 0004); lights and tickets then go through the services, so they
are exactly what the rules give.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, ChainNode, Unit
from semicluster.projects import services
from semicluster.projects.assess import plan_rules
from semicluster.projects.lifecycle import library_admission
from semicluster.projects.models import (
    AnnualPlan,
    Category,
    DataSource,
    LightChange,
    Problem,
    ProblemStatus,
    ProgressReport,
    Project,
    ProjectSource,
    Ticket,
    TicketReply,
    TicketStatus,
)

ORDER = 30
N_LIBRARY = 150
N_SMALL = 6

# Stage mix of a city library late in the year (domain-facts §6.2: most projects continuing or new).
STAGE_WEIGHTS = {
    "reserve": 8,
    "signed": 8,
    "preparation": 18,
    "started": 14,
    "under_construction": 46,
    "completed": 16,
    "in_production": 22,
    "at_capacity": 8,
    "suspended": 10,
}
WORKS = {
    "design": ["研发中心建设", "设计平台扩建", "总部及研发基地"],
    "manufacturing": ["产线扩产", "新建晶圆产线", "特色工艺产线技改"],
    "packaging": ["先进封装产线", "封测基地扩建", "模组封测产线"],
    "materials": ["材料生产基地", "电子化学品扩产", "衬底材料产线"],
    "equipment": ["装备制造基地", "零部件精密加工", "设备整机扩产"],
}
PROBLEMS = [
    ("land", "zrzyj", "用地指标尚未落实，需协调土地供应"),
    ("permits", "fgw", "项目备案及能评手续办理进度滞后"),
    ("permits", "zrzyj", "规划许可证办理需加快"),
    ("funds", "jrj", "项目融资缺口，需协调银行贷款"),
    ("funds", "czj", "产业扶持资金拨付进度需跟进"),
    ("power", "gxj", "用电增容申请待批复"),
    ("staff", "rsj", "技术工人招聘困难，需人才政策支持"),
    ("other", "swj", "进口设备通关时间较长"),
]
SUSPENSION_REASONS = ["市场变化，投资方调整投资计划", "资金未到位，项目暂缓", "设备供应延迟，暂停施工"]


def _m(value: float) -> Decimal:
    return Decimal(str(round(value / 10000) * 10000)).quantize(Decimal("0.01"))


def _day(rng: Any, year: int, month: int, low: int = 1, high: int = 28) -> dt.date:
    return dt.date(year, month, rng.randint(low, high))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("projects")
    year = ctx.year
    through = int(ctx.settings["through_month"])
    data_day = dt.date(year, through, 28)  # "today" of the demo data set
    firms: list[Enterprise] = list(Enterprise.objects.select_related("primary_node__segment").order_by("id"))
    if not firms:
        return
    areas = {a.id: a for a in Area.objects.prefetch_related("focus_nodes")}
    nodes = list(ChainNode.objects.select_related("segment"))
    units = {u.code: u for u in Unit.objects.all()}
    lead_units = [units[c] for c in ("gxj", "fgw", "swj", "kjj") if c in units] or list(units.values())
    rules = plan_rules()

    stages = [s for s, w in STAGE_WEIGHTS.items() for _ in range(w)]
    rng.shuffle(stages)
    stages = (stages * 2)[:N_LIBRARY]
    projects: list[Project] = []
    extras: list[dict[str, Any]] = []
    names: set[str] = set()
    for index, stage in enumerate(stages):
        owner = firms[0] if index < 2 else rng.choice(firms)
        area = areas[owner.area_id]
        focus = list(area.focus_nodes.all())
        node = owner.primary_node if rng.random() < 0.7 or not focus else rng.choice(focus or nodes)
        works = rng.choice(WORKS.get(node.segment.code, ["扩产项目"]))
        name = f"{owner.name.removesuffix('（示例）').split('有限')[0]}{works}项目（示例）"
        while name in names:
            name = name.replace("项目（示例）", f"{rng.choice('二三四五')}期项目（示例）")
        names.add(name)
        total = _m(min(max(rng.lognormvariate(19.0, 0.9), 55_000_000), 6_000_000_000))
        dates, category, plan_share, suspended_from = _lifecycle(rng, stage, year, through)
        project = Project(
            name=name,
            owner=owner,
            area=area,
            town_id=owner.town_id,
            node=node,
            industry_code=node.industry_codes[0] if node.industry_codes else "",
            category=category,
            construction_content=f"{works}，新增{node.name}相关产能（示例）",
            total_investment=total,
            equipment_investment=_m(float(total) * rng.uniform(0.35, 0.7)),
            source=rng.choices(list(ProjectSource.values), weights=[4, 4, 2])[0],
            responsible_leader=f"{rng.choice('王李张刘陈杨赵黄周吴')}副市长（示例）",
            responsible_unit=rng.choice(lead_units),
            service_team="\n".join(
                f"{rng.choice('王李张刘陈杨赵黄')}{rng.choice('明华军伟芳静磊')}（示例），{u.short_name}"
                for u in rng.sample(list(units.values()), k=2)
            ),
            in_library=True,
            admission_note=library_admission(total, rules.library).message[:200],
            stage=stage,
            suspended_from=suspended_from,
            suspension_reason=rng.choice(SUSPENSION_REASONS) if stage == "suspended" else "",
            **dates,
        )
        if dates.get("actual_start") and rng.random() < 0.8:
            project.entered_statistics_on = _add_months(dates["actual_start"], rng.randint(0, 2))
            if project.entered_statistics_on > data_day:
                project.entered_statistics_on = None
        projects.append(project)
        extras.append({"plan_share": plan_share})

    # Small projects: refused or kept as ordinary projects, whatever the plan says.
    refused = 0
    for _ in range(N_SMALL):
        owner = rng.choice(firms)
        total = _m(rng.uniform(8_000_000, 45_000_000))
        admission = library_admission(total, rules.library)
        if not admission.keep_as_ordinary:
            refused += 1
            continue
        projects.append(
            Project(
                name=f"{owner.name.removesuffix('（示例）').split('有限')[0]}设备更新技改项目（示例）",
                owner=owner,
                area=areas[owner.area_id],
                town_id=owner.town_id,
                node=owner.primary_node,
                industry_code=owner.industry_code,
                category=Category.NEW,
                construction_content="购置检测及生产设备（示例）",
                total_investment=total,
                source=ProjectSource.TECH_TRANSFORMATION,
                responsible_unit=units.get("gxj"),
                in_library=False,
                admission_note=admission.message[:200],
                stage="preparation",
                planned_start=_day(rng, year, rng.randint(3, 12)),
            )
        )
        extras.append({"plan_share": 0.0})
    Project.objects.bulk_create(projects, batch_size=500)
    projects = list(Project.objects.order_by("id"))

    plans: list[AnnualPlan] = []
    reports: list[ProgressReport] = []
    for project, extra in zip(projects, extras, strict=True):
        share = extra["plan_share"]
        if share <= 0:
            continue
        annual = _m(float(project.total_investment) * share)
        plans.append(AnnualPlan(project=project, year=year, amount=annual))
        reports.extend(_progress(rng, project, annual, year, through))
    AnnualPlan.objects.bulk_create(plans, batch_size=1000)
    ProgressReport.objects.bulk_create(reports, batch_size=2000)

    _problems(
        rng,
        [p for p in projects if p.in_library and p.stage not in ("reserve", "at_capacity")],
        units,
        year,
        through,
    )
    escalated = services.problems_escalate(today=data_day)
    for ticket in escalated.created:
        roll = rng.random()
        if roll < 0.5:
            TicketReply.objects.create(
                ticket=ticket,
                author_name=f"{ticket.unit.short_name}联络员（示例）",
                text="已召开协调会，正在推进（示例）",
            )
            ticket.status = TicketStatus.REPLIED
            if roll < 0.2:
                ticket.status = TicketStatus.CLOSED
                ticket.closed_on = data_day
                ticket.closing_note = "问题已协调解决（示例）"
            ticket.save()
    changed = services.lights_recompute_all(month=dt.date(year, through, 1), trigger="demo")
    in_library = sum(1 for p in projects if p.in_library)
    ctx.say(
        f"  {in_library} library projects, {len(projects) - in_library} ordinary, "
        f"{refused} refused below the threshold; {len(reports)} monthly reports, "
        f"{Problem.objects.count()} problems, "
        f"{len(escalated.created)} tickets, {changed} lights"
    )


def _lifecycle(rng: Any, stage: str, year: int, through: int) -> tuple[dict[str, dt.date], str, float, str]:
    """Milestone dates, category, this year's plan as a share of the total, and the stage left if
    suspended."""
    suspended_from = ""
    if stage == "suspended":
        suspended_from = rng.choice(["preparation", "started", "under_construction"])
        effective = suspended_from
    else:
        effective = stage
    dates: dict[str, dt.date] = {}
    late = rng.random() < 0.3
    if effective in ("reserve", "signed"):
        if rng.random() < 0.5:
            dates["planned_start"] = _day(rng, year + 1, rng.randint(1, 9))
        return dates, Category.RESERVE, 0.0, suspended_from
    if effective == "preparation":
        # Planned to start this year; a late one's planned month has passed without a start.
        month = rng.randint(1, through - 1) if late else rng.randint(min(through + 1, 12), 12)
        dates["planned_start"] = _day(rng, year, month)
        dates["planned_completion"] = _add_months(dates["planned_start"], rng.randint(14, 30))
        dates["planned_production"] = _add_months(dates["planned_completion"], rng.randint(2, 6))
        return dates, Category.NEW, rng.uniform(0.05, 0.15), suspended_from
    if effective == "started":
        actual = _day(rng, year, rng.randint(1, through))
        slip = rng.randint(1, 4) if late else rng.randint(-1, 0)
        dates["planned_start"] = _add_months(actual, -slip)
        dates["actual_start"] = actual
        dates["planned_completion"] = _add_months(actual, rng.randint(14, 30))
        dates["planned_production"] = _add_months(dates["planned_completion"], rng.randint(2, 6))
        return dates, Category.NEW, rng.uniform(0.15, 0.35), suspended_from
    start_year = rng.choice([year - 3, year - 2, year - 1])
    dates["actual_start"] = _day(rng, start_year, rng.randint(1, 12))
    dates["planned_start"] = _add_months(dates["actual_start"], -rng.randint(0, 2))
    if effective == "under_construction":
        dates["planned_completion"] = _day(rng, rng.choice([year, year + 1, year + 2]), rng.randint(1, 12))
        if dates["planned_completion"] < dates["planned_start"]:
            dates["planned_completion"] = _add_months(dates["planned_start"], 18)
        dates["planned_production"] = _add_months(dates["planned_completion"], rng.randint(2, 6))
        return dates, Category.CONTINUING, rng.uniform(0.2, 0.4), suspended_from
    completion_year = (
        year if effective in ("completed", "in_production") else rng.choice([year - 2, year - 1])
    )
    completion = _day(rng, completion_year, rng.randint(1, through if completion_year == year else 12))
    completion = max(completion, _add_months(dates["actual_start"], 6))
    if completion > dt.date(year, through, 28):
        completion = dt.date(year, through, 15)
    dates["actual_completion"] = completion
    dates["planned_completion"] = _add_months(completion, -rng.randint(0, 3) if late else rng.randint(0, 2))
    dates["planned_production"] = _add_months(dates["planned_completion"], 3)
    if effective == "completed":
        return dates, Category.COMPLETION, rng.uniform(0.1, 0.25), suspended_from
    production = min(_add_months(completion, rng.randint(1, 4)), dt.date(year, through, 28))
    dates["actual_production"] = max(production, completion)
    if effective == "in_production":
        return dates, Category.COMPLETION, rng.uniform(0.1, 0.2), suspended_from
    return dates, Category.COMPLETION, 0.0, suspended_from  # at capacity: no investment planned this year


def _progress(rng: Any, project: Project, annual: Decimal, year: int, through: int) -> list[ProgressReport]:
    """Year-to-date reports for months after the start: ahead, on schedule, late or very late; some stop
    reporting a few months before the end (stale data)."""
    if project.actual_start is None:
        return []
    first = 1 if project.actual_start.year < year else project.actual_start.month
    if project.stage == "suspended":
        last = rng.randint(first, max(first, through - 3))
    elif rng.random() < 0.12:
        last = rng.randint(first, max(first, through - 2))
    else:
        last = through
    pace = rng.choices([1.2, 1.0, 0.75, 0.45], weights=[2, 5, 3, 1])[0] * rng.uniform(0.9, 1.1)
    reports = []
    ytd = Decimal(0)
    for month in range(first, last + 1):
        target = annual * Decimal(str(min(1.0, pace * month / 12 * rng.uniform(0.95, 1.05))))
        ytd = max(ytd, target.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        report_day = _add_months(dt.date(year, month, rng.randint(3, 12)), 1)
        reports.append(
            ProgressReport(
                project=project,
                year=year,
                month=month,
                ytd_completed=ytd,
                stage=project.stage if project.stage != "suspended" else project.suspended_from,
                image_progress=rng.choice(
                    ["主体结构施工中", "厂房封顶", "设备进场安装", "洁净室装修", "设备调试"]
                ),
                reported_at=report_day,
                source=DataSource.DEMO,
            )
        )
    return reports


def _problems(rng: Any, projects: list[Project], units: dict[str, Unit], year: int, through: int) -> None:
    problems = []
    for project in rng.sample(projects, k=min(len(projects), 48)):
        for _ in range(rng.choice([1, 1, 2, 3])):
            category, unit_code, text = rng.choice(PROBLEMS)
            raised = _day(rng, year, rng.randint(max(1, through - 6), through - 1))
            deadline = _add_months(raised, rng.randint(1, 3))
            resolved = rng.random() < 0.3 and deadline <= dt.date(year, through, 28)
            problems.append(
                Problem(
                    project=project,
                    description=f"{text}（示例）",
                    category=category,
                    owner_unit=units.get(unit_code) or next(iter(units.values())),
                    raised_on=raised,
                    deadline=deadline,
                    status=ProblemStatus.RESOLVED if resolved else ProblemStatus.OPEN,
                    resolution="已协调解决（示例）" if resolved else "",
                    closed_on=deadline if resolved else None,
                )
            )
    Problem.objects.bulk_create(problems, batch_size=1000)


def reset() -> None:
    for plain in (TicketReply, LightChange):
        fast_delete(plain.objects.all())
    for model in (Ticket, Problem, ProgressReport, AnnualPlan, Project):
        fast_delete(model.objects.all())
        fast_delete(model.history.model.objects.all())  # type: ignore[attr-defined,union-attr]
