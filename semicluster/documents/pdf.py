"""Render a Document to PDF with typst (PyPI ``typst``): self-contained, no browser, no LibreOffice.

Same page geometry as the Word edition (A4, margins 37/35/28/26 mm, 22 lines of 3号 text per page) and the
same numbered content. Only the CJK font differs: the GB/T 9704 fonts (仿宋_GB2312, 方正小标宋简体…) are
licensed Windows fonts, so the PDF uses Kurinto Sans SC from ``weblate-fonts``, embedded as a subset so the
file reads the same on any machine; heading level one and the title use its bold face in place of 黑体/小标宋.

User text never enters typst markup: every string is emitted as a typst string literal (``#"…"``), so
characters such as ``# * _ $ [ ] < > @ \\`` print as themselves.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import typst

from semicluster.charts.fonts import find_cjk_font
from semicluster.charts.render import render_png
from semicluster.documents.layout import (
    FigureItem,
    HeadingItem,
    NoteItem,
    ParagraphItem,
    TableItem,
    TableLayout,
    flatten,
    signature_indents_em,
    signature_lines,
)
from semicluster.documents.model import Document

logger = logging.getLogger(__name__)

CHART_PX = (1500, 900, 250)  # width, height, dpi of chart PNGs (same as the Word edition)
LINE_PT = 28.95
GAP_PT = LINE_PT - 16  # leading between two 3号 lines so the pitch is 28.95 pt


def typst_string(text: str) -> str:
    """A typst string literal for ``text`` (escapes backslash, quote and control characters)."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch in "\x7f\u2028\u2029":
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _preamble(document: Document, family: str) -> str:
    s = typst_string
    return f"""#set document(title: {s(document.title)}, author: {s(document.issuer)}, date: none)
#set page(
  paper: "a4",
  margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer-descent: 7mm,
  footer: context {{
    let n = counter(page).get().first()
    let number = text(size: 14pt, top-edge: "cap-height", bottom-edge: "baseline")[— #n —]
    if calc.odd(n) {{ align(right, pad(right: 1em, number)) }} else {{ align(left, pad(left: 1em, number)) }}
  }},
)
#set text(font: ({s(family)},), size: 16pt, lang: "zh", region: "cn", top-edge: 0.88em, bottom-edge: -0.12em)
#set par(leading: {GAP_PT:.2f}pt, spacing: {GAP_PT:.2f}pt, justify: true,
  first-line-indent: (amount: 2em, all: true))
#set heading(numbering: none)
#show heading: it => block(above: {GAP_PT:.2f}pt, below: {GAP_PT:.2f}pt, sticky: true)[
  #h(2em)#text(size: 16pt, weight: if it.level == 1 {{ "bold" }} else {{ "regular" }})[#it.body]
]
#show table: set par(first-line-indent: 0pt, leading: 0.45em, justify: false)
#show table: set text(size: 12pt, top-edge: "cap-height", bottom-edge: "baseline")
#show figure: set block(above: {GAP_PT:.2f}pt, below: {GAP_PT:.2f}pt)
#show figure.caption: set text(size: 14pt, weight: "bold")
#let caption(body) = block(sticky: true, above: {GAP_PT:.2f}pt, below: 6pt, width: 100%,
  align(center, text(size: 14pt, weight: "bold", body)))
#let note(body) = block(above: 6pt, below: {GAP_PT:.2f}pt,
  par(first-line-indent: 0pt, leading: 0.5em, text(size: 14pt, body)))
"""


def _table(item: TableItem) -> str:
    s = typst_string
    layout: TableLayout = item.layout
    lines = [f"#caption({s(item.caption)})"]
    if item.table.unit:
        unit = s(item.table.unit)
        lines.append(f"#align(right, block(sticky: true, below: 4pt, text(size: 12pt, {unit})))")
    cells_by_header: dict[bool, list[str]] = {True: [], False: []}
    for cell in layout.cells:
        args = [f"align: {cell.align} + horizon"]
        if cell.colspan > 1:
            args.append(f"colspan: {cell.colspan}")
        if cell.rowspan > 1:
            args.append(f"rowspan: {cell.rowspan}")
        body = f'text(weight: "bold", {s(cell.text)})' if cell.header else s(cell.text)
        cells_by_header[cell.header].append(f"table.cell({', '.join(args)}, {body})")
    # Centred like the Word table (jc=center); still breaks across pages with its header repeated.
    lines.append(f"#align(center, table(columns: {layout.n_cols}, inset: (x: 4pt, y: 5pt), stroke: 0.5pt,")
    if cells_by_header[True]:
        lines.append("  table.header(repeat: true,")
        lines.extend(f"    {c}," for c in cells_by_header[True])
        lines.append("  ),")
    lines.extend(f"  {c}," for c in cells_by_header[False])
    lines.append("))")
    for note in item.table.notes:
        lines.append(f"#note({s(note if note.startswith('注') else '注：' + note)})")
    return "\n".join(lines)


def build_typst(document: Document) -> tuple[str, dict[str, bytes]]:
    """The typst source for ``document`` and the image files it references (name → PNG bytes)."""
    s = typst_string
    font = find_cjk_font()
    parts = [_preamble(document, font.family)]
    parts.append(
        f'#align(center, block(below: {LINE_PT}pt, text(size: 22pt, weight: "bold", '
        f"top-edge: 0.88em, bottom-edge: -0.12em, {s(document.title)})))"
    )
    if document.subtitle:
        parts.append(f"#align(center, block(below: {LINE_PT}pt, {s(document.subtitle)}))")
    files: dict[str, bytes] = {}
    width_px, height_px, dpi = CHART_PX
    for item in flatten(document):
        if isinstance(item, HeadingItem):
            parts.append(f"#heading(level: {item.level}, {s(item.full_text)})")
        elif isinstance(item, ParagraphItem):
            parts.append(f"#par({s(item.text)})")
        elif isinstance(item, NoteItem):
            parts.append(f"#note({s(item.text)})")
        elif isinstance(item, TableItem):
            parts.append(_table(item))
        elif isinstance(item, FigureItem):
            name = f"figure-{item.number}.png"
            files[name] = render_png(item.figure.chart, width_px=width_px, height_px=height_px, dpi=dpi)
            parts.append(
                f"#figure(image({s(name)}, width: 150mm, alt: {s(item.alt_text)}), "
                f"caption: {s(item.caption)}, numbering: none, supplement: none)"
            )
    lines = signature_lines(document)
    if lines:
        parts.append(f"#v({LINE_PT}pt)")
        for line, indent in zip(lines, signature_indents_em(lines, document.date is not None), strict=True):
            parts.append(f"#align(right, pad(right: {indent:.2f}em, {s(line)}))")
    return "\n\n".join(parts) + "\n", files


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes (fonts embedded)."""
    source, files = build_typst(document)
    font = find_cjk_font()
    with tempfile.TemporaryDirectory(prefix="semicluster-pdf-") as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).write_bytes(data)
        main = root / "main.typ"
        main.write_text(source, encoding="utf-8")
        # System fonts are ignored so the PDF is the same on every machine.
        pdf, warnings = typst.compile_with_warnings(
            str(main),
            root=str(root),
            font_paths=[str(font.directory)],
            ignore_system_fonts=True,
            format="pdf",
        )
    for warning in warnings:
        logger.warning("typst: %s", getattr(warning, "message", warning))
    if not isinstance(pdf, bytes):
        raise RuntimeError("typst 未返回 PDF / typst returned no PDF")
    return pdf
