"""Two real tape-out subsidy rule sets written as plan data (domain-facts §5.1).

Rates and caps are the published ones. Neither source gives the annual budget or the application
window in the excerpt, so those two fields carry test values, said so in each program's ``note``.

- Beijing 2023 集成电路设计产品首轮流片奖励 (tape-outs 2022-07-01…2023-03-31): MPW ≤50 %, ≤3 m per
  firm; full mask in key frontier fields (智能计算、新型存储、开源处理器、硅光) ≤50 %, ≤20 m; done at a
  Beijing fab ≤50 %, ≤20 m; other full mask ≤30 %, ≤10 m; ≤30 m per firm in total.
  https://techchn.cn/Index/show/catid/16/id/20860.html
- Chengdu 2023 实施细则: full mask key fields 50 %, non-key 30 %, ≤10 m per firm per year; fabs get 100
  yuan per wafer (8-inch-equivalent silicon / 6-inch compound) for serving design firms, ≤10 m per year;
  packaging lines 5 % of fees, ≤2 m. https://www.cdrb.com.cn/epaper/cdrbpc/202306/04/c115784.html
"""

from __future__ import annotations

from typing import Any

TEST_BUDGET_NOTE = "预算与申报期未见于来源，此为测试值 / budget and window not in the source; test values"
BIG_BUDGET = 1_000_000_000

BEIJING_SOURCE = "北京市2023年集成电路设计产品首轮流片奖励"
BEIJING_PERIOD = {"start": "2022-07-01", "end": "2023-03-31"}
BEIJING_WINDOW = {"start": "2023-04-01", "end": "2023-06-30"}
BEIJING_KEY_FIELDS = [
    {"code": "intelligent-computing", "name": "智能计算", "name_en": "Intelligent computing"},
    {"code": "new-memory", "name": "新型存储", "name_en": "New memory"},
    {"code": "open-source-processor", "name": "开源处理器", "name_en": "Open-source processors"},
    {"code": "silicon-photonics", "name": "硅光", "name_en": "Silicon photonics"},
]
TAPEOUT_COST = {"code": "tapeout", "name": "流片费用", "name_en": "Tape-out cost"}

BEIJING_2023: list[dict[str, Any]] = [
    {
        "code": "beijing-2023-mpw",
        "name": "MPW 首轮流片奖励",
        "name_en": "MPW first tape-out award",
        "source": BEIJING_SOURCE,
        "source_text": "MPW 流片给予不超过流片费用50%的奖励，每家企业不超过300万元",
        "example_values": False,
        "applicants": {"mask_kinds": ["mpw"], "tapeout_period": BEIJING_PERIOD},
        "eligible_cost_items": [TAPEOUT_COST],
        "rules": [{"code": "mpw-50", "name": "MPW 50%", "name_en": "MPW 50 %", "rate_percent": 50}],
        "caps": {"per_firm_program_year_yuan": 3_000_000, "per_firm_all_programs_year_yuan": 30_000_000},
        "annual_budget_yuan": BIG_BUDGET,
        "application_window": BEIJING_WINDOW,
        "note": TEST_BUDGET_NOTE,
    },
    {
        "code": "beijing-2023-full-mask",
        "name": "全掩膜首轮流片奖励",
        "name_en": "Full-mask first tape-out award",
        "source": BEIJING_SOURCE,
        "source_text": "智能计算、新型存储、开源处理器、硅光等重点前沿领域全掩膜流片不超过50%、最高2000万元；"
        "在京晶圆厂流片不超过50%、最高2000万元；其他领域不超过30%、最高1000万元；每家企业合计不超过3000万元",
        "example_values": False,
        "applicants": {"mask_kinds": ["full_mask"], "tapeout_period": BEIJING_PERIOD},
        "eligible_cost_items": [TAPEOUT_COST],
        "priority_fields": BEIJING_KEY_FIELDS,
        "rule_selection": "first",
        "rules": [
            {
                "code": "key-field",
                "name": "重点前沿领域",
                "name_en": "Key frontier field",
                "when": {"priority_field": True},
                "rate_percent": 50,
                "cap_per_firm_year_yuan": 20_000_000,
            },
            {
                "code": "beijing-fab",
                "name": "在京晶圆厂流片",
                "name_en": "Done at a Beijing fab",
                "when": {"local_fab": True},
                "rate_percent": 50,
                "cap_per_firm_year_yuan": 20_000_000,
            },
            {
                "code": "other",
                "name": "其他领域",
                "name_en": "Other fields",
                "rate_percent": 30,
                "cap_per_firm_year_yuan": 10_000_000,
            },
        ],
        "caps": {"per_firm_all_programs_year_yuan": 30_000_000},
        "annual_budget_yuan": BIG_BUDGET,
        "application_window": BEIJING_WINDOW,
        "note": TEST_BUDGET_NOTE,
    },
]

