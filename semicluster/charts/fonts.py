"""Locate the CJK font used for server-rendered charts and PDFs.

No system CJK font is assumed (Debian images usually have none). The font comes from the PyPI package
``weblate-fonts`` (Kurinto Sans SC, TrueType), which the project installs like any other dependency.
Deployments that prefer other files can list directories in ``SEMICLUSTER_FONT_DIRS`` (os.pathsep
separated); they are searched first for the same file names.
"""

from __future__ import annotations

import importlib.util
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FAMILY = "Kurinto Sans SC"
REGULAR_FILE = "KurintoSansSC-Rg.ttf"
BOLD_FILE = "KurintoSansSC-Bd.ttf"
ENV_VAR = "SEMICLUSTER_FONT_DIRS"
FONT_PACKAGE = "weblate_fonts"


class CJKFontNotFoundError(RuntimeError):
    """The CJK font is not installed; charts and PDFs would show empty boxes instead of Chinese."""


@dataclass(frozen=True)
class CJKFont:
    family: str
    regular: Path
    bold: Path | None

    @property
    def directory(self) -> Path:
        """Directory holding the font files (what typst's font_paths wants)."""
        return self.regular.parent

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.regular,) if self.bold is None else (self.regular, self.bold)


def _search_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    spec = importlib.util.find_spec(FONT_PACKAGE)  # does not import (no Django app side effects)
    if spec is not None and spec.submodule_search_locations:
        dirs.extend(Path(p) for p in spec.submodule_search_locations)
    return dirs


@lru_cache(maxsize=1)
def find_cjk_font() -> CJKFont:
    """Return the Kurinto Sans SC font files, or raise CJKFontNotFoundError with what to install."""
    searched = _search_dirs()
    for directory in searched:
        if not directory.is_dir():
            continue
        for regular in sorted(directory.rglob(REGULAR_FILE)):
            bold = regular.with_name(BOLD_FILE)
            return CJKFont(family=FAMILY, regular=regular, bold=bold if bold.is_file() else None)
    where = ", ".join(str(d) for d in searched) or "(无 / none)"
    raise CJKFontNotFoundError(
        f"找不到中文字体 {REGULAR_FILE}（已搜索：{where}）。请安装 PyPI 包 weblate-fonts，"
        f"或在环境变量 {ENV_VAR} 中指定字体目录。 / "
        f"CJK font {REGULAR_FILE} not found (searched: {where}). Install the PyPI package "
        f"weblate-fonts or point {ENV_VAR} at a directory containing it."
    )


@lru_cache(maxsize=8)
def _codepoints(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # fontTools ships with matplotlib

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_codepoints(paths: Iterable[Path]) -> frozenset[int]:
    """Union of the characters covered by the given font files (a fallback chain)."""
    covered: frozenset[int] = frozenset()
    for p in paths:
        covered |= _codepoints(Path(p))
    return covered


def missing_glyphs(texts: str | Iterable[str], fonts: Iterable[Path] | None = None) -> list[str]:
    """Characters in ``texts`` that no font in ``fonts`` (default: the CJK font) can draw.

    Whitespace and control/format characters are ignored: they have no glyph to miss.
    """
    if isinstance(texts, str):
        texts = [texts]
    covered = font_codepoints(fonts if fonts is not None else find_cjk_font().files)
    missing: set[str] = set()
    for text in texts:
        for ch in text:
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            if ord(ch) not in covered:
                missing.add(ch)
    return sorted(missing)
