"""Synthetic R&D projects on the plan's key technologies: most technologies covered, a few not.

Projects are run by fictional demo firms whose chain nodes match the technology, some jointly with
the fictional demo platforms; the four institutions the plan names get no projects or figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.models import Enterprise, InnovationPlatform, Measure, PeriodType, PeriodValue
from semicluster.innovation.models import RDProject
from semicluster.plans.models import KeyTechnology

ORDER = 20
# Technologies left without active work, so the coverage view shows real gaps (the plan's hardest).
UNCOVERED = {"advanced-nodes", "lithography"}
TOPICS = ["关键工艺攻关", "产品迭代研发", "可靠性提升", "国产化替代验证", "新一代平台开发"]
TOPICS_EN = [
    "key process development",
    "product iteration",
    "reliability",
    "domestic substitution",
    "next platform",
]


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("innovation")
    year = ctx.year
    techs = list(KeyTechnology.objects.filter(plan_version=ctx.plan_version).prefetch_related("nodes"))
    platforms = list(InnovationPlatform.objects.filter(named_in_plan=False))
    firms = list(Enterprise.objects.select_related("area").prefetch_related("secondary_nodes").order_by("id"))
    revenue = dict(
        PeriodValue.objects.filter(
            measure=Measure.REVENUE, year=year - 1, period_type=PeriodType.YEAR
        ).values_list("enterprise_id", "value")
    )
    rows = []
    for tech in techs:
        nodes = {n.pk for n in tech.nodes.all()}
        matching = [
            f for f in firms if f.primary_node_id in nodes or nodes & {n.pk for n in f.secondary_nodes.all()}
        ]
        if not matching:
            continue
        # Larger firms run more of the research: weight the draw by revenue rank.
        matching.sort(key=lambda f: -revenue.get(f.pk, Decimal(0)))
        weights = [1 / (rank + 3) for rank in range(len(matching))]
        for index in range(rng.randint(4, 10)):
            firm = rng.choices(matching, weights=weights)[0]
            platform = rng.choice(platforms) if platforms and rng.random() < 0.25 else None
            start = dt.date(rng.randint(year - 3, year), rng.randint(1, 12), 1)
            status = rng.choices(
                [
                    RDProject.Status.ACTIVE,
                    RDProject.Status.PLANNED,
                    RDProject.Status.COMPLETED,
                    RDProject.Status.SUSPENDED,
                ],
                weights=[60, 10, 22, 8],
            )[0]
            if tech.code in UNCOVERED and status in RDProject.ACTIVE_STATUSES:
                status = RDProject.Status.COMPLETED if index % 2 else RDProject.Status.SUSPENDED
            topic = rng.randrange(len(TOPICS))
            rows.append(
                RDProject(
                    title=f"{tech.name}{TOPICS[topic]}（示例）",
                    key_technology=tech,
                    enterprise=firm,
                    platform=platform,
                    area=firm.area,
                    budget=Decimal(rng.randint(8, 600)) * Decimal(100_000),
                    start=start,
                    end=start.replace(year=start.year + rng.randint(1, 3)),
                    milestones=[
                        {
                            "date": start.replace(year=start.year + 1).isoformat(),
                            "description": "完成样品流片与测试（示例）",
                            "description_en": f"{TOPICS_EN[topic]}: samples taped out and tested (synthetic)",
                            "done": start.year + 1 < year,
                        }
                    ],
                    status=status,
                    is_demo=True,
                )
            )
    RDProject.objects.bulk_create(rows)
    active = {r.key_technology.code for r in rows if r.status == RDProject.Status.ACTIVE}
    covered = sum(1 for t in techs if t.code in active)
    ctx.say(f"  {len(rows)} R&D projects; {covered} of {len(techs)} key technologies with active work")


def reset() -> None:
    fast_delete(RDProject.history.model.objects.all())
    fast_delete(RDProject.objects.all())
