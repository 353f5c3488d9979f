from pathlib import Path

import pytest

from semicluster.charts import fonts
from semicluster.charts.fonts import CJKFontNotFoundError, find_cjk_font, missing_glyphs


def test_kurinto_sans_sc_is_found_with_its_bold_face():
    font = find_cjk_font()
    assert font.family == "Kurinto Sans SC"
    assert font.regular.name == "KurintoSansSC-Rg.ttf" and font.regular.is_file()
    assert font.bold is not None and font.bold.is_file()


def test_the_font_covers_gb2312_level_one_hanzi_and_report_punctuation():
    # GB 2312 level-1 hanzi are rows 16–55 (bytes 0xB0A1–0xD7F9); missing ones would print as boxes.
    level_one = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                level_one.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(level_one) == 3755
    assert missing_glyphs(level_one) == []
    assert missing_glyphs("，。、；：“”‘’（）《》—…·％") == []


def test_missing_glyphs_names_the_uncovered_characters():
    assert missing_glyphs("半导体\ue000") == ["\ue000"]  # private-use character: in no font


def test_a_missing_font_raises_a_clear_bilingual_error(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(fonts, "_search_dirs", lambda: [tmp_path])
    find_cjk_font.cache_clear()
    try:
        with pytest.raises(CJKFontNotFoundError, match=r"找不到中文字体.*weblate-fonts"):
            find_cjk_font()
    finally:
        find_cjk_font.cache_clear()


def test_font_directories_from_the_environment_are_searched_first(monkeypatch, tmp_path: Path):
    original = find_cjk_font()
    (tmp_path / "KurintoSansSC-Rg.ttf").symlink_to(original.regular)
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path))
    find_cjk_font.cache_clear()
    try:
        assert find_cjk_font().regular == tmp_path / "KurintoSansSC-Rg.ttf"
        assert find_cjk_font().bold is None
    finally:
        find_cjk_font.cache_clear()
