"""Fixtures for the Django side of intake: firms in two areas and workbook builders in Chinese."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
import pytest

from semicluster.core.testing import make_enterprise
from semicluster.intake import services

ORIGINAL_REFRESH = services.indicators_refresh_if_present


def xlsx(rows: Sequence[Sequence[object]], merges: Sequence[str] = (), title: str = "数据") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))


@pytest.fixture(autouse=True)
def no_monitoring_refresh(monkeypatch):
    """Recomputing every indicator after each test commit is slow and not what these tests check; the
    call itself is checked in test_import_services."""
    calls = []
    monkeypatch.setattr("semicluster.intake.services.indicators_refresh_if_present", lambda: calls.append(1))
    return calls


@pytest.fixture
def firms(personas):
    """Two firms in 开发区 (kfq) — one is the enterprise user's — and one in 高新区 (gxq)."""
    own = personas["enterprise_user"].enterprise
    return {
        "own": own,
        "kfq": make_enterprise(area="kfq", name="昆山甲半导体有限公司"),
        "gxq": make_enterprise(area="gxq", name="昆山乙微电子有限公司"),
    }


def messy_period_workbook(firms, revenue_wan: str = "1,234.5") -> bytes:
    """A real-looking 月报: title and unit rows, a merged two-row header, full-width digits, a 合计 row."""
    kfq, gxq = firms["kfq"], firms["gxq"]
    rows = [
        ["2025年1-6月重点企业主要经济指标"],
        ["单位：万元"],
        ["序号", "企业", "", "指标", "统计期", "本期累计"],
        ["", "统一社会信用代码", "企业名称", "", "", ""],
        [1, kfq.credit_code, kfq.name, "营业收入", "2025年6月", fullwidth(revenue_wan)],
        [2, kfq.credit_code, kfq.name, "利润", "2025-06", 88],
        [3, gxq.credit_code, gxq.name, "营业收入", "2025年6月", "５６"],
        [4, gxq.credit_code, gxq.name, "从业人员", "2025-06", 120],
        ["合计", "", "", "", "", 1378.5],
    ]
    merges = ["A3:A4", "B3:C3", "D3:D4", "E3:E4", "F3:F4"]
    return xlsx(rows, merges)
