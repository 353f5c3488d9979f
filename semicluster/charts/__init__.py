"""One chart definition, two renderings: an ECharts option for the browser, a PNG for Word/PDF.

Both renderers read the same :class:`ChartSpec`, so the numbers on screen and in print cannot diverge.
"""

from semicluster.charts.echarts import to_echarts_option
from semicluster.charts.fonts import CJKFont, CJKFontNotFoundError, find_cjk_font, missing_glyphs
from semicluster.charts.render import MissingGlyphError, render_png
from semicluster.charts.spec import ChartKind, ChartSpec, Series, TargetLine

__all__ = [
    "CJKFont",
    "CJKFontNotFoundError",
    "ChartKind",
    "ChartSpec",
    "MissingGlyphError",
    "Series",
    "TargetLine",
    "find_cjk_font",
    "missing_glyphs",
    "render_png",
    "to_echarts_option",
]
