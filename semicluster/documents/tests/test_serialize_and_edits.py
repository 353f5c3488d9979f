import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from semicluster.documents.model import (
    Document,
    Paragraph,
    Section,
    Table,
    apply_edits,
    collect_edits,
    iter_paragraphs,
)
from semicluster.documents.serialize import document_from_dict, document_to_dict
from semicluster.documents.tests.sample import sample_document


def _round_trip(document: Document) -> Document:
    return document_from_dict(json.loads(json.dumps(document_to_dict(document), ensure_ascii=False)))


def test_sample_document_survives_a_json_round_trip_exactly():
    document = sample_document()
    assert _round_trip(document) == document


cell_values = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9),
)


@given(st.lists(st.lists(cell_values, min_size=3, max_size=3), min_size=1, max_size=5))
def test_table_values_keep_type_and_scale_through_json(rows):
    table = Table("表", header_rows=(("a", "b", "c"),), body_rows=tuple(tuple(r) for r in rows))
    back = _round_trip(Document("标题", sections=(Section("节", (table,)),)))
    (restored,) = back.sections[0].blocks
    for original, copy in zip(table.body_rows, restored.body_rows, strict=True):
        for a, b in zip(original, copy, strict=True):
            assert type(a) is type(b) and a == b
            if isinstance(a, Decimal):
                assert str(a) == str(b)  # 12.30 stays 12.30


def test_unknown_snapshot_format_is_refused():
    data = document_to_dict(sample_document())
    data["format"] = 99
    with pytest.raises(ValueError, match="unsupported document format"):
        document_from_dict(data)


def _regenerated(scale: str) -> Document:
    return Document(
        "报告",
        sections=(
            Section(
                "总体情况",
                (
                    Paragraph.generated(f"全市半导体产业规模达{scale}亿元。", key="summary.scale"),
                    Paragraph("固定文字。"),
                ),
            ),
        ),
    )


def test_edits_are_collected_by_key_and_reattached_after_regeneration():
    edited = apply_edits(_regenerated("232.6"), {"summary.scale": "规模达232.6亿元，稳中有进。"})
    edits = collect_edits(edited)
    assert edits == {"summary.scale": "规模达232.6亿元，稳中有进。"}

    fresh = apply_edits(_regenerated("240.1"), edits)
    first = next(iter_paragraphs(fresh))
    assert first.rendered_text == "规模达232.6亿元，稳中有进。"
    assert first.generated_text == "全市半导体产业规模达240.1亿元。"  # new data visible beside the edit
    assert [p.rendered_text for p in iter_paragraphs(fresh)][1] == "固定文字。"
