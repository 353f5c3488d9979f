import io

import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image

from semicluster.documents.docx import render_docx
from semicluster.documents.tests.sample import EDITED, GENERATED, HOSTILE, sample_document


@pytest.fixture(scope="module")
def word():
    return open_docx(io.BytesIO(render_docx(sample_document())))


def _east_asia(style) -> str | None:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


TOLERANCE = Mm(0.2)


def _close(length, expected) -> bool:
    return abs(length - expected) <= TOLERANCE


def test_page_is_a4_with_gb_t_9704_margins(word):
    section = word.sections[0]
    assert _close(section.page_width, Mm(210)) and _close(section.page_height, Mm(297))
    assert _close(section.top_margin, Mm(37))
    assert _close(section.bottom_margin, Mm(35))
    assert _close(section.left_margin, Mm(28))
    assert _close(section.right_margin, Mm(26))
    # Text block 156 mm × 225 mm, as the standard states.
    assert _close(section.page_width - section.left_margin - section.right_margin, Mm(156))
    assert _close(section.page_height - section.top_margin - section.bottom_margin, Mm(225))


def test_body_is_3hao_fangsong_with_the_east_asian_font_in_the_xml(word):
    body = next(p for p in word.paragraphs if p.text == EDITED)
    style = body.style
    assert _east_asia(style) == "仿宋_GB2312"
    assert _east_asia(word.styles["Normal"]) == "仿宋_GB2312"
    assert style.font.size == Pt(16)
    assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert style.paragraph_format.line_spacing == Pt(28.95)
    assert style.paragraph_format.first_line_indent == Pt(32)  # two characters


def test_title_is_2hao_xiaobiaosong_centred(word):
    title = word.paragraphs[0]
    assert title.text == "2025年度昆山市半导体产业发展监测报告"
    assert title.style.font.size == Pt(22)
    assert _east_asia(title.style) == "方正小标宋简体"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_heading_levels_use_heiti_kaiti_fangsong(word):
    by_text = {p.text: p for p in word.paragraphs}
    expected = {
        "一、总体情况": "黑体",
        "（一）产业规模": "楷体_GB2312",
        "1.分区镇情况": "仿宋_GB2312",
        "（1）高新区": "仿宋_GB2312",
    }
    for text, font in expected.items():
        style = by_text[text].style
        assert _east_asia(style) == font, text
        assert style.font.size == Pt(16)
        assert style.font.color.rgb == (0, 0, 0)
    assert by_text["一、总体情况"].style.name == "Heading 1"  # keeps Word's outline / navigation pane


def test_generated_text_is_replaced_by_the_edit_and_user_text_is_kept_verbatim(word):
    texts = [p.text for p in word.paragraphs]
    assert EDITED in texts and GENERATED not in texts
    assert HOSTILE in texts


def test_footer_has_page_field_odd_right_even_left_in_4hao_songti(word):
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (paragraph,) = footer.paragraphs
        xml = paragraph._p.xml
        assert (
            'fldCharType="begin"' in xml and '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in xml
        )
        assert paragraph.text == "— 1 —"  # placeholder result between the dashes until Word updates it
        assert paragraph.alignment == alignment
        assert paragraph.style.font.size == Pt(14)
        assert _east_asia(paragraph.style) == "宋体"


def test_table_has_a_repeating_header_merged_cells_and_right_aligned_numbers(word):
    (table,) = word.tables
    header_rows = [
        row
        for row in table.rows
        if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
    ]
    assert len(header_rows) == 2
    assert [c.text for c in table.rows[0].cells] == ["区镇", "产值", "产值", "同比增长（%）"]  # merged cells
    assert [c.text for c in table.rows[1].cells] == ["区镇", "2024年", "2025年", "同比增长（%）"]
    row = table.rows[2]
    assert [c.text for c in row.cells] == ["高新区", "120.5", "131.2", "8.9"]
    assert row.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert row.cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    texts = [p.text for p in word.paragraphs]
    assert "表1　各区镇半导体产业主要指标" in texts
    assert "注：数据为1—12月累计数，花桥2025年数据待核。" in texts


def test_figure_is_embedded_as_png_with_its_caption(word):
    (shape,) = word.inline_shapes
    assert _close(shape.width, Mm(150))
    blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = word.part.related_parts[blob].blob
    assert Image.open(io.BytesIO(image)).format == "PNG"
    assert "图1　各区镇半导体产业产值" in [p.text for p in word.paragraphs]


def test_signature_ends_the_document_with_issuer_and_date(word):
    issuer, date = word.paragraphs[-2], word.paragraphs[-1]
    assert issuer.text == "昆山市半导体产业发展领导小组办公室"
    assert date.text == "2026年1月6日"
    assert date.paragraph_format.right_indent == Pt(64)  # four characters
