"""Render a Document to .docx laid out after GB/T 9704-2012 《党政机关公文格式》.

The bureau edits this file in Word or WPS, so the layout lives in named styles (正文, headings, table text)
rather than in per-run formatting: an editor who retypes a paragraph keeps the 公文 look. The requested
font names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) are written into the XML even where the
machine producing the file lacks them; Word on the bureau's PCs has them.

Page numbers: odd pages right-aligned, even pages left-aligned, each indented one character, using
Word's even/odd footers (settings.xml ``w:evenAndOddHeaders``) as §7.5 of the standard asks.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_word_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from semicluster.charts.render import render_png
from semicluster.documents.layout import (
    FigureItem,
    HeadingItem,
    NoteItem,
    ParagraphItem,
    TableItem,
    flatten,
    signature_indents_em,
    signature_lines,
)
from semicluster.documents.model import Document

# Fonts requested by GB/T 9704-2012 (names as installed on Chinese Windows / WPS).
FANGSONG = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
# Digits and Latin letters: Times New Roman is common practice (not required by the standard).
LATIN = "Times New Roman"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 12  # 小四: tables of six or more columns do not fit in 3号
NOTE_PT = 14  # 4号
LINE_PT = 28.95  # fixed line pitch giving 22 lines in the 225 mm text block
LINE_TWIPS = round(LINE_PT * 20)
CHAR_PT = BODY_PT  # one character of indent in 3号

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
# The page number's dash sits 7 mm below the text block; its line is about 5 mm tall.
FOOTER_DISTANCE_MM = 23
FIGURE_WIDTH_MM = 150  # text block is 156 mm wide
CHART_PX = (1500, 900, 250)  # width, height, dpi of chart PNGs embedded in print

HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}

STYLE_BODY = "GB 正文"
STYLE_TITLE = "GB 标题"
STYLE_SUBTITLE = "GB 副标题"
STYLE_TABLE = "GB 表格文字"
STYLE_CAPTION = "GB 题注"
STYLE_UNIT = "GB 表格单位"
STYLE_NOTE = "GB 注释"
STYLE_FIGURE = "GB 图片"
STYLE_SIGNATURE = "GB 落款"
STYLE_FOOTER = "GB 页码"


def set_fonts(element: Any, east_asia: str, latin: str = LATIN) -> None:
    """Set w:rFonts on a style or run element, dropping theme fonts that would override the names."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph_style(doc: Any, name: str, *, base: str = "Normal") -> Any:
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _format(
    style: Any,
    *,
    east_asia: str,
    size_pt: float,
    align: Any = None,
    first_line_chars: float = 0,
    exact_lines: bool = True,
    bold: bool = False,
    latin: str = LATIN,
) -> None:
    set_fonts(style.element, east_asia, latin)
    font = style.font
    font.size = Pt(size_pt)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if exact_lines:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PT)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(first_line_chars * CHAR_PT) if first_line_chars else Pt(0)
    if align is not None:
        pf.alignment = align


