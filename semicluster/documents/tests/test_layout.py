import datetime as dt
from decimal import Decimal

import pytest

from semicluster.documents.layout import (
    FigureItem,
    HeadingItem,
    ParagraphItem,
    TableItem,
    chinese_date,
    chinese_numeral,
    flatten,
    format_value,
    heading_label,
    layout_table,
    signature_indents_em,
)
from semicluster.documents.model import Cell, Document, Paragraph, Section, Table
from semicluster.documents.tests.sample import EDITED, GENERATED, sample_document


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")],
)
def test_chinese_numerals(n, expected):
    assert chinese_numeral(n) == expected


def test_heading_labels_follow_gb_t_9704_levels():
    assert [heading_label(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    with pytest.raises(ValueError):
        heading_label(5, 1)


def test_dates_are_written_in_full_without_zero_padding():
    assert chinese_date(dt.date(2025, 1, 6)) == "2025年1月6日"


def test_values_print_with_their_scale_and_thousands_separators():
    assert format_value(Decimal("1234567.50")) == "1,234,567.50"
    assert format_value(Decimal("12.30")) == "12.30"
    assert format_value(1234) == "1,234"
    assert format_value(None) == "—"
    assert format_value("合计") == "合计"


def test_an_edited_paragraph_prints_the_edit_and_keeps_the_generated_text():
    p = Paragraph.generated(GENERATED).edit(EDITED)
    assert p.rendered_text == EDITED
    assert p.generated_text == GENERATED
    assert p.is_edited
    assert Paragraph.generated(GENERATED).rendered_text == GENERATED
    assert not Paragraph.generated(GENERATED).edit(GENERATED).is_edited


def test_flatten_numbers_headings_tables_and_figures_in_reading_order():
    items = flatten(sample_document())
    headings = [i.full_text for i in items if isinstance(i, HeadingItem)]
    assert headings == [
        "一、总体情况",
        "（一）产业规模",
        "1.分区镇情况",
        "（1）高新区",
        "二、存在的问题",
        "三、下一步工作建议",
    ]
    assert [i.caption for i in items if isinstance(i, TableItem)] == ["表1　各区镇半导体产业主要指标"]
    assert [i.caption for i in items if isinstance(i, FigureItem)] == ["图1　各区镇半导体产业产值"]
    assert ParagraphItem(EDITED) in items and ParagraphItem(GENERATED) not in items


def test_numbering_restarts_under_each_parent_and_skips_unnumbered_sections():
    doc = Document(
        "标题",
        sections=(
            Section("甲", (Section("子一"), Section("子二"))),
            Section("附件", numbered=False),
            Section("乙", (Section("子一"),)),
        ),
    )
    labels = [i.full_text for i in flatten(doc) if isinstance(i, HeadingItem)]
    assert labels == ["一、甲", "（一）子一", "（二）子二", "附件", "二、乙", "（一）子一"]


def test_sections_nested_deeper_than_four_levels_are_refused():
    deep = Section("5", ())
    for name in "4321":
        deep = Section(name, (deep,))
    with pytest.raises(ValueError, match="4 levels"):
        flatten(Document("标题", sections=(deep,)))


def test_table_spans_are_placed_on_the_grid_and_numbers_align_right():
    table = Table(
        "表",
        header_rows=((Cell("区镇", rowspan=2), Cell("产值", colspan=2)), ("2024年", "2025年")),
        body_rows=(("高新区", Decimal("1.0"), None), ("开发区", 2, Decimal("3.5"))),
    )
    layout = layout_table(table)
    assert (layout.n_cols, layout.n_header_rows, layout.n_rows) == (3, 2, 4)
    placed = {(c.row, c.col): c for c in layout.cells}
    assert placed[(1, 1)].text == "2024年" and placed[(1, 2)].text == "2025年"
    assert placed[(0, 1)].colspan == 2 and placed[(0, 0)].rowspan == 2
    assert placed[(2, 0)].align == "left"
    assert placed[(2, 1)].align == "right" and placed[(2, 1)].numeric
    assert placed[(2, 2)].text == "—" and placed[(2, 2)].align == "right"  # empty cell of a number column


def test_explicit_alignment_wins_over_detection():
    layout = layout_table(
        Table("表", header_rows=(("a", "b"),), body_rows=((1, "x"),), align=("center", None))
    )
    assert [c.align for c in layout.cells if not c.header] == ["center", "left"]


def test_ragged_rows_are_refused_with_the_row_number():
    with pytest.raises(ValueError, match="第3行"):
        layout_table(Table("表", header_rows=(("a", "b"),), body_rows=((1, 2), (3,))))


def test_signature_centres_the_issuer_over_a_date_indented_four_characters():
    indents = signature_indents_em(["昆山市人民政府", "2026年1月6日"], has_date=True)
    # Date "2026年1月6日" is 3 CJK + 6 half-width digits = 6 em; the issuer is 7 em, so it sits 0.5 em left.
    assert indents == [3.5, 4.0]
