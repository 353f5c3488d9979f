import io
import json
import re

import pytest
import typst
from hypothesis import given, settings
from hypothesis import strategies as st

from semicluster.documents.pdf import build_typst, render_pdf, typst_string
from semicluster.documents.tests.sample import EDITED, GENERATED, HOSTILE, sample_document


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(sample_document())


def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    # Text extraction inserts spaces and line breaks where typst spaced CJK next to Latin or wrapped lines.
    return re.sub(r"\s+", "", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_output_is_a_pdf_with_the_cjk_font_embedded(pdf):
    assert pdf.startswith(b"%PDF-")
    assert b"KurintoSansSC" in pdf
    assert b"/FontFile2" in pdf  # TrueType program embedded: reads the same on any machine


def test_pdf_carries_the_same_text_as_the_word_edition(pdf):
    text = _pdf_text(pdf)
    for expected in (
        "2025年度昆山市半导体产业发展监测报告",
        "一、总体情况",
        "（一）产业规模",
        "1.分区镇情况",
        "（1）高新区",
        EDITED,
        "表1各区镇半导体产业主要指标",
        "花桥经济开发区",
        "131.2",
        "图1各区镇半导体产业产值",
        "昆山市半导体产业发展领导小组办公室",
        "2026年1月6日",
        "—1—",
        "—2—",
    ):
        assert _squash(expected) in text, expected
    assert _squash(GENERATED) not in text  # the edit replaced the generated paragraph


def test_markup_characters_in_user_text_print_literally(pdf):
    assert _squash(HOSTILE) in _pdf_text(pdf)
    source, _files = build_typst(sample_document())
    assert typst_string(HOSTILE) in source
    assert "#set page(width: 1cm)" not in source.replace(typst_string(HOSTILE), "")


def test_typst_source_uses_gb_t_9704_page_geometry_and_embeds_the_figure():
    source, files = build_typst(sample_document())
    assert 'paper: "a4"' in source
    assert "margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm)" in source
    assert list(files) == ["figure-1.png"] and files["figure-1.png"].startswith(b"\x89PNG")
    assert 'image("figure-1.png"' in source


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_any_text_survives_typst_string_escaping_exactly(text):
    source = f"#metadata({typst_string(text)}) <probe>\n".encode()
    value = typst.query(source, "<probe>", field="value", one=True, ignore_system_fonts=True)
    assert json.loads(value) == text