def _set_up_styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    _format(normal, east_asia=FANGSONG, size_pt=BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    normal.paragraph_format.widow_control = True

    _format(
        _paragraph_style(doc, STYLE_BODY),
        east_asia=FANGSONG,
        size_pt=BODY_PT,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_chars=2,
    )
    title = _paragraph_style(doc, STYLE_TITLE)
    _format(title, east_asia=TITLE_FONT, size_pt=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, latin=TITLE_FONT)
    title.paragraph_format.line_spacing = Pt(35)  # 2号 needs a taller fixed line than 3号
    title.paragraph_format.keep_with_next = True
    subtitle = _paragraph_style(doc, STYLE_SUBTITLE)
    _format(subtitle, east_asia=KAITI, size_pt=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    subtitle.paragraph_format.keep_with_next = True

    for level, east_asia in HEADING_FONTS.items():
        style = doc.styles[f"Heading {level}"]
        _format(
            style,
            east_asia=east_asia,
            size_pt=BODY_PT,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_line_chars=2,
        )
        style.paragraph_format.keep_with_next = True
        # Pressing Enter after a heading in Word continues with indented body text.
        style.next_paragraph_style = doc.styles[STYLE_BODY]

    _format(
        _paragraph_style(doc, STYLE_TABLE),
        east_asia=FANGSONG,
        size_pt=TABLE_PT,
        exact_lines=False,
    )
    caption = _paragraph_style(doc, STYLE_CAPTION)
    _format(caption, east_asia=HEITI, size_pt=NOTE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    unit = _paragraph_style(doc, STYLE_UNIT)
    _format(unit, east_asia=FANGSONG, size_pt=TABLE_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, exact_lines=False)
    unit.paragraph_format.keep_with_next = True
    note = _paragraph_style(doc, STYLE_NOTE)
    _format(note, east_asia=FANGSONG, size_pt=NOTE_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, exact_lines=False)
    # A picture in a paragraph with exact line spacing is clipped to one line: figures use single spacing.
    figure = _paragraph_style(doc, STYLE_FIGURE)
    _format(figure, east_asia=FANGSONG, size_pt=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, exact_lines=False)
    figure.paragraph_format.keep_with_next = True
    _format(
        _paragraph_style(doc, STYLE_SIGNATURE),
        east_asia=FANGSONG,
        size_pt=BODY_PT,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _format(
        _paragraph_style(doc, STYLE_FOOTER),
        east_asia=SONGTI,
        size_pt=PAGE_NUMBER_PT,
        exact_lines=False,
        latin=SONGTI,
    )


def _para(doc: Any, style: Any, text: str = "") -> Any:
    """doc.add_paragraph with a style, skipping python-docx's style lookup (slow: it rescans styles.xml)."""
    paragraph = doc.add_paragraph()
    paragraph._p.style = (doc.styles[style] if isinstance(style, str) else style).style_id
    if text:
        paragraph.add_run(text)
    return paragraph


def _add_page_field(paragraph: Any) -> None:
    """Append "— {PAGE} —" as a complex field, which Word and WPS both update."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    instr_run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run._r.append(instr)
    sep_run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    sep_run._r.append(sep)
    paragraph.add_run("1")  # placeholder shown until the field is updated
    end_run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    end_run._r.append(end)
    paragraph.add_run(" —")


def _set_up_page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))

    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.style = doc.styles[STYLE_FOOTER]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
    _add_page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = doc.styles[STYLE_FOOTER]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
    _add_page_field(even)


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _mark_header_row(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")  # repeat on every page the table runs onto
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _add_table(doc: Any, item: TableItem) -> None:
    layout = item.layout
    caption = _para(doc, STYLE_CAPTION, item.caption)
    caption.paragraph_format.keep_with_next = True
    if item.table.unit:
        _para(doc, STYLE_UNIT, item.table.unit)
    table = doc.add_table(rows=layout.n_rows, cols=layout.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Read the cell grid once: table.cell(r, c) rescans the table on every call.
    rows = list(table.rows)
    grid = [row.cells for row in rows]
    table_style_id = doc.styles[STYLE_TABLE].style_id
    for r in range(layout.n_header_rows):
        _mark_header_row(rows[r])
    merges = []
    for cell in layout.cells:
        target = grid[cell.row][cell.col]
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph._p.style = table_style_id
        paragraph.alignment = _ALIGN[cell.align]
        run = paragraph.add_run(cell.text)
        if cell.header:
            run.bold = True
        if cell.colspan > 1 or cell.rowspan > 1:
            merges.append((cell.row, cell.col, cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
    for r0, c0, r1, c1 in merges:
        grid[r0][c0].merge(grid[r1][c1])
    for note in item.table.notes:
        _para(doc, STYLE_NOTE, note if note.startswith("注") else f"注：{note}")


def _add_figure(doc: Any, item: FigureItem) -> None:
    width_px, height_px, dpi = CHART_PX
    png = render_png(item.figure.chart, width_px=width_px, height_px=height_px, dpi=dpi)
    paragraph = _para(doc, STYLE_FIGURE)
    paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(FIGURE_WIDTH_MM))
    _para(doc, STYLE_CAPTION, item.caption)


def _add_signature(doc: Any, lines: list[str], has_date: bool) -> None:
    """落款: date right-indented four characters, issuer centred above it (GB/T 9704-2012 §7.3.5)."""
    if not lines:
        return
    _para(doc, STYLE_BODY)  # one blank line after the body
    for line, indent in zip(lines, signature_indents_em(lines, has_date), strict=True):
        paragraph = _para(doc, STYLE_SIGNATURE, line)
        paragraph.paragraph_format.right_indent = Pt(indent * CHAR_PT)


def render_docx(document: Document) -> bytes:
    """The document as .docx bytes."""
    doc = new_word_document()
    _set_up_styles(doc)
    _set_up_page(doc)
    props = doc.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.author = document.issuer
    props.language = "zh-CN"

    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # the default template starts with no paragraph; guard anyway
        body._p.getparent().remove(body._p)
    _para(doc, STYLE_TITLE, document.title)
    if document.subtitle:
        _para(doc, STYLE_SUBTITLE, document.subtitle)
    _para(doc, STYLE_BODY)  # blank line between title and body (§7.3.3)

    heading_styles = {level: doc.styles[f"Heading {level}"] for level in HEADING_FONTS}
    for item in flatten(document):
        if isinstance(item, HeadingItem):
            _para(doc, heading_styles[item.level], item.full_text)
        elif isinstance(item, ParagraphItem):
            _para(doc, STYLE_BODY, item.text)
        elif isinstance(item, NoteItem):
            _para(doc, STYLE_NOTE, item.text)
        elif isinstance(item, TableItem):
            _add_table(doc, item)
        elif isinstance(item, FigureItem):
            _add_figure(doc, item)
    _add_signature(doc, signature_lines(document), document.date is not None)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
