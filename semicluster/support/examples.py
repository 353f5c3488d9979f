"""Kunshan 2025 support programs of clause 二、8, in the exact plan-file shape (``support_programs``).

The plan names three programs — MPW tape-out, first full-mask engineering tape-out, first tape-out of
high-end sensors — but publishes no amounts (domain-facts §8, open question 5). Every amount, rate,
cap, budget and date below is therefore an **example value** taken from the Beijing 2023 and Chengdu
2023 rules (domain-facts §5.1, "suggested defaults for config"), labelled so in ``example_note``, for
the leading-group office to confirm or replace. The lead pastes these dicts (as YAML) into the plan
file; a test validates them against ``plan_schema.json`` and the plan's own codes.
"""

from __future__ import annotations

from typing import Any

# Shown to officials beside every example figure: public-facing, no internal references.
EXAMPLE_NOTE = (
    "示例数值，参照北京、成都等地公开的流片补贴规则形态设置；正式数值以市里发布的实施细则为准 / example "
    "values shaped after Beijing's and Chengdu's published rules; the official values are those of the "
    "city's implementing rules"
)

CLAUSE = "二、8"
CLAUSE_TEXT = (
    "重点加强对产品首轮流片的生产等高投入领域企业的支持力度，对使用多项目晶圆流片研发、首次完成全掩膜工程流片设计的"
    "企业以及开展高端传感器首轮流片的智能传感器企业给予专项支持。"
)

# Firms that tape out their own designs: every design node plus the device nodes whose firms are often
# fabless (sensors, power, compound, RF). Codes are the plan file's chain nodes.
DESIGN_NODES = [
    "display-driver-ic",
    "communication-ic",
    "data-converter-ic",
    "iot-asic",
    "general-purpose-ic",
    "power-management-ic",
    "memory-ic",
    "eda-ip",
]
DEVICE_NODES = ["mems-sensor", "image-sensor", "compound-semiconductor", "power-semiconductor", "rf-device"]
SENSOR_NODES = ["mems-sensor", "image-sensor", "sensor-module-packaging"]

# The plan's focus fields (一: 重点发展显示驱动芯片、MEMS 智能传感器和第三代化合物半导体) stand in for the
# "key fields" of Beijing and Chengdu, where those rules pay 50 % instead of 30 %.
PRIORITY_FIELDS: list[dict[str, Any]] = [
    {"code": "display-driver", "name": "显示驱动芯片", "name_en": "Display driver chips"},
    {"code": "mems-smart-sensors", "name": "MEMS 智能传感器", "name_en": "MEMS smart sensors"},
    {
        "code": "third-generation-compound",
        "name": "第三代化合物半导体",
        "name_en": "Third-generation compound semiconductors",
    },
]

MASK_COST = {"code": "mask", "name": "掩膜版制作费", "name_en": "Mask-set fee"}
WAFER_COST = {"code": "wafer", "name": "工程批晶圆加工费", "name_en": "Engineering-lot wafer processing fee"}
MPW_COST = {"code": "mpw-fee", "name": "多项目晶圆流片费", "name_en": "MPW shuttle fee"}

WINDOW = {"start": "2025-03-01", "end": "2025-11-30"}
TAPEOUT_PERIOD = {"start": "2024-10-01", "end": "2025-09-30"}
PER_FIRM_ALL_PROGRAMS = 10_000_000  # Chengdu: ≤10 m per firm per year

MPW_TAPEOUT: dict[str, Any] = {
    "code": "kunshan-2025-mpw",
    "name": "多项目晶圆（MPW）流片支持",
    "name_en": "MPW tape-out support",
    "source": CLAUSE,
    "source_text": "对使用多项目晶圆流片研发……的企业……给予专项支持",
    "example_values": True,
    "example_note": EXAMPLE_NOTE,
    "year": 2025,
    "applicants": {
        "chain_nodes": DESIGN_NODES + DEVICE_NODES,
        "registered_in_region": True,
        "mask_kinds": ["mpw"],
        "tapeout_period": TAPEOUT_PERIOD,
        "text": "注册在昆山、使用多项目晶圆流片研发的企业 / "
        "firms registered in Kunshan doing R&D on MPW shuttles",
    },
    "eligible_cost_items": [MPW_COST, MASK_COST, WAFER_COST],
    "rules": [
        {
            "code": "mpw-50",
            "name": "MPW 流片费用的 50%",
            "name_en": "50 % of the MPW tape-out cost",
            "when": {"mask": "mpw"},
            "rate_percent": 50,
            "source_text": "示例：北京2023年 MPW 流片奖励不超过费用的50% / "
            "example: Beijing 2023, ≤50 % of the cost",
        }
    ],
    "caps": {
        "per_firm_program_year_yuan": 3_000_000,
        "per_firm_all_programs_year_yuan": PER_FIRM_ALL_PROGRAMS,
    },
    "annual_budget_yuan": 10_000_000,
    "application_window": WINDOW,
    "note": "比例、上限取自北京2023年（每家企业不超过300万元）；年度预算与日期为示例 / "
    "rate and cap from Beijing 2023 (≤3 m per firm); budget and dates are examples",
}

