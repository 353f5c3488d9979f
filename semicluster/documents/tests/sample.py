"""Sample documents shared by the renderer tests (synthetic figures, not real statistics)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from semicluster.charts.spec import ChartKind, ChartSpec, Series, TargetLine
from semicluster.documents.model import Cell, Document, Figure, Note, Paragraph, Section, Table

OUTPUT_CHART = ChartSpec(
    kind=ChartKind.BAR,
    title="各区镇半导体产业产值",
    categories=("高新区", "开发区", "花桥经济开发区"),
    series=(
        Series("2024年", (Decimal("120.5"), Decimal("98.0"), Decimal("12.3")), unit="亿元"),
        Series("2025年", (Decimal("131.2"), Decimal("101.4"), None), unit="亿元"),
    ),
    y_unit="亿元",
    target=TargetLine(Decimal("100"), "目标"),
)

AREA_TABLE = Table(
    caption="各区镇半导体产业主要指标",
    unit="单位：亿元",
    header_rows=(
        (Cell("区镇", rowspan=2), Cell("产值", colspan=2), Cell("同比增长（%）", rowspan=2)),
        ("2024年", "2025年"),
    ),
    body_rows=(
        ("高新区", Decimal("120.5"), Decimal("131.2"), Decimal("8.9")),
        ("开发区", Decimal("98.0"), Decimal("101.4"), Decimal("3.5")),
        ("花桥经济开发区", Decimal("12.3"), None, None),
        ("合计", Decimal("230.8"), Decimal("232.6"), Decimal("0.8")),
    ),
    notes=("数据为1—12月累计数，花桥2025年数据待核。",),
)

GENERATED = "全市半导体产业规模达232.6亿元，同比增长0.8%。"
EDITED = "全市半导体产业规模达232.6亿元，同比增长0.8%，增速较上年有所放缓。"
HOSTILE = '<script>alert("x")</script> #set page(width: 1cm) *粗* _斜_ $x$ [链接] @ref \\ 反斜杠'


def sample_document() -> Document:
    return Document(
        title="2025年度昆山市半导体产业发展监测报告",
        subtitle="（内部版）",
        issuer="昆山市半导体产业发展领导小组办公室",
        date=dt.date(2026, 1, 6),
        sections=(
            Section(
                "总体情况",
                (
                    Paragraph.generated(GENERATED).edit(EDITED),
                    Section(
                        "产业规模",
                        (
                            Paragraph("产业规模稳步扩大，重点企业支撑作用明显。"),
                            AREA_TABLE,
                            Section("分区镇情况", (Section("高新区", (Paragraph("高新区保持领先。"),)),)),
                        ),
                    ),
                    Figure(OUTPUT_CHART, "各区镇半导体产业产值"),
                    Note("注：本报告数据为合成演示数据。"),
                ),
            ),
            Section("存在的问题", (Paragraph(HOSTILE),)),
            Section("下一步工作建议", (Paragraph("加快补链强链。"),)),
        ),
    )


def long_document(n_sections: int = 12, tables_per_section: int = 4, rows: int = 18) -> Document:
    """A document of roughly 40 pages: many tables, a few figures, for timing."""
    sections = []
    for i in range(n_sections):
        blocks: list = [
            Paragraph.generated(
                f"第{i + 1}部分：全市半导体产业规模达{100 + i}.5亿元，同比增长{i}.2%，"
                "其中集成电路设计、制造、封装测试、材料设备各环节均保持增长态势。" * 3
            )
        ]
        for t in range(tables_per_section):
            blocks.append(
                Table(
                    caption=f"第{i + 1}部分 指标表{t + 1}",
                    unit="单位：万元",
                    header_rows=(("序号", "企业类别", "2024年", "2025年", "增长（%）", "备注"),),
                    body_rows=tuple(
                        (
                            r + 1,
                            f"类别{r + 1}（集成电路）",
                            Decimal(f"{1000 + r * 37}.25"),
                            Decimal(f"{1100 + r * 41}.50"),
                            Decimal(f"{r % 9}.3"),
                            "—" if r % 3 else "快报数",
                        )
                        for r in range(rows)
                    ),
                    notes=("数据为累计数。",),
                )
            )
        if i % 3 == 0:
            blocks.append(Figure(OUTPUT_CHART, f"第{i + 1}部分 产值对比"))
        sections.append(Section(f"专题{i + 1}", tuple(blocks)))
    return Document(
        title="2025年度昆山市半导体产业发展监测报告（性能测试）",
        issuer="昆山市半导体产业发展领导小组办公室",
        date=dt.date(2026, 1, 6),
        sections=tuple(sections),
    )
