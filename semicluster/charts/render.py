"""Render a ChartSpec to PNG with matplotlib (Agg), for Word and PDF reports.

Uses the object-oriented API (Figure + FigureCanvasAgg) rather than pyplot, so there is no global figure
state and nothing to close; rcParams are applied in a context so other matplotlib users are unaffected.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from semicluster.charts.fonts import find_cjk_font, missing_glyphs
from semicluster.charts.spec import PALETTE, ChartKind, ChartSpec

# matplotlib's bundled font; it fills Latin/symbol gaps (e.g. ℃) the CJK font lacks.
FALLBACK_FAMILY = "DejaVu Sans"


class MissingGlyphError(ValueError):
    """A chart would draw characters that no available font covers (they would print as boxes)."""


_register_lock = threading.Lock()


@lru_cache(maxsize=1)
def _font_chain() -> tuple[list[str], tuple[Path, ...]]:
    """Register the CJK font with matplotlib once; return (family list, files covering that list)."""
    font = find_cjk_font()
    with _register_lock:
        for path in font.files:
            font_manager.fontManager.addfont(str(path))
    fallback = Path(font_manager.findfont(FALLBACK_FAMILY, fallback_to_default=False))
    return [font.family, FALLBACK_FAMILY], (*font.files, fallback)


def _f(value: Decimal | None) -> float:
    # Floats only for pixel positions; the figures printed come from the Decimals (see _label).
    return math.nan if value is None else float(value)


def _label(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,}"


def _style_axes(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def _set_categories(ax: Axes, spec: ChartSpec) -> None:
    ax.set_xticks(range(len(spec.categories)))
    longest = max((len(c) for c in spec.categories), default=0)
    rotate = len(spec.categories) * max(longest, 1) > 40
    ax.set_xticklabels(spec.categories, rotation=30 if rotate else 0, ha="right" if rotate else "center")


def _draw_axis_chart(fig: Figure, spec: ChartSpec) -> None:
    ax = fig.add_subplot()
    _style_axes(ax)
    ax2 = ax.twinx() if spec.has_secondary_axis else None
    n = len(spec.categories)
    xs = list(range(n))
    bar_indexes = [i for i in range(len(spec.series)) if spec.series_type(i) == "bar"]
    stacked = spec.kind is ChartKind.STACKED_BAR
    width = 0.7 if stacked else 0.8 / max(len(bar_indexes), 1)
    bottoms = [0.0] * n
    for i, s in enumerate(spec.series):
        target_ax = ax2 if (ax2 is not None and s.secondary_axis) else ax
        colour = PALETTE[i % len(PALETTE)]
        heights = [_f(v) for v in s.values]
        if spec.series_type(i) == "bar":
            positions: list[float]
            if stacked:
                positions = [float(x) for x in xs]
                base = list(bottoms)
                bottoms = [b + (0.0 if math.isnan(h) else h) for b, h in zip(bottoms, heights, strict=True)]
            else:
                k = bar_indexes.index(i)
                positions = [x - 0.4 + width * (k + 0.5) for x in xs]
                base = [0.0] * n
            bars = target_ax.bar(positions, heights, width=width, bottom=base, color=colour, label=s.name)
            if spec.show_values:
                target_ax.bar_label(
                    bars,
                    labels=[_label(v) for v in s.values],
                    label_type="center" if stacked else "edge",
                    fontsize=7,
                )
        else:
            target_ax.plot(xs, heights, marker="o", markersize=3, linewidth=1.6, color=colour, label=s.name)
            if spec.show_values:
                for x, v in zip(xs, s.values, strict=True):
                    if v is not None:
                        target_ax.annotate(
                            _label(v),
                            (x, float(v)),
                            textcoords="offset points",
                            xytext=(0, 4),
                            ha="center",
                            fontsize=7,
                        )
    if spec.target is not None:
        ax.axhline(float(spec.target.value), color="#c23531", linestyle="--", linewidth=1)
        ax.annotate(
            f"{spec.target.label} {_label(spec.target.value)}",
            (1.0, float(spec.target.value)),
            xycoords=("axes fraction", "data"),
            textcoords="offset points",
            xytext=(0, 3),
            ha="right",
            fontsize=7,
            color="#c23531",
        )
    _set_categories(ax, spec)
    if spec.y_unit:
        ax.set_ylabel(spec.y_unit)
    if ax2 is not None:
        ax2.spines["top"].set_visible(False)
        if spec.y2_unit:
            ax2.set_ylabel(spec.y2_unit)
    if len(spec.series) > 1:
        handles, labels = ax.get_legend_handles_labels()
        if ax2 is not None:
            h2, l2 = ax2.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), frameon=False)


def _draw_pie(fig: Figure, spec: ChartSpec) -> None:
    ax = fig.add_subplot()
    pairs = [(c, v) for c, v in zip(spec.categories, spec.series[0].values, strict=True) if v]
    if not pairs:
        ax.text(0.5, 0.5, "无数据", ha="center", va="center")
        ax.set_axis_off()
        return
    values = [v for _c, v in pairs]
    total = sum(values, Decimal(0))
    texts = [f"{c}\n{v / total * 100:.1f}%" for c, v in pairs]
    ax.pie(
        [float(v) for v in values],
        labels=texts,
        colors=[PALETTE[i % len(PALETTE)] for i in range(len(values))],
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
        textprops={"fontsize": 8},
    )
    ax.set_aspect("equal")


def _draw_progress(fig: Figure, spec: ChartSpec) -> None:
    ax = fig.add_subplot()
    values = spec.series[0].values
    n = len(values)
    ys = list(range(n))
    top = max([100.0] + [_f(v) for v in values if v is not None])
    ax.barh(ys, [100.0] * n, color="#eeeeee", height=0.5)
    fills = [min(_f(v), 100.0) if v is not None else 0.0 for v in values]
    colours = [PALETTE[1] if v is not None and v >= 100 else PALETTE[0] for v in values]
    ax.barh(ys, fills, color=colours, height=0.5)
    for y, v in zip(ys, values, strict=True):
        ax.text(
            min(_f(v), 100.0) + 1 if v is not None else 1,
            y,
            "无数据" if v is None else f"{v}%",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(ys)
    ax.set_yticklabels(spec.categories)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.12)
    ax.set_xlabel(spec.y_unit or "%")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


@lru_cache(maxsize=256)
def _render_cached(spec: ChartSpec, width_px: int, height_px: int, dpi: int) -> bytes:
    families, files = _font_chain()
    missing = missing_glyphs(spec.texts(), files)
    if missing:
        raise MissingGlyphError(
            f"图表“{spec.title}”含字体未覆盖的字符：{''.join(missing)} / "
            f"chart {spec.title!r} uses characters no font covers: {missing}"
        )
    with rc_context(
        {
            "font.family": families,
            "font.size": 9,
            "axes.unicode_minus": False,  # ASCII hyphen: always present, unlike U+2212
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
        }
    ):
        fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        if spec.kind is ChartKind.PIE:
            _draw_pie(fig, spec)
        elif spec.kind is ChartKind.PROGRESS:
            _draw_progress(fig, spec)
        else:
            _draw_axis_chart(fig, spec)
        fig.suptitle(spec.title, fontsize=11, fontweight="bold")
        if spec.source:
            fig.text(0.01, 0.005, spec.source, fontsize=7, color="#666666", ha="left", va="bottom")
        buffer = io.BytesIO()
        # Second line of defence: matplotlib warns "Glyph N missing from font(s)" when it draws a box.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    glyph_warnings = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if glyph_warnings:
        raise MissingGlyphError(f"图表“{spec.title}”缺字 / missing glyphs: {glyph_warnings}")
    return buffer.getvalue()


def render_png(spec: ChartSpec, *, width_px: int = 1200, height_px: int = 720, dpi: int = 200) -> bytes:
    """Draw ``spec`` as a PNG of exactly width_px × height_px pixels.

    Raises MissingGlyphError if any character would render as a box, CJKFontNotFoundError if the font is
    not installed. Results are cached (specs are immutable), so one chart used in the Word, HTML and PDF
    editions is drawn once.
    """
    if width_px <= 0 or height_px <= 0 or dpi <= 0:
        raise ValueError("图片尺寸须为正数 / image size and dpi must be positive")
    return _render_cached(spec, width_px, height_px, dpi)
