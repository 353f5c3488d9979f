"""Synthetic investment targets in every pipeline stage, and two chain communities.

Every company here is invented ("（示例）" / "(demo)"). Targets lean on the plan's gap nodes (wafer
fabrication, equipment, materials); some would fill the survey's planted breakpoints, and one
breakpoint is left without a lead so the gaps list has something to show. Landed targets become
projects through the project library's own service, as an officer's click would.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from semicluster.chain.models import (
    ChainCommunity,
    CommunityMember,
    InvestmentTarget,
    JointAction,
    TargetStep,
)
from semicluster.chain.services import (
    action_add,
    community_save,
    member_add,
    target_advance,
    target_land,
    target_save,
)
from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.credit_code import make_valid_code
from semicluster.enterprises.models import Enterprise, Measure, PeriodType, PeriodValue
from semicluster.plans.models import Area, ChainNode, Unit

ORDER = 55

# (name, English name, category, country, nodes, breakpoint items, investment in 亿元, area)
TARGETS: list[tuple[str, str, str, str, tuple[str, ...], list[list[str]], int, str]] = [
    (
        "寰宇晶圆制造集团（示例）",
        "Orbis Wafer Group (demo)",
        "fortune-global-500",
        "US",
        ("wafer-fab",),
        [],
        120,
        "gxq",
    ),
    (
        "东岳精细化学（示例）",
        "Toyo Fine Chemical (demo)",
        "multinational",
        "JP",
        ("electronic-chemicals",),
        [["material", "EUV光刻胶"]],
        15,
        "wz",
    ),
    (
        "Ionix 离子注入（示例）",
        "Ionix Implant Systems (demo)",
        "hidden-champion",
        "US",
        ("process-equipment",),
        [["equipment", "离子注入机"]],
        8,
        "wz",
    ),
    (
        "中科装备集团（示例）",
        "Zhongke Equipment Group (demo)",
        "central-soe",
        "CN",
        ("process-equipment", "equipment-parts"),
        [],
        30,
        "wz",
    ),
    ("芯源碳化硅（示例）", "Xinyuan SiC (demo)", "unicorn", "CN", ("sic-substrate",), [], 25, "gxq"),
    ("氮晶外延（示例）", "Nitra Epi (demo)", "unicorn", "CN", ("gan-epitaxy",), [], 12, "gxq"),
    (
        "Delta 光刻部件（示例）",
        "Delta Litho Parts (demo)",
        "hidden-champion",
        "NL",
        ("lithography-parts",),
        [],
        6,
        "wz",
    ),
    (
        "Rhein 真空技术（示例）",
        "Rhein Vacuum (demo)",
        "hidden-champion",
        "DE",
        ("equipment-parts",),
        [],
        4,
        "wz",
    ),
    (
        "太平洋测试仪器（示例）",
        "Pacific Test Instruments (demo)",
        "multinational",
        "US",
        ("test-instruments",),
        [],
        5,
        "kfq",
    ),
    ("华夏硅材料（示例）", "Huaxia Silicon (demo)", "central-soe", "CN", ("wafer-materials",), [], 40, "wz"),
    ("Formosa 存储（示例）", "Formosa Memory (demo)", "multinational", "TW", ("memory-ic",), [], 20, "kfq"),
    ("天枢GPU（示例）", "Tianshu GPU (demo)", "unicorn", "CN", ("general-purpose-ic",), [], 10, "kfq"),
    (
        "Kanto 气体（示例）",
        "Kanto Gases (demo)",
        "fortune-global-500",
        "JP",
        ("electronic-chemicals",),
        [],
        9,
        "wz",
    ),
    ("Hanbit 射频（示例）", "Hanbit RF (demo)", "multinational", "KR", ("rf-device",), [], 7, "gxq"),
    ("智感MEMS（示例）", "Zhigan MEMS (demo)", "unicorn", "CN", ("mems-sensor",), [], 6, "ldq"),
    ("微联物联（示例）", "Weilian IoT (demo)", "hidden-champion", "CN", ("iot-asic",), [], 2, "hq"),
    ("显芯驱动（示例）", "Xianxin Driver (demo)", "unicorn", "CN", ("display-driver-ic",), [], 5, "kfq"),
    (
        "宏图封装材料（示例）",
        "Hongtu Packaging Materials (demo)",
        "hidden-champion",
        "CN",
        ("packaging-materials",),
        [],
        3,
        "wz",
    ),
    (
        "Pacific 功率器件（示例）",
        "Pacific Power Devices (demo)",
        "fortune-global-500",
        "US",
        ("power-semiconductor",),
        [],
        18,
        "gxq",
    ),
    (
        "数模微电子（示例）",
        "Shumo Microelectronics (demo)",
        "hidden-champion",
        "CN",
        ("data-converter-ic",),
        [],
        2,
        "hq",
    ),
    (
        "北辰EDA（示例）",
        "Beichen EDA (demo)",
        "unicorn",
        "CN",
        ("eda-ip",),
        [["eda_ip", "EDA设计工具"]],
        3,
        "hq",
    ),
    (
        "国晶化合物（示例）",
        "Guojing Compound (demo)",
        "central-soe",
        "CN",
        ("compound-semiconductor",),
        [],
        22,
        "gxq",
    ),
    (
        "Delta 量测（示例）",
        "Delta Metrology (demo)",
        "multinational",
        "NL",
        ("test-instruments",),
        [],
        6,
        "wz",
    ),
    (
        "星海图像传感（示例）",
        "Xinghai Imaging (demo)",
        "multinational",
        "SG",
        ("image-sensor",),
        [],
        9,
        "kfq",
    ),
    (
        "凌云封测（示例）",
        "Lingyun Packaging (demo)",
        "central-soe",
        "CN",
        ("advanced-packaging",),
        [],
        14,
        "kfq",
    ),
    (
        "Rhein 精密陶瓷（示例）",
        "Rhein Ceramics (demo)",
        "hidden-champion",
        "DE",
        ("equipment-parts",),
        [],
        3,
        "wz",
    ),
    ("东方电源管理（示例）", "Dongfang PMIC (demo)", "unicorn", "CN", ("power-management-ic",), [], 4, "kfq"),
    (
        "Kanto 晶体炉（示例）",
        "Kanto Crystal Furnace (demo)",
        "multinational",
        "JP",
        ("process-equipment",),
        [],
        5,
        "wz",
    ),
]
# Stage per target, in the order above: every stage appears, dropped ones with a reason.
STAGES = [
    "negotiating", "visited", "contacted", "signed", "landed", "lead", "lead", "contacted", "visited",
    "landed", "dropped", "negotiating", "lead", "contacted", "signed", "landed", "visited", "dropped",
    "lead", "negotiating", "contacted", "signed", "lead", "dropped", "visited", "lead", "contacted",
    "negotiating",
]  # fmt: skip
DROP_REASONS = ["企业投资计划调整，暂缓在华布局", "选址转向其他城市", "融资未到位，项目取消"]


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("chain")
    year = ctx.year
    nodes = {n.code: n for n in ChainNode.objects.select_related("segment")}
    areas = {a.code: a for a in Area.objects.prefetch_related("towns")}
    unit = Unit.objects.filter(code="swj").first()
    day0 = dt.date(year, 1, 6)
    landed = 0
    for index, (name, name_en, category, country, node_codes, items, yi, area) in enumerate(TARGETS):
        stage = STAGES[index % len(STAGES)]
        on = day0 + dt.timedelta(days=rng.randint(0, 60))
        target = target_save(
            actor=OFFICE,
            data={
                "name": name,
                "name_en": name_en,
                "category": category,
                "country": country,
                "supply_items": items,
                "estimated_investment": Decimal(yi) * Decimal(100_000_000),
                "intended_area": areas[area],
                "responsible_unit": unit,
                "note": f"{nodes[node_codes[0]].name}方向招引（示例）",
            },
            nodes=[nodes[c] for c in node_codes],
            on=on,
        )
        path = {"dropped": ["contacted", "visited"][: rng.randint(0, 2)]}.get(
            stage, ["contacted", "visited", "negotiating", "signed"]
        )
        for step in path:
            if stage in ("lead",):
                break
            on += dt.timedelta(days=rng.randint(10, 40))
            target = target_advance(actor=OFFICE, target=target, stage=step, on=on, note="")
            if step == stage:
                break
        if stage == "dropped":
            on += dt.timedelta(days=rng.randint(10, 30))
            reason = DROP_REASONS[index % len(DROP_REASONS)]
            target_advance(actor=OFFICE, target=target, stage="dropped", on=on, reason=reason)
        elif stage == "landed":
            landed += 1
            town = rng.choice(list(areas[area].towns.all()))
            first16 = f"91320583MA{year % 100:02d}{7000 + index:04d}"
            target_land(
                actor=OFFICE,
                target=target,
                town=town,
                new_owner={
                    "credit_code": make_valid_code(first16),
                    "name": name.replace("（示例）", "（昆山）有限公司（示例）"),
                    "ownership": "foreign"
                    if country != "CN"
                    else "state"
                    if category == "central-soe"
                    else "private",
                },
                on=on + dt.timedelta(days=rng.randint(10, 30)),
            )
    _communities(ctx, nodes)
    ctx.say(f"  {InvestmentTarget.objects.count()} investment targets ({landed} landed), 2 chain communities")


def _leader(node: str, year: int) -> Enterprise | None:
    best = (
        PeriodValue.objects.filter(
            measure=Measure.REVENUE, period_type=PeriodType.YEAR, enterprise__primary_node__code=node
        )
        .order_by("-year", "-value")
        .select_related("enterprise")
        .first()
    )
    return best.enterprise if best else Enterprise.objects.filter(primary_node__code=node).first()


def _communities(ctx: DemoContext, nodes: dict[str, ChainNode]) -> None:
    plans = [
        (
            "先进封装产业链共同体（示例）",
            "advanced-packaging",
            ["packaging-materials", "equipment-parts"],
            [
                ("downstream", "某智能终端整机厂（示例）", "深圳"),
                ("upstream", "某封装设备厂（示例）", "新加坡"),
            ],
            [["material", "高端封装基板"]],
            ["封装基板国产化联合验证", "关键封装材料联合采购"],
        ),
        (
            "化合物半导体产业链共同体（示例）",
            "compound-semiconductor",
            ["gan-epitaxy", "sic-substrate"],
            [("downstream", "某新能源汽车电驱企业（示例）", "上海")],
            [["components", "射频电源"]],
            ["GaN 外延片本地配套对接会", "车规级功率器件联合攻关"],
        ),
    ]
    for name, node, upstream_nodes, outsiders, items, actions in plans:
        leader = _leader(node, ctx.year)
        if leader is None:
            continue
        community = community_save(
            actor=OFFICE,
            data={
                "name": name,
                "leader": leader,
                "formed_on": dt.date(ctx.year, 3, 18),
                "description": f"由{leader.name}牵头，联合上下游企业提升产业链主导能力与供应链畅通能力"
                "（示例）",
                "breakpoint_items": items,
            },
            nodes=[nodes[node], *(nodes[c] for c in upstream_nodes)],
        )
        members = Enterprise.objects.filter(primary_node__code__in=upstream_nodes).order_by("id")[:4]
        for member in members:
            member_add(actor=OFFICE, community=community, role="upstream", enterprise=member)
        for role, outside, where in outsiders:
            member_add(
                actor=OFFICE, community=community, role=role, outside_name=outside, outside_location=where
            )
        for n, title in enumerate(actions):
            action_add(
                actor=OFFICE,
                community=community,
                title=title,
                started_on=dt.date(ctx.year, 4 + 2 * n, 10),
                status="under_way" if n == 0 else "planned",
            )


class _Office:
    """The demo generator acts as the leading-group office (no user row: history shows no one)."""

    pk = None
    is_active = True
    is_authenticated = True
    is_superuser = True
    role = "city_admin"


OFFICE = _Office()


def reset() -> None:
    fast_delete(ChainCommunity.nodes.through.objects.all())
    for model in (JointAction, CommunityMember, ChainCommunity):
        fast_delete(model.history.model.objects.all())  # type: ignore[attr-defined]
        fast_delete(model.objects.all())
    fast_delete(TargetStep.objects.all())
    fast_delete(InvestmentTarget.nodes.through.objects.all())
    fast_delete(InvestmentTarget.history.model.objects.all())
    fast_delete(InvestmentTarget.objects.all())
