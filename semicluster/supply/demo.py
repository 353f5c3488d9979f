"""Synthetic supply-chain survey answers: most demo firms answer; a few items are true breakpoints.

Suppliers are invented (names end in "（示例）" / "(demo)"); no real company appears. EDA/IP is
bought mostly abroad with no qualified domestic alternative (weak points). Planted
breakpoints: EUV photoresist and ion implanters (one supplier abroad, no qualified alternative),
high-end packaging substrates (two suppliers, both abroad, no domestic alternative) and RF power
supplies (a single domestic supplier for the whole city).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.models import Enterprise
from semicluster.supply.models import AnswerSource, Supplier, SupplyAnswer

ORDER = 40

# Items by chain segment: (category, item).
ITEMS: dict[str, list[tuple[str, str]]] = {
    "design": [
        ("eda_ip", "EDA设计工具"),
        ("eda_ip", "接口IP核授权"),
        ("services", "晶圆代工流片服务"),
        ("services", "封装测试外协服务"),
    ],
    "manufacturing": [
        ("material", "硅片"),
        ("material", "EUV光刻胶"),
        ("material", "特种气体"),
        ("material", "湿电子化学品"),
        ("equipment", "刻蚀机"),
        ("equipment", "薄膜沉积设备"),
        ("equipment", "离子注入机"),
        ("components", "射频电源"),
    ],
    "packaging-testing": [
        ("material", "高端封装基板"),
        ("material", "键合丝"),
        ("material", "塑封料"),
        ("equipment", "划片机"),
        ("equipment", "测试机"),
        ("services", "可靠性认证服务"),
    ],
    "equipment": [
        ("components", "真空泵"),
        ("components", "精密陶瓷件"),
        ("components", "射频电源"),
        ("material", "特种钢材"),
        ("services", "精密加工外协"),
    ],
    "materials": [
        ("material", "高纯石英砂"),
        ("material", "电子级化学原料"),
        ("equipment", "晶体生长炉"),
        ("components", "石墨热场部件"),
    ],
}
# Planted breakpoints: item → the only suppliers (name, level, country); no alternative reported.
PLANTED: dict[str, list[tuple[str, str, str]]] = {
    "EUV光刻胶": [("东岳精细化学（示例）Toyo Fine Chemical (demo)", "abroad", "JP")],
    "离子注入机": [("Ionix Implant Systems (demo)", "abroad", "US")],
    "高端封装基板": [
        ("Sanwa Substrate (demo)", "abroad", "JP"),
        ("Hanbit Circuits (demo)", "abroad", "KR"),
    ],
    "射频电源": [("江南射频电源（示例）", "jiangsu", "")],
}
LEVEL_WEIGHTS = {  # kunshan, suzhou, jiangsu, china, abroad
    "material": (3, 2, 2, 3, 3),
    "equipment": (1, 1, 2, 3, 5),
    "eda_ip": (0, 0, 1, 1, 10),
    "components": (4, 3, 2, 2, 1),
    "services": (5, 3, 1, 2, 1),
}
LEVELS = ("kunshan", "suzhou", "jiangsu", "china", "abroad")
PLACE = {"kunshan": "昆山", "suzhou": "苏州", "jiangsu": "无锡", "china": "上海"}
ABROAD = [
    ("US", "Pacific"),
    ("JP", "Kanto"),
    ("KR", "Hanbit"),
    ("DE", "Rhein"),
    ("NL", "Delta"),
    ("TW", "Formosa"),
]
WORDS = ["恒", "瑞", "晟", "拓", "科", "鼎", "华", "创", "源", "精", "达", "信"]


def _pool(rng: Any, category: str, item: str, size: int) -> list[tuple[str, str, str]]:
    """Invented suppliers of one item, with at least one domestic source."""
    out: list[tuple[str, str, str]] = []
    for n in range(size):
        level = "china" if n == 0 else rng.choices(LEVELS, weights=LEVEL_WEIGHTS[category])[0]
        if level == "abroad":
            country, word = rng.choice(ABROAD)
            out.append((f"{word} {item} Supply {n} (demo)", level, country))
        else:
            name = f"{PLACE[level]}{rng.choice(WORDS)}{rng.choice(WORDS)}{item}供应商{n}（示例）"
            out.append((name, level, ""))
    return out


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("supply")
    year = ctx.year
    firms = list(Enterprise.objects.select_related("primary_node__segment").order_by("id"))
    pools: dict[str, list[tuple[str, str, str]]] = {}
    for items in ITEMS.values():
        for category, item in items:
            if item not in pools:
                pools[item] = PLANTED.get(item) or _pool(rng, category, item, rng.randint(3, 8))
    suppliers = {name: Supplier(name=name) for pool in pools.values() for name, _, _ in pool}
    Supplier.objects.bulk_create(suppliers.values(), batch_size=1000)
    ids = dict(Supplier.objects.values_list("name", "id"))
    answers: list[SupplyAnswer] = []
    for firm in firms:
        if rng.random() > 0.85:  # most firms answer; some have not yet
            continue
        items = ITEMS[firm.primary_node.segment.code]
        for category, item in rng.sample(items, k=min(len(items), rng.randint(3, 5))):
            pool = pools[item]
            chosen = pool if item in PLANTED else rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
            shares = [rng.randint(1, 10) for _ in chosen]
            total = sum(shares)
            spend = Decimal(int(rng.lognormvariate(14.5, 1.1))).quantize(Decimal("0.01"))
            for (name, level, country), part in zip(chosen, shares, strict=True):
                share = (Decimal(part) / total).quantize(Decimal("0.0001"))
                answers.append(
                    SupplyAnswer(
                        enterprise=firm,
                        year=year,
                        category=category,
                        item=item,
                        supplier_id=ids[name],
                        level=level,
                        country=country,
                        share=share,
                        purchase_value=(spend * share).quantize(Decimal("0.01"))
                        if rng.random() < 0.9
                        else None,
                        # EDA/IP has no qualified domestic alternative in the demo city: weak points.
                        has_alternative=False
                        if item in PLANTED or category == "eda_ip"
                        else rng.random() < 0.5,
                        lead_time_days=rng.randint(200, 300) if level == "abroad" else rng.randint(7, 90),
                        source=AnswerSource.DEMO,
                    )
                )
    SupplyAnswer.objects.bulk_create(answers, batch_size=2000)
    answered = len({a.enterprise_id for a in answers})
    ctx.say(
        f"  {len(answers)} survey answers from {answered} of {len(firms)} firms, {len(suppliers)} suppliers"
    )


def reset() -> None:
    for model in (SupplyAnswer, SupplyAnswer.history.model, Supplier, Supplier.history.model):
        fast_delete(model.objects.all())
