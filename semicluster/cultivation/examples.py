"""Kunshan 2025 defaults for the plan's ``tiers`` and ``innovation_leader_library`` sections.

Plan-shaped dicts (validated against ``plan_schema.json`` in the tests) for the plan file. The
50亿 / 10亿 thresholds and the target of 80 firms are the plan's own (一, 二、4); the growth floor,
warning shares, weights, curves and bars are example values — no published criteria for a
创新领航企业库 exist (domain-facts §5.2) — for the leading-group office to confirm or change.
"""

from __future__ import annotations

EXAMPLE_NOTE = (
    "示例参数，待市半导体产业发展领导小组办公室确认 / "
    "example values, to be confirmed by the leading-group office"
)

TIERS: dict[str, object] = {
    "source": "二、4",
    "source_text": "加快形成以 50 亿元级企业为龙头、10 亿元级企业为主体的龙头骨干企业集群",
    "measure": "revenue",
    "levels": [
        {
            "code": "leader",
            "name": "50亿元级龙头企业",
            "name_en": "5 bn yuan leader",
            "min_revenue": 5_000_000_000,
        },
        {
            "code": "backbone",
            "name": "10亿元级骨干企业",
            "name_en": "1 bn yuan backbone",
            "min_revenue": 1_000_000_000,
        },
        {
            "code": "growth",
            "name": "成长型企业",
            "name_en": "growth firm",
            "min_revenue": 100_000_000,
            "note": EXAMPLE_NOTE,
        },
    ],
    "crossing_levels": ["leader", "backbone"],
    "decline_warning_pct": 10,
    "close_below_pct": 20,
    "note": "门槛50亿、10亿出自方案；成长型门槛与预警比例为示例参数 / the 5 bn and 1 bn thresholds are the "
    "plan's; the growth floor and warning shares are example values",
}


def _linear(lo: int | str, hi: int | str) -> dict[str, object]:
    return {"kind": "linear", "min": lo, "max": hi}


INNOVATION_LEADER_LIBRARY: dict[str, object] = {
    "source": "二、5",
    "source_text": "建立半导体创新领航企业库，重点培育一批掌握关键核心技术、创新能力强、经济效益好、"
    "拥有自主品牌、具有示范带动作用和凝聚产业集群资源的创新领航企业",
    "target_size": 80,
    "min_total": 60,
    "note": EXAMPLE_NOTE,
    "criteria": [
        {
            "code": "key-core-technology",
            "name": "掌握关键核心技术",
            "name_en": "Masters key core technology",
            "weight": 20,
            "bar": 30,
            "proxies": [
                {
                    "code": "key-technology-coverage",
                    "name": "覆盖关键技术清单项数",
                    "name_en": "Key technologies of the plan's list covered",
                    "fact": "key_technology_coverage",
                    "weight": 50,
                    "curve": {
                        "kind": "steps",
                        "steps": [{"at_least": 1, "points": 70}, {"at_least": 2, "points": 100}],
                    },
                    "missing": "zero",
                },
                {
                    "code": "invention-patents",
                    "name": "有效发明专利数",
                    "name_en": "Invention patents in force",
                    "fact": "invention_patents",
                    "weight": 50,
                    "curve": _linear(0, 30),
                    "missing": "zero",
                },
            ],
        },
        {
            "code": "innovation-capability",
            "name": "创新能力强",
            "name_en": "Strong innovation capability",
            "weight": 25,
            "bar": 40,
            "proxies": [
                {
                    "code": "rd-intensity",
                    "name": "研发投入强度",
                    "name_en": "R&D intensity",
                    "fact": "rd_intensity_pct",
                    "weight": 60,
                    "curve": _linear(3, 10),
                    "missing": "disqualify",
                },
                {
                    "code": "rd-staff-share",
                    "name": "研发人员占比",
                    "name_en": "R&D staff share",
                    "fact": "rd_staff_pct",
                    "weight": 40,
                    "curve": _linear(10, 30),
                    "missing": "reweight",
                },
            ],
        },
        {
            "code": "economic-performance",
            "name": "经济效益好",
            "name_en": "Good economic performance",
            "weight": 20,
            "bar": 20,
            "proxies": [
                {
                    "code": "revenue-growth",
                    "name": "营业收入增长率",
                    "name_en": "Revenue growth",
                    "fact": "revenue_growth_pct",
                    "weight": 50,
                    "curve": _linear(0, 30),
                    "missing": "reweight",
                },
                {
                    "code": "profit-margin",
                    "name": "利润率",
                    "name_en": "Profit margin",
                    "fact": "profit_margin_pct",
                    "weight": 50,
                    "curve": _linear(0, 15),
                    "missing": "zero",
                },
            ],
        },
        {
            "code": "own-brand",
            "name": "拥有自主品牌",
            "name_en": "Owns its brand",
            "weight": 10,
            "bar": 0,
            "proxies": [
                {
                    "code": "own-brand-revenue-share",
                    "name": "自主品牌收入占比",
                    "name_en": "Own-brand revenue share",
                    "fact": "own_brand_revenue_pct",
                    "weight": 100,
                    "curve": _linear(10, 80),
                    "missing": "zero",
                }
            ],
        },
        {
            "code": "demonstrative-role",
            "name": "具有示范带动作用",
            "name_en": "Demonstrative role",
            "weight": 10,
            "bar": 0,
            "proxies": [
                {
                    "code": "designations-held",
                    "name": "专精特新、小巨人、单项冠军、电子信息百强等资质数",
                    "name_en": "Designations held (专精特新, 小巨人, 单项冠军, 百强 …)",
                    "fact": "designations_held",
                    "weight": 100,
                    "curve": {
                        "kind": "steps",
                        "steps": [
                            {"at_least": 1, "points": 60},
                            {"at_least": 2, "points": 80},
                            {"at_least": 3, "points": 100},
                        ],
                    },
                    "missing": "zero",
                }
            ],
        },
        {
            "code": "cluster-leading",
            "name": "凝聚产业集群资源",
            "name_en": "Draws the cluster together",
            "weight": 15,
            "bar": 0,
            "proxies": [
                {
                    "code": "local-customers",
                    "name": "本地客户数",
                    "name_en": "Local customers",
                    "fact": "local_customers",
                    "weight": 50,
                    "curve": _linear(0, 10),
                    "missing": "reweight",
                },
                {
                    "code": "local-suppliers",
                    "name": "本地供应商数",
                    "name_en": "Local suppliers",
                    "fact": "local_suppliers",
                    "weight": 50,
                    "curve": _linear(0, 20),
                    "missing": "reweight",
                },
            ],
        },
    ],
}