FULL_MASK_TAPEOUT: dict[str, Any] = {
    "code": "kunshan-2025-full-mask",
    "name": "首次全掩膜工程流片支持",
    "name_en": "First full-mask engineering tape-out support",
    "source": CLAUSE,
    "source_text": "对……首次完成全掩膜工程流片设计的企业……给予专项支持",
    "example_values": True,
    "example_note": EXAMPLE_NOTE,
    "year": 2025,
    "applicants": {
        "chain_nodes": DESIGN_NODES + DEVICE_NODES,
        "registered_in_region": True,
        "mask_kinds": ["full_mask"],
        "first_tapeout_only": True,
        "tapeout_period": TAPEOUT_PERIOD,
        "text": "注册在昆山、首次完成全掩膜工程流片的企业 / "
        "firms registered in Kunshan completing a first full-mask engineering tape-out",
    },
    "eligible_cost_items": [MASK_COST, WAFER_COST],
    "priority_fields": PRIORITY_FIELDS,
    "rule_selection": "first",
    "rules": [
        {
            "code": "priority-field-50",
            "name": "重点领域：费用的 50%",
            "name_en": "Priority field: 50 % of the cost",
            "when": {"mask": "full_mask", "priority_field": True},
            "rate_percent": 50,
            "source_text": "示例：成都2023年重点领域50% / example: Chengdu 2023, key fields 50 %",
        },
        {
            "code": "other-30",
            "name": "其他领域：费用的 30%",
            "name_en": "Other fields: 30 % of the cost",
            "when": {"mask": "full_mask"},
            "rate_percent": 30,
            "source_text": "示例：成都2023年非重点领域30% / example: Chengdu 2023, other fields 30 %",
        },
    ],
    "caps": {
        "per_firm_program_year_yuan": 10_000_000,
        "per_firm_all_programs_year_yuan": PER_FIRM_ALL_PROGRAMS,
    },
    "annual_budget_yuan": 30_000_000,
    "application_window": WINDOW,
    "note": "比例取自成都2023年（重点领域50%，其他30%），上限取自北京/成都（1000万元）；"
    "重点领域取方案“一”的三个重点发展领域；预算与日期为示例 / "
    "rates from Chengdu 2023, cap from Beijing/Chengdu (10 m); priority fields "
    "are the plan's three focus fields; budget and dates are examples",
}

SENSOR_FIRST_TAPEOUT: dict[str, Any] = {
    "code": "kunshan-2025-sensor-first-tapeout",
    "name": "高端传感器首轮流片支持",
    "name_en": "High-end sensor first tape-out support",
    "source": CLAUSE,
    "source_text": "对……开展高端传感器首轮流片的智能传感器企业给予专项支持",
    "example_values": True,
    "example_note": EXAMPLE_NOTE,
    "year": 2025,
    "applicants": {
        "chain_nodes": SENSOR_NODES,
        "registered_in_region": True,
        "first_tapeout_only": True,
        "sensor_only": True,
        "tapeout_period": TAPEOUT_PERIOD,
        "text": "注册在昆山、开展高端传感器首轮流片的智能传感器企业 / "
        "smart-sensor firms registered in Kunshan doing a high-end sensor's first tape-out",
    },
    "eligible_cost_items": [MASK_COST, WAFER_COST, MPW_COST],
    "rules": [
        {
            "code": "local-fab-50",
            "name": "在昆山晶圆厂流片：费用的 50%",
            "name_en": "Done at a Kunshan fab: 50 % of the cost",
            "when": {"sensor_first_tapeout": True, "local_fab": True},
            "rate_percent": 50,
            "source_text": "示例：北京2023年在本市晶圆厂流片不超过50% / "
            "example: Beijing 2023, done at a Beijing fab ≤50 %",
        },
        {
            "code": "other-30",
            "name": "其他：费用的 30%",
            "name_en": "Elsewhere: 30 % of the cost",
            "when": {"sensor_first_tapeout": True},
            "rate_percent": 30,
            "source_text": "示例：北京/成都2023年一般情形30% / example: Beijing/Chengdu 2023, 30 % otherwise",
        },
    ],
    "caps": {
        "per_firm_program_year_yuan": 5_000_000,
        "per_firm_all_programs_year_yuan": PER_FIRM_ALL_PROGRAMS,
    },
    "annual_budget_yuan": 10_000_000,
    "application_window": WINDOW,
    "note": "传感器首轮流片按费用的30–50%、上限500万元设置示例值，参照北京、成都公开的流片补贴规则；"
    "预算与日期为示例 / "
    "example rates of 30–50 % with a 5 m cap for sensor first tape-outs, shaped after Beijing's and "
    "Chengdu's published tape-out rules; budget and dates are examples",
}

SUPPORT_PROGRAMS: list[dict[str, Any]] = [MPW_TAPEOUT, FULL_MASK_TAPEOUT, SENSOR_FIRST_TAPEOUT]
