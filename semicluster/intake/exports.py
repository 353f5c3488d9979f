"""List exports (xlsx, csv) built from the same selectors as the list pages, so an export shows exactly
what the page shows to that user with those filters. Cells go through ``workbooks.neutralise``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import translation

from semicluster.enterprises import selectors as enterprise_selectors

ENTERPRISE_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所属板块",
    "所在区镇",
    "产业链环节",
    "企业梯队",
    "企业性质",
    "上市板块",
    "股票代码",
    "主要产品",
    "成立日期",
    "最近年度营业收入（元）",
    "营业收入年度",
]


def enterprise_rows(
    *, user: Any, filters: enterprise_selectors.EnterpriseFilters
) -> tuple[list[str], Iterator[Sequence[object]]]:
    queryset = enterprise_selectors.enterprise_list(user=user, filters=filters)
    firms = list(queryset)
    revenue = enterprise_selectors.latest_annual_revenue([f.id for f in firms])

    def rows() -> Iterator[Sequence[object]]:
        with translation.override("zh-hans"):
            for firm in firms:
                year, value = revenue.get(firm.id, (None, None))
                yield [
                    firm.name,
                    firm.credit_code,
                    firm.area.name,
                    firm.town.name,
                    firm.primary_node.name,
                    firm.get_tier_display() if firm.tier else "",
                    firm.get_ownership_display(),
                    firm.get_listing_board_display() if firm.listing_board else "",
                    firm.stock_code,
                    firm.key_products,
                    firm.founded,
                    value,
                    year,
                ]

    return ENTERPRISE_HEADERS, rows()