CHENGDU_SOURCE = "成都市2023年集成电路产业支持政策实施细则"
CHENGDU_WINDOW = {"start": "2023-07-01", "end": "2023-12-31"}
CHENGDU_KEY_FIELDS = [{"code": "key-direction", "name": "重点方向", "name_en": "Priority direction"}]

CHENGDU_2023: list[dict[str, Any]] = [
    {
        "code": "chengdu-2023-full-mask",
        "name": "全掩膜流片支持",
        "name_en": "Full-mask tape-out support",
        "source": CHENGDU_SOURCE,
        "source_text": "重点领域按流片费用50%、非重点领域按30%给予支持，每家企业每年不超过1000万元",
        "example_values": False,
        "applicants": {"mask_kinds": ["full_mask"]},
        "eligible_cost_items": [TAPEOUT_COST],
        "priority_fields": CHENGDU_KEY_FIELDS,
        "rules": [
            {
                "code": "key",
                "name": "重点领域",
                "name_en": "Key field",
                "when": {"priority_field": True},
                "rate_percent": 50,
            },
            {"code": "non-key", "name": "非重点领域", "name_en": "Non-key field", "rate_percent": 30},
        ],
        "caps": {"per_firm_program_year_yuan": 10_000_000},
        "annual_budget_yuan": BIG_BUDGET,
        "application_window": CHENGDU_WINDOW,
        "note": TEST_BUDGET_NOTE,
    },
    {
        "code": "chengdu-2023-foundry-wafers",
        "name": "晶圆制造企业流片服务奖励",
        "name_en": "Award to fabs serving design firms",
        "source": CHENGDU_SOURCE,
        "source_text": "为设计企业流片的晶圆制造企业按每片100元（8英寸等效硅片/6英寸化合物）给予奖励，"
        "每年不超过1000万元",
        "example_values": False,
        "applicants": {"chain_nodes": ["wafer-fab"]},
        "eligible_cost_items": [
            {"code": "foundry-service", "name": "流片服务", "name_en": "Foundry service"}
        ],
        "rules": [
            {
                "code": "silicon",
                "name": "硅片（8英寸等效）",
                "name_en": "Silicon, 8-inch equivalent",
                "when": {"substrate": "silicon"},
                "basis": "per_wafer",
                "yuan_per_wafer": 100,
                "wafer_base_mm": 200,
            },
            {
                "code": "compound",
                "name": "化合物（6英寸等效）",
                "name_en": "Compound, 6-inch equivalent",
                "when": {"substrate": "compound"},
                "basis": "per_wafer",
                "yuan_per_wafer": 100,
                "wafer_base_mm": 150,
            },
        ],
        "caps": {"per_firm_program_year_yuan": 10_000_000},
        "annual_budget_yuan": BIG_BUDGET,
        "application_window": CHENGDU_WINDOW,
        "note": TEST_BUDGET_NOTE,
    },
    {
        "code": "chengdu-2023-packaging",
        "name": "封装测试服务奖励",
        "name_en": "Award to packaging lines",
        "source": CHENGDU_SOURCE,
        "source_text": "封装测试企业按服务费用的5%给予奖励，每年不超过200万元",
        "example_values": False,
        "applicants": {"chain_nodes": ["advanced-packaging", "conventional-packaging"]},
        "eligible_cost_items": [{"code": "packaging-fee", "name": "封测服务费", "name_en": "Packaging fees"}],
        "rules": [
            {"code": "five-percent", "name": "服务费用的5%", "name_en": "5 % of the fees", "rate_percent": 5}
        ],
        "caps": {"per_firm_program_year_yuan": 2_000_000},
        "annual_budget_yuan": BIG_BUDGET,
        "application_window": CHENGDU_WINDOW,
        "note": TEST_BUDGET_NOTE,
    },
]
