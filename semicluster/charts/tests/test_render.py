import io
import warnings
from decimal import Decimal

import pytest
from matplotlib import font_manager
from PIL import Image

from semicluster.charts.fonts import find_cjk_font, missing_glyphs
from semicluster.charts.render import MissingGlyphError, render_png
from semicluster.charts.spec import ChartKind, ChartSpec, Series, TargetLine

CATEGORIES = ("高新区", "开发区", "花桥经济开发区", "周市镇")


def _spec(kind: ChartKind, title: str = "各区镇集成电路产值（亿元）") -> ChartSpec:
    if kind in (ChartKind.PIE, ChartKind.PROGRESS):
        series: tuple[Series, ...] = (Series("完成率", (Decimal("85.3"), Decimal(120), None, Decimal(40))),)
    else:
        series = (
            Series("2024年产值", (Decimal("120.5"), Decimal(98), None, Decimal("33.2")), unit="亿元"),
            Series("同比增长", (Decimal("5.1"), Decimal("-2.0"), Decimal(8), None), secondary_axis=True),
        )
    return ChartSpec(
        kind,
        title,
        CATEGORIES,
        series,
        y_unit="亿元",
        y2_unit="%",
        target=TargetLine(Decimal(100), "年度目标"),
        show_values=True,
        source="数据来源：市统计局（演示数据）",
    )


@pytest.mark.parametrize("kind", list(ChartKind))
def test_every_chart_kind_renders_chinese_text_without_a_missing_glyph(kind):
    spec = _spec(kind, title=f"半导体产业监测：{kind.value}")
    assert missing_glyphs(spec.texts()) == []
    with warnings.catch_warnings():
        # matplotlib reports a box drawn for an unknown character as "Glyph ... missing from font(s)".
        warnings.filterwarnings("error", message=".*missing from font")
        png = render_png(spec, width_px=900, height_px=540, dpi=150)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (900, 540)
    assert len(image.getcolors(maxcolors=1_000_000) or []) > 10  # something was drawn, not a blank page


def test_the_cjk_font_is_what_matplotlib_resolves_not_a_latin_fallback():
    render_png(_spec(ChartKind.BAR))  # registers the font
    path = font_manager.findfont(
        font_manager.FontProperties(family="Kurinto Sans SC"), fallback_to_default=False
    )
    assert path == str(find_cjk_font().regular)


def test_a_character_no_font_covers_fails_instead_of_printing_a_box():
    spec = ChartSpec(ChartKind.BAR, "缺字\ue000测试", ("甲",), (Series("a", (1,)),))
    with pytest.raises(MissingGlyphError, match="\ue000"):
        render_png(spec)


def test_same_spec_renders_identical_bytes_from_the_cache():
    spec = _spec(ChartKind.LINE)
    assert render_png(spec, width_px=600, height_px=400, dpi=100) is render_png(
        spec, width_px=600, height_px=400, dpi=100
    )


def test_non_positive_sizes_are_refused():
    with pytest.raises(ValueError, match="positive"):
        render_png(_spec(ChartKind.BAR), width_px=0, height_px=10, dpi=100)


def test_matplotlib_glyph_warnings_are_turned_into_errors_even_if_the_cmap_check_is_bypassed(monkeypatch):
    from semicluster.charts import render

    monkeypatch.setattr(render, "missing_glyphs", lambda *_args, **_kwargs: [])
    spec = ChartSpec(ChartKind.LINE, "绕过检查\ue001", ("甲", "乙"), (Series("a", (1, 2)),))
    with pytest.raises(MissingGlyphError, match="missing from font"):
        render_png(spec, width_px=300, height_px=200, dpi=100)
