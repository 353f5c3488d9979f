import base64
import io
import json
import re
from html.parser import HTMLParser

import pytest
from PIL import Image

from semicluster.documents.html import json_for_script, render_html
from semicluster.documents.tests.sample import EDITED, GENERATED, HOSTILE, sample_document


class _Collector(HTMLParser):
    """Collects tags, attributes and text so assertions look at parsed HTML, not at substrings."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[tuple[str, str]] = []  # (innermost open tag, data)
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "br"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.text.append((self._stack[-1] if self._stack else "", data))

    def texts_in(self, tag: str) -> list[str]:
        return [d for t, d in self.text if t == tag]


@pytest.fixture(scope="module")
def parsed() -> _Collector:
    collector = _Collector()
    collector.feed(render_html(sample_document()))
    return collector


def test_headings_are_semantic_with_their_numbers(parsed):
    assert parsed.texts_in("h1") == ["2025年度昆山市半导体产业发展监测报告"]
    assert parsed.texts_in("span")[:1] == ["一、"]
    assert "总体情况" in parsed.texts_in("h2")
    assert "产业规模" in parsed.texts_in("h3")
    assert "分区镇情况" in parsed.texts_in("h4")


def test_table_has_caption_header_and_body_cells(parsed):
    tags = [t for t, _ in parsed.tags]
    assert tags.count("thead") == 1 and tags.count("tbody") == 1
    assert {"区镇", "产值", "2024年", "2025年"} <= set(parsed.texts_in("th"))
    assert {"高新区", "120.5", "131.2", "—"} <= set(parsed.texts_in("td"))
    assert "表1　各区镇半导体产业主要指标" in parsed.texts_in("caption")
    spans = [a for t, a in parsed.tags if t == "th" and a.get("colspan")]
    assert spans == [{"scope": "colgroup", "colspan": "2", "class": "align-center"}]
    numeric = [a["class"] for t, a in parsed.tags if t == "td" and "num" in (a.get("class") or "")]
    assert numeric and all("align-right" in c for c in numeric)


def test_user_text_is_escaped_and_nothing_executes(parsed):
    html = render_html(sample_document())
    assert HOSTILE in parsed.texts_in("p")  # the paragraph reads back as the literal text
    assert "<script" not in html  # PNG mode: no script element at all
    assert "&lt;script&gt;" in html
    assert not any(t == "script" for t, _ in parsed.tags)
    for _tag, attrs in parsed.tags:
        assert "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)


def test_edited_paragraph_is_rendered_instead_of_the_generated_one(parsed):
    paragraphs = parsed.texts_in("p")
    assert EDITED in paragraphs and GENERATED not in paragraphs


def test_figure_is_a_png_data_uri_with_alt_text_and_caption(parsed):
    (img,) = [a for t, a in parsed.tags if t == "img"]
    assert img["alt"] == "各区镇半导体产业产值"
    prefix = "data:image/png;base64,"
    assert img["src"].startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(img["src"][len(prefix) :])))
    assert image.format == "PNG" and image.size == (int(img["width"]), int(img["height"]))
    assert parsed.texts_in("figcaption") == ["图1　各区镇半导体产业产值"]


def test_echarts_mode_ships_the_option_as_inert_json():
    html = render_html(sample_document(), figures="echarts")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1
    attrs, body = scripts[0]
    assert 'type="application/json"' in attrs
    option = json.loads(body)
    assert option["series"][1]["data"] == [131.2, 101.4, None]
    assert "<img" not in html


def test_json_for_script_cannot_close_the_script_element():
    text = json_for_script({"title": "</script><script>alert(1)</script>", "x": "a\u2028b&"})
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script>", "x": "a\u2028b&"}


def test_signature_has_a_machine_readable_date(parsed):
    assert ("time", {"datetime": "2026-01-06"}) in parsed.tags
    assert "2026年1月6日" in parsed.texts_in("time")
