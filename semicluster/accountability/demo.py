"""Synthetic work items, progress reports, escalations, meetings and draft bulletins (all invented).

Units differ on purpose so the pages have something to show: 市工信局 and 市发改委 report on time and
finish; 市科技局 lags; 市商务局 reports after the due day (inside the grace period); 市地方金融监管局 and
市财政局 fall silent late in the year and are escalated (督办); one milestone is missed (a late item).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from semicluster.accountability import engine, selectors, services
from semicluster.accountability.models import (
    Bulletin,
    BulletinParagraph,
    Decision,
    Escalation,
    Meeting,
    Milestone,
    ProgressUpdate,
    WorkItem,
)
from semicluster.accounts.models import Role
from semicluster.core.demo import DemoContext, fast_delete
from semicluster.plans.models import Unit

ORDER = 70


class DemoOffice:
    """The leading-group office acting in the demo (no user row: demo log-ins are made later)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = Role.CITY_ADMIN
    pk = None
    unit_id = area_id = enterprise_id = None


# Reporting habit per unit: days relative to the due day (negative = early), share of progress by year end,
# and the last period (month) it reports for; None = reports throughout.
HABITS: dict[str, tuple[tuple[int, int], Decimal, int | None]] = {
    "gxj": ((-4, 0), Decimal("1.10"), None),
    "fgw": ((-3, 0), Decimal("1.15"), None),
    "kjj": ((-2, 0), Decimal("0.80"), None),
    "swj": ((1, 3), Decimal("0.95"), None),
    "jrj": ((-1, 0), Decimal("0.70"), 9),
    "czj": ((-2, 0), Decimal("0.90"), 10),
    "tjj": ((-3, 0), Decimal("1.20"), None),
}
MISSED_MILESTONES = {"supply-chain-survey"}  # reported on, but the milestone never reached: late
# Items that move slower than their unit's habit (still open at year end).
SLOW = {"supply-chain-survey": Decimal("0.6"), "meeting-20250318-1": Decimal("0.5")}


def _progress(habit: Decimal, item: WorkItem, day: date) -> Decimal:
    span = max((item.deadline - item.start).days, 1)
    share = Decimal(max((day - item.start).days, 0)) / Decimal(span)
    return min(Decimal(100), (share * habit * 100).quantize(Decimal("1")))


def _report_all(ctx: DemoContext, office: Any, items: list[WorkItem], as_of: date) -> int:
    rng = ctx.rng("accountability")
    rules = selectors.reporting_rules(items[0].plan_version)
    count = 0
    for item in items:
        (early, late), speed, last_month = HABITS.get(item.lead_unit.code, ((-2, 0), Decimal("1.0"), None))
        speed = SLOW.get(item.code, speed)
        milestones = list(item.milestones.all())
        done_keys: set[str] = set()
        for period in engine.periods_between(rules, item.start, as_of):
            if last_month is not None and period.index > last_month:
                break
            reported_on = period.due_date + timedelta(days=rng.randint(early, late))
            if reported_on > as_of:
                break
            percent = _progress(speed, item, period.end)
            reached = [
                m
                for m in milestones
                if m.due <= period.end and item.code not in MISSED_MILESTONES and m.key not in done_keys
            ]
            done_keys.update(m.key for m in reached)
            services.progress_report(
                actor=office,
                item=item,
                text=f"{period.label.zh}：按计划推进{item.title[:16]}，完成{percent}%。",
                percent=percent,
                milestones_reached=reached,
                done=percent >= 100,
                problems="需市级层面协调用地指标。" if rng.random() < 0.08 else "",
                reported_on=reported_on,
                period_key=period.key,
            )
            count += 1
            if percent >= 100:
                break
    return count


