"""Synthetic financing needs (every status, every instrument) and a listing pipeline (every stage).

Providers and sponsors are plainly fictional ("示例银行"); no real institution is named with figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.models import Enterprise
from semicluster.finance.models import FinancingNeed, ListingRecord

ORDER = 25
PROVIDERS = [
    "示例农商银行昆山支行（虚构）",
    "示例科技融资担保公司（虚构）",
    "示例融资租赁有限公司（虚构）",
    "示例半导体产业投资基金（虚构）",
    "示例城商银行科技支行（虚构）",
]
SPONSORS = ["示例证券股份有限公司（虚构）", "示例投资银行（虚构）", "示例资本证券（虚构）"]
PURPOSES = [
    "扩产设备购置（示例）",
    "研发投入（示例）",
    "流动资金周转（示例）",
    "厂房建设（示例）",
    "并购整合（示例）",
]


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("finance")
    year = ctx.year
    firms = list(Enterprise.objects.order_by("id"))
    if not firms:
        return
    statuses = list(FinancingNeed.Status)
    instruments = list(FinancingNeed.Instrument)
    needs = []
    for index in range(60):
        firm = firms[0] if index == 0 else rng.choice(firms)
        status = statuses[index % len(statuses)] if index < 24 else rng.choice(statuses)
        instrument = instruments[index % len(instruments)]
        amount = Decimal(rng.randint(5, 400)) * Decimal(1_000_000)
        submitted = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
        closed = status in FinancingNeed.CLOSED
        needs.append(
            FinancingNeed(
                enterprise=firm,
                amount=amount,
                instrument=instrument,
                purpose=rng.choice(PURPOSES),
                submitted_on=submitted,
                status=status,
                provider=rng.choice(PROVIDERS)
                if status in (FinancingNeed.Status.MATCHED, FinancingNeed.Status.FUNDED)
                else "",
                funded_amount=(amount * Decimal(rng.choice(["0.6", "0.8", "1"]))).quantize(Decimal("0.01"))
                if status == FinancingNeed.Status.FUNDED
                else None,
                outcome={
                    FinancingNeed.Status.FUNDED: "已放款（示例）",
                    FinancingNeed.Status.DECLINED: "抵押物不足，未获授信（示例）",
                    FinancingNeed.Status.WITHDRAWN: "企业自筹解决，撤回需求（示例）",
                }.get(status, ""),
                closed_on=submitted + dt.timedelta(days=rng.randint(20, 60)) if closed else None,
            )
        )
    for need in needs:
        need.full_clean()
    FinancingNeed.objects.bulk_create(needs)

    stages = list(ListingRecord.Stage)
    boards = list(ListingRecord.Board)
    candidates = rng.sample(firms[1:], k=min(14, len(firms) - 1))
    records = []
    for index, firm in enumerate(candidates):
        stage = stages[index % len(stages)]
        record = ListingRecord(
            enterprise=firm, board=boards[index % len(boards)], stage=stage, sponsor=rng.choice(SPONSORS)
        )
        day = dt.date(year - 2, rng.randint(1, 12), rng.randint(1, 28))
        for reached in stages[: stages.index(stage) + 1]:
            setattr(record, ListingRecord.STAGE_DATES[reached], day)
            day += dt.timedelta(days=rng.randint(60, 200))
        if stage == ListingRecord.Stage.LISTED:
            record.stock_code = f"68{rng.randint(8000, 8999)}"
        record.full_clean()
        records.append(record)
    ListingRecord.objects.bulk_create(records)
    ctx.say(f"  {len(needs)} financing needs, {len(records)} firms in the listing pipeline")


def reset() -> None:
    for model in (FinancingNeed, ListingRecord):
        fast_delete(model.history.model.objects.all())
        fast_delete(model.objects.all())
