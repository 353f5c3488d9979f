"""Synthetic enterprises, period data, designations and platforms.

Calibrated so the plan's goals show a realistic mix: the industry scale lands near its 35 bn target
(at risk), a handful of firms sit just under 1 bn and one under 5 bn so the threshold-crossing goals
are partly met, and some firms miss the latest monthly report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.credit_code import make_valid_code
from semicluster.enterprises.models import (
    Basis,
    Designation,
    Enterprise,
    InnovationPlatform,
    ListingBoard,
    Measure,
    Ownership,
    PeriodType,
    PeriodValue,
    Source,
)
from semicluster.enterprises.services import tiers_refresh
from semicluster.plans.models import Area, ChainNode, DesignationType

ORDER = 10

# Plainly fictional name parts (with pinyin for the English name).
PREFIXES = [
    ("晨芯", "Chenxin"),
    ("澄微", "Chengwei"),
    ("鹿岭", "Luling"),
    ("玉峰", "Yufeng"),
    ("淞川", "Songchuan"),
    ("启原", "Qiyuan"),
    ("翰硅", "Hangui"),
    ("锦曦", "Jinxi"),
    ("岚图", "Lantu"),
    ("泓睿", "Hongrui"),
    ("昊晶", "Haojing"),
    ("朗芯", "Langxin"),
    ("弘矽", "Hongxi"),
    ("桐光", "Tongguang"),
    ("湛蓝", "Zhanlan"),
    ("曜石", "Yaoshi"),
    ("青禾", "Qinghe"),
    ("云岫", "Yunxiu"),
    ("澜渊", "Lanyuan"),
    ("栖霞", "Qixia"),
    ("拓维", "Tuowei"),
    ("衡科", "Hengke"),
    ("星辰", "Xingchen"),
    ("沐阳", "Muyang"),
    ("北辰", "Beichen"),
    ("望舒", "Wangshu"),
    ("知微", "Zhiwei"),
    ("砺金", "Lijin"),
    ("熠能", "Yineng"),
    ("瀚海", "Hanhai"),
    ("若水", "Ruoshui"),
    ("凌峰", "Lingfeng"),
    ("御晟", "Yusheng"),
    ("博睿", "Borui"),
    ("嘉禾", "Jiahe"),
    ("长庚", "Changgeng"),
    ("鸿鹄", "Honghu"),
    ("清越", "Qingyue"),
    ("致远", "Zhiyuan"),
    ("泰和", "Taihe"),
]
SUFFIXES = {
    "design": [
        ("微电子", "Microelectronics"),
        ("芯片科技", "Chip Technology"),
        ("集成电路设计", "IC Design"),
    ],
    "manufacturing": [("半导体", "Semiconductor"), ("晶圆科技", "Wafer Technology"), ("传感技术", "Sensing")],
    "packaging-testing": [
        ("封装测试", "Packaging & Test"),
        ("先进封装", "Advanced Packaging"),
        ("封测科技", "Assembly & Test"),
    ],
    "equipment": [
        ("半导体设备", "Semiconductor Equipment"),
        ("精密装备", "Precision Equipment"),
        ("智能装备", "Smart Equipment"),
    ],
    "materials": [
        ("电子材料", "Electronic Materials"),
        ("新材料", "New Materials"),
        ("化学材料", "Chemical Materials"),
    ],
}
NUMERALS = ["", "", "", "二", "三", "新", "东", "华", "中"]
BODY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGISTRARS = ["320583"] * 8 + ["320500", "320594", "320000"]

# Share of a full year's revenue reached by the end of each month (Spring Festival dip, year-end push).
SEASONAL_YTD_SHARE = [0.070, 0.130, 0.210, 0.290, 0.370, 0.455, 0.535, 0.615, 0.700, 0.785, 0.880, 1.000]
CENT = Decimal("0.01")

# Calibrated anchor firms (2024 revenue in yuan, yearly growth in 2025): the headline goals depend on them.
ANCHORS = [
    ("advanced-packaging", Decimal("6200000000"), 0.06),
    ("conventional-packaging", Decimal("4600000000"), 0.12),  # should cross 5 bn in 2025
    ("display-driver-ic", Decimal("2400000000"), 0.15),
    ("compound-semiconductor", Decimal("1900000000"), 0.18),
    ("mems-sensor", Decimal("1500000000"), 0.10),
    ("image-sensor", Decimal("1300000000"), 0.04),
    ("packaging-materials", Decimal("1150000000"), -0.08),  # declining
    ("display-driver-ic", Decimal("930000000"), 0.14),  # crosses 1 bn
    ("communication-ic", Decimal("880000000"), 0.20),  # crosses 1 bn
    ("power-semiconductor", Decimal("960000000"), 0.02),  # stays just below
    ("equipment-parts", Decimal("900000000"), 0.09),  # ends just below
]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT, rounding=ROUND_HALF_UP)


def _credit_code(rng: Any, used: set[str]) -> str:
    while True:
        body = "MA" + "".join(rng.choice(BODY_ALPHABET) for _ in range(6))
        code = make_valid_code("91" + rng.choice(REGISTRARS) + body)
        if code not in used:
            used.add(code)
            return code


def _name(rng: Any, segment: str, used: set[str]) -> tuple[str, str]:
    """A plainly fictional, unique name. Each segment has a few hundred combinations; once a draw
    keeps colliding (province scale), a serial number keeps names unique."""
    for _attempt in range(30):
        prefix, prefix_en = rng.choice(PREFIXES)
        numeral = rng.choice(NUMERALS)
        suffix, suffix_en = rng.choice(SUFFIXES[segment])
        name = f"昆山{prefix}{numeral}{suffix}有限公司（示例）"
        if name not in used:
            used.add(name)
            tag = f" {numeral}" if numeral else ""
            return name, f"Kunshan {prefix_en}{tag} {suffix_en} Co., Ltd. (demo)"
    serial = len(used) + 1
    name = f"昆山{prefix}{suffix}{serial}号有限公司（示例）"
    used.add(name)
    return name, f"Kunshan {prefix_en} {suffix_en} No. {serial} Co., Ltd. (demo)"


def _annual_revenue_path(rng: Any, revenue_2024: Decimal, founded_year: int, year: int) -> dict[int, Decimal]:
    """Revenue by year from the founding year to the year before the plan year, ending at revenue_2024."""
    values = {year - 1: revenue_2024}
    current = float(revenue_2024)
    for y in range(year - 2, max(founded_year, year - 6) - 1, -1):
        growth = rng.uniform(-0.05, 0.30)
        current = current / (1 + growth)
        values[y] = _money(current)
    return values


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("enterprises")
    year = ctx.year
    through = ctx.settings["through_month"]
    n_firms = ctx.settings["enterprises"]
    areas = list(Area.objects.prefetch_related("focus_nodes", "towns").order_by("sort"))
    towns_by_area = {a.id: list(a.towns.all()) for a in areas}
    nodes = list(ChainNode.objects.select_related("segment"))
    nodes_by_code = {n.code: n for n in nodes}
    area_weights = [0.30, 0.24, 0.14, 0.10, 0.22]
    used_codes: set[str] = set()
    used_names: set[str] = set()
    firms: list[Enterprise] = []
    plans: list[tuple[Decimal, float, int]] = []  # revenue 2024, 2025 growth, founded year
    secondary: list[tuple[int, list[ChainNode]]] = []
    for index in ctx.track(range(n_firms), total=n_firms, desc="enterprises"):
        if index < len(ANCHORS):
            node_code, revenue_2024, growth = ANCHORS[index]
            node = nodes_by_code[node_code]
            area = next((a for a in areas if node in a.focus_nodes.all()), areas[0])
        else:
            area = rng.choices(areas, weights=area_weights[: len(areas)])[0]
            focus = list(area.focus_nodes.all())
            node = rng.choice(focus) if focus and rng.random() < 0.7 else rng.choice(nodes)
            # A long tail of small firms: median about 20 M yuan.
            revenue_2024 = _money(min(rng.lognormvariate(16.8, 1.0), 850_000_000))
            growth = rng.gauss(0.07, 0.12)
        name, name_en = _name(rng, node.segment.code, used_names)
        founded = rng.randint(2003, year - 2) if index >= len(ANCHORS) else rng.randint(2003, 2012)
        firms.append(
            Enterprise(
                credit_code=_credit_code(rng, used_codes),
                name=name,
                name_en=name_en,
                area=area,
                town=rng.choice(towns_by_area[area.id]),
                primary_node=node,
                industry_code=node.industry_codes[0],
                ownership=rng.choices(list(Ownership.values), weights=[8, 45, 22, 15, 8, 2])[0],
                listing_board=(
                    rng.choice([ListingBoard.STAR, ListingBoard.CHINEXT, ListingBoard.MAIN])
                    if revenue_2024 > 800_000_000 and rng.random() < 0.6
                    else ""
                ),
                is_idm=node.segment.code == "manufacturing" and rng.random() < 0.3,
                key_products=f"{node.name}相关产品（示例）",
                founded=dt.date(founded, rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
        plans.append((revenue_2024, growth, founded))
        if rng.random() < 0.35:
            secondary.append((index, rng.sample(nodes, k=rng.randint(1, 2))))
    _groups(ctx.rng("enterprise-groups"), firms)
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; only the firms made here
    # are used below, even if the database already held others.
    firms = Enterprise.objects.bulk_create(firms, batch_size=2000)
    through_model = Enterprise.secondary_nodes.through
    through_model.objects.bulk_create(
        [
            through_model(enterprise_id=firms[i].id, chainnode_id=n.id)
            for i, ns in secondary
            for n in ns
            if n != firms[i].primary_node
        ],
        batch_size=5000,
    )
    _period_values(ctx, rng, firms, plans, year, through)
    _designations(ctx, rng, firms)
    _platforms(rng, firms, areas, nodes)
    tiers_refresh()
    ctx.shared["enterprises"] = firms
    ctx.say(f"  {len(firms)} enterprises, {PeriodValue.objects.count()} period values")


GROUP_STEMS = ("博瑞", "华芯", "昆元", "晶茂", "恒微", "东越", "中拓", "联创", "瑞祥", "凯德", "新拓", "智达")


def _groups(rng: Any, firms: list[Enterprise]) -> None:
    """A few enterprise groups (集团): two or three firms of one area and chain segment each, as
    holdings often are, so disclosure control has groups to treat as one respondent."""
    by_cell: dict[tuple[int, int], list[Enterprise]] = defaultdict(list)
    for firm in firms:
        by_cell[(firm.area.pk, firm.primary_node.segment_id)].append(firm)
    made = 0
    for _cell, members in sorted(by_cell.items()):
        if len(members) < 4 or rng.random() < 0.5:
            continue
        stem = GROUP_STEMS[made % len(GROUP_STEMS)]
        number = made // len(GROUP_STEMS) + 1
        name = f"{stem}{'' if number == 1 else number}控股集团（示例）"
        for firm in rng.sample(members, k=min(len(members) // 2, rng.choice((2, 2, 3)))):
            firm.group_name = name
        made += 1


def _period_values(
    ctx: DemoContext,
    rng: Any,
    firms: list[Enterprise],
    plans: list[tuple[Decimal, float, int]],
    year: int,
    through: int,
) -> None:
    province = ctx.scale == "province"
    batch: list[PeriodValue] = []

    def add(
        firm: Enterprise, measure: str, y: int, period_type: str, period: int, value: Decimal, basis: str
    ) -> None:
        batch.append(
            PeriodValue(
                enterprise_id=firm.id,
                measure=measure,
                year=y,
                period_type=period_type,
                period=period,
                value=value,
                basis=basis,
                source=Source.DEMO,
                source_ref=f"demo-seed-{ctx.seed}",
            )
        )

    for firm, (revenue_2024, growth, founded) in ctx.track(
        zip(firms, plans, strict=True), total=len(firms), desc="period data"
    ):
        segment = firm.primary_node.segment.code
        rd_share = 0.14 if segment == "design" else 0.05
        path = _annual_revenue_path(rng, revenue_2024, founded, year)
        if province:
            path = {y: v for y, v in path.items() if y >= year - 6}
            while len(path) < 6:  # province scale: a full six-year history per firm
                earliest = min(path)
                path[earliest - 1] = _money(float(path[earliest]) / 1.08)
        margin = rng.uniform(-0.04, 0.16)
        for y, revenue in sorted(path.items()):
            add(firm, Measure.REVENUE, y, PeriodType.YEAR, 0, revenue, Basis.SINGLE)
            add(
                firm,
                Measure.OUTPUT,
                y,
                PeriodType.YEAR,
                0,
                _money(float(revenue) * rng.uniform(0.9, 1.08)),
                Basis.SINGLE,
            )
            add(
                firm,
                Measure.PROFIT,
                y,
                PeriodType.YEAR,
                0,
                _money(float(revenue) * (margin + rng.uniform(-0.02, 0.02))),
                Basis.SINGLE,
            )
            add(
                firm,
                Measure.TAX,
                y,
                PeriodType.YEAR,
                0,
                _money(float(revenue) * rng.uniform(0.02, 0.05)),
                Basis.SINGLE,
            )
            add(
                firm,
                Measure.EMPLOYEES,
                y,
                PeriodType.YEAR,
                0,
                Decimal(max(8, int(float(revenue) / rng.uniform(9e5, 2.2e6)))),
                Basis.SINGLE,
            )
            if not province:
                add(
                    firm,
                    Measure.RD,
                    y,
                    PeriodType.YEAR,
                    0,
                    _money(float(revenue) * rd_share * rng.uniform(0.6, 1.4)),
                    Basis.SINGLE,
                )
                add(
                    firm,
                    Measure.INVESTMENT,
                    y,
                    PeriodType.YEAR,
                    0,
                    _money(float(revenue) * rng.uniform(0.02, 0.2)),
                    Basis.SINGLE,
                )
                add(
                    firm,
                    Measure.EXPORTS,
                    y,
                    PeriodType.YEAR,
                    0,
                    _money(float(revenue) * rng.uniform(0.0, 0.5)),
                    Basis.SINGLE,
                )
        # Monthly year-to-date cumulative reports, as the statistics bureau collects them: the three
        # years before the plan year (December equals the annual figure exactly, so the forecast's
        # seasonal shares are consistent) and the plan year up to the latest reported month.
        monthly_measures = [Measure.REVENUE, Measure.OUTPUT, Measure.PROFIT]
        if not province:
            annual: dict[str, dict[int, Decimal]] = {m: {} for m in monthly_measures}
            for row in batch:
                if (
                    row.enterprise_id == firm.id
                    and row.period_type == PeriodType.YEAR
                    and row.measure in annual
                ):
                    annual[row.measure][row.year] = row.value
            for y in range(year - 3, year):
                for measure in monthly_measures:
                    total = annual[measure].get(y)
                    if total is None:
                        continue
                    for month in range(1, 13):
                        share = (
                            1.0 if month == 12 else SEASONAL_YTD_SHARE[month - 1] * rng.uniform(0.985, 1.015)
                        )
                        value = total if month == 12 else _money(float(total) * share)
                        add(firm, measure, y, PeriodType.MONTH, month, value, Basis.YTD)
        full_year = float(revenue_2024) * (1 + growth)
        is_anchor = firm.id == firms[0].id or revenue_2024 >= Decimal("850000000")
        last_month = through - 1 if (not is_anchor and rng.random() < 0.05) else through
        factors = {Measure.REVENUE: 1.0, Measure.OUTPUT: rng.uniform(0.92, 1.06), Measure.PROFIT: margin}
        for measure in monthly_measures:
            for month in range(1, last_month + 1):
                share = SEASONAL_YTD_SHARE[month - 1] * rng.uniform(0.985, 1.015)
                add(
                    firm,
                    measure,
                    year,
                    PeriodType.MONTH,
                    month,
                    _money(full_year * factors[measure] * share),
                    Basis.YTD,
                )
        if len(batch) >= 20000:
            PeriodValue.objects.bulk_create(batch)
            batch.clear()
    if batch:
        PeriodValue.objects.bulk_create(batch)


def _designations(ctx: DemoContext, rng: Any, firms: list[Enterprise]) -> None:
    types = {t.code: t for t in DesignationType.objects.all()}
    odds = {
        "hnte": 0.35,
        "innovative-sme": 0.12,
        "zjtx": 0.16,
        "little-giant": 0.05,
        "single-champion": 0.01,
        "electronics-top100": 0.015,
    }
    rows = []
    for firm in firms:
        for code, probability in odds.items():
            if code in types and rng.random() < probability:
                kind = types[code]
                granted = dt.date(rng.randint(ctx.year - 4, ctx.year), rng.randint(1, 12), rng.randint(1, 28))
                years = kind.validity_years or 3
                rows.append(
                    Designation(
                        enterprise=firm,
                        designation_type=kind,
                        level=kind.level,
                        authority=kind.authority,
                        granted=granted,
                        expires=granted.replace(year=granted.year + years),
                    )
                )
    Designation.objects.bulk_create(rows, batch_size=5000)


def _platforms(rng: Any, firms: list[Enterprise], areas: list[Area], nodes: list[ChainNode]) -> None:
    fictional = [
        (
            "昆山示例半导体共性技术研发平台",
            "Kunshan Demo Semiconductor Common-Technology Platform",
            InnovationPlatform.Kind.PUBLIC_PLATFORM,
        ),
        (
            "昆山示例化合物半导体研究院",
            "Kunshan Demo Compound Semiconductor Institute",
            InnovationPlatform.Kind.NEW_RND,
        ),
        (
            "昆山示例MEMS传感器中试平台",
            "Kunshan Demo MEMS Pilot Line",
            InnovationPlatform.Kind.PUBLIC_PLATFORM,
        ),
        (
            "昆山示例先进封装工程中心",
            "Kunshan Demo Advanced Packaging Engineering Centre",
            InnovationPlatform.Kind.LAB,
        ),
    ]
    for name, name_en, kind in fictional:
        platform = InnovationPlatform.objects.create(
            name=name,
            name_en=name_en,
            kind=kind,
            level=rng.choice(["provincial", "municipal"]),
            area=rng.choice(areas),
        )
        platform.fields.set(rng.sample(nodes, k=2))
        platform.enterprises.set(rng.sample(firms, k=min(6, len(firms))))


def reset() -> None:
    for model in (PeriodValue, Designation, PeriodValue.history.model, Designation.history.model):
        fast_delete(model.objects.all())
    InnovationPlatform.objects.filter(named_in_plan=False).delete()
    fast_delete(Enterprise.secondary_nodes.through.objects.all())
    fast_delete(InnovationPlatform.enterprises.through.objects.all())
    from semicluster.accounts.models import User

    User.objects.filter(enterprise__isnull=False).delete()
    fast_delete(Enterprise.objects.all())
    fast_delete(Enterprise.history.model.objects.all())
