"""One document, three files: the renderers of ``semicluster.documents`` behind one name (ADR 0006)."""

from __future__ import annotations

from semicluster.documents import Document, render_docx, render_html, render_pdf

FORMATS = ("docx", "html", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def render(document: Document, fmt: str) -> bytes:
    """The document as ``fmt`` ("docx", "html" or "pdf"); HTML is a standalone UTF-8 page fragment."""
    if fmt == "docx":
        return render_docx(document)
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "html":
        return render_html(document, figures="png").encode("utf-8")
    raise ValueError(f"格式须为 docx、html 或 pdf / format must be docx, html or pdf, got {fmt!r}")