def generate(ctx: DemoContext) -> None:
    version = ctx.plan_version
    office = DemoOffice()
    services.work_items_sync(actor=office, version=version)
    as_of = selectors.default_as_of(version)
    year = ctx.year
    units = {u.code: u for u in Unit.objects.all()}

    parent = WorkItem.objects.get(plan_version=version, code="leading-enterprises")
    services.work_item_decompose(
        actor=office,
        parent=parent,
        title="梳理50亿级、10亿级企业培育名单",
        lead_unit=units["fgw"],
        responsible_person="王某（示例）",
        deadline=date(year, 6, 30),
        deliverable="龙头骨干企业培育名单",
        milestones=[(date(year, 3, 31), "形成名单初稿")],
    )
    services.work_item_decompose(
        actor=office,
        parent=parent,
        title="面向龙头企业开展产业链招商对接",
        lead_unit=units["swj"],
        responsible_person="李某（示例）",
        deadline=date(year, 10, 31),
    )

    first = services.meeting_record(
        actor=office,
        version=version,
        date=date(year, 3, 18),
        title=f"半导体产业发展领导小组{year}年第一次全体会议",
        attendees="领导小组组长、副组长；各成员单位分管负责人（示例）",
        topics="审议年度工作要点；部署重大项目推进；研究流片补贴兑现",
        decisions=[
            ("市财政局会同市工信局制定流片补贴兑现细则", units["czj"], date(year, 6, 30)),
            ("各区镇于6月底前报送重点项目清单", units["gxj"], date(year, 6, 30)),
        ],
    )
    second = services.meeting_record(
        actor=office,
        version=version,
        date=date(year, 9, 16),
        title=f"半导体产业发展领导小组{year}年第二次全体会议",
        attendees="领导小组组长、副组长；各成员单位分管负责人（示例）",
        topics="通报上半年工作进展；研究金融支持措施；完善统计监测口径",
        decisions=[
            ("市地方金融监督管理局牵头组织半导体企业专场银企对接会", units["jrj"], date(year, 11, 30)),
            ("市统计局完善半导体产业统计监测口径", units["tjj"], date(year, 12, 15)),
        ],
    )
    for decision in (first.decisions.order_by("sort").first(), *second.decisions.order_by("sort")):
        if decision is not None:
            services.decision_track(actor=office, decision=decision)

    items = list(
        WorkItem.objects.filter(plan_version=version)
        .select_related("lead_unit", "plan_version__plan")
        .prefetch_related("milestones")
        .order_by("sort", "code")
    )
    reports = _report_all(ctx, office, items, as_of)

    escalations = services.escalations_issue(actor=office, version=version, today=as_of)
    answered = next((e for e in escalations if e.unit.code == "jrj"), None)
    if answered is not None:
        services.escalation_reply(
            actor=office, escalation=answered, text="因人员调整漏报，已于次日补报并明确专人负责（示例）。"
        )

    # Drafts only: goal figures come from the monitoring demo, which runs after this one (ORDER 80);
    # a draft is built from live data when opened, an issued bulletin would freeze "not available".
    services.bulletin_draft(actor=office, version=version, period_key=f"{year}-Q2", as_of=date(year, 7, 9))
    last = engine.period_containing(selectors.reporting_rules(version), as_of)
    services.bulletin_draft(actor=office, version=version, period_key=last.key, as_of=as_of)
    ctx.say(
        f"  {len(items)} work items, {reports} progress reports, {len(escalations)} escalations, "
        f"2 meetings, 2 draft bulletins (data as of {as_of.isoformat()})"
    )


def reset() -> None:
    # Issued bulletins refuse Model.delete(); the demo set is thrown away whole with raw deletes.
    for model in (
        BulletinParagraph,
        Bulletin,
        Escalation,
        ProgressUpdate.milestones_reached.through,
        ProgressUpdate,
        Decision,
        Meeting,
        Milestone,
        WorkItem.co_units.through,
        WorkItem.goals.through,
    ):
        fast_delete(model.objects.all())
    fast_delete(WorkItem.objects.filter(parent__isnull=False))
    fast_delete(WorkItem.objects.all())
    for history in (WorkItem, Milestone, ProgressUpdate, Escalation, Meeting, Decision):
        fast_delete(history.history.model.objects.all())  # type: ignore[attr-defined]
