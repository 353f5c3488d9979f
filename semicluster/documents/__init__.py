"""One report model, three renderers: Word (.docx after GB/T 9704-2012), HTML (public page), PDF (typst)."""

from semicluster.documents.docx import render_docx
from semicluster.documents.html import render_html
from semicluster.documents.model import Cell, Document, Figure, Note, Paragraph, Section, Table
from semicluster.documents.pdf import render_pdf

__all__ = [
    "Cell",
    "Document",
    "Figure",
    "Note",
    "Paragraph",
    "Section",
    "Table",
    "render_docx",
    "render_html",
    "render_pdf",
]
