"""Render a Document to a standalone, semantic HTML fragment for the public portal.

Every piece of text is escaped. There are no inline styles and no executable scripts (the portal's CSP
forbids inline code); presentation comes from the portal's stylesheet through the ``doc-*`` classes.

Figures are PNG data URIs by default, so the page needs no JavaScript (the CSP must allow ``img-src data:``).
With ``figures="echarts"`` each figure is a ``<div class="doc-echart">`` followed by its ECharts option in a
``<script type="application/json">`` block, which browsers never execute; the portal's own static script
can read it and draw an interactive chart.
"""

from __future__ import annotations

import base64
import json
from html import escape
from typing import Literal

from semicluster.charts.echarts import to_echarts_option
from semicluster.charts.render import render_png
from semicluster.documents.layout import (
    FigureItem,
    HeadingItem,
    NoteItem,
    ParagraphItem,
    TableItem,
    flatten,
    signature_lines,
)
from semicluster.documents.model import Document

FigureMode = Literal["png", "echarts"]
CHART_PX = (1200, 720, 150)  # width, height, dpi for screen PNGs


def _e(text: str) -> str:
    return escape(text, quote=True)


def json_for_script(data: object) -> str:
    """JSON safe inside <script type="application/json">: no "</script>", "<!--" or U+2028 can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _table(item: TableItem) -> str:
    layout = item.layout
    parts = ['<div class="doc-table">', '<table class="doc-table__table">']
    unit = f'<span class="doc-table__unit">{_e(item.table.unit)}</span>' if item.table.unit else ""
    parts.append(f"<caption>{_e(item.caption)}{unit}</caption>")
    for r, cells in layout.rows():
        if r == 0 and layout.n_header_rows:
            parts.append("<thead>")
        if r == layout.n_header_rows:
            parts.append("<tbody>")
        parts.append("<tr>")
        for cell in cells:
            tag = "th" if cell.header else "td"
            attrs = []
            if cell.header:
                attrs.append(' scope="col"' if cell.colspan == 1 else ' scope="colgroup"')
            if cell.colspan > 1:
                attrs.append(f' colspan="{cell.colspan}"')
            if cell.rowspan > 1:
                attrs.append(f' rowspan="{cell.rowspan}"')
            classes = [f"align-{cell.align}"]
            if cell.numeric:
                classes.append("num")
            attrs.append(f' class="{" ".join(classes)}"')
            parts.append(f"<{tag}{''.join(attrs)}>{_e(cell.text)}</{tag}>")
        parts.append("</tr>")
        if r == layout.n_header_rows - 1:
            parts.append("</thead>")
    if layout.n_rows > layout.n_header_rows:
        parts.append("</tbody>")
    parts.append("</table>")
    for note in item.table.notes:
        text = note if note.startswith("注") else f"注：{note}"
        parts.append(f'<p class="doc-table__note">{_e(text)}</p>')
    parts.append("</div>")
    return "".join(parts)


def _figure(item: FigureItem, mode: FigureMode) -> str:
    caption = f"<figcaption>{_e(item.caption)}</figcaption>"
    if mode == "echarts":
        chart_id = f"doc-chart-{item.number}"
        option = json_for_script(to_echarts_option(item.figure.chart))
        return (
            f'<figure class="doc-figure"><div class="doc-echart" data-option-id="{chart_id}-option" '
            f'role="img" aria-label="{_e(item.alt_text)}"></div>'
            f'<script type="application/json" id="{chart_id}-option">{option}</script>{caption}</figure>'
        )
    width, height, dpi = CHART_PX
    png = render_png(item.figure.chart, width_px=width, height_px=height, dpi=dpi)
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="doc-figure"><img src="data:image/png;base64,{data}" alt="{_e(item.alt_text)}" '
        f'width="{width}" height="{height}" loading="lazy">{caption}</figure>'
    )


def render_html(document: Document, *, figures: FigureMode = "png") -> str:
    """The document as an HTML fragment (an ``<article>``), ready to place in a page template.

    Heading levels: title h1, then 一、 h2, （一） h3, 1. h4, （1） h5.
    """
    if figures not in ("png", "echarts"):
        raise ValueError(f"图表模式无效 / invalid figure mode: {figures!r}")
    parts = ['<article class="doc" lang="zh-CN">', '<header class="doc-header">']
    parts.append(f'<h1 class="doc-title">{_e(document.title)}</h1>')
    if document.subtitle:
        parts.append(f'<p class="doc-subtitle">{_e(document.subtitle)}</p>')
    parts.append("</header>")
    for item in flatten(document):
        if isinstance(item, HeadingItem):
            level = item.level + 1
            label = f'<span class="doc-heading__number">{_e(item.label)}</span>' if item.label else ""
            parts.append(f'<h{level} class="doc-heading">{label}{_e(item.text)}</h{level}>')
        elif isinstance(item, ParagraphItem):
            parts.append(f"<p>{_e(item.text)}</p>")
        elif isinstance(item, NoteItem):
            parts.append(f'<p class="doc-note">{_e(item.text)}</p>')
        elif isinstance(item, TableItem):
            parts.append(_table(item))
        elif isinstance(item, FigureItem):
            parts.append(_figure(item, figures))
    lines = signature_lines(document)
    if lines:
        parts.append('<footer class="doc-signature">')
        if document.issuer:
            parts.append(f'<p class="doc-signature__issuer">{_e(document.issuer)}</p>')
        if document.date is not None:
            parts.append(f'<p><time datetime="{document.date.isoformat()}">{_e(lines[-1])}</time></p>')
        parts.append("</footer>")
    parts.append("</article>")
    return "\n".join(parts)
