from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from semicluster.accountability.engine import Message
from semicluster.accountability.templatetags.accountability_tags import in_language


def test_in_language_shows_the_chinese_half_in_the_chinese_ui_and_the_english_half_in_english():
    for value in ("已完成 / done", Message("已完成", "done"), {"zh": "已完成", "en": "done"}):
        with translation.override("zh-hans"):
            assert in_language(value) == "已完成"
        with translation.override("en"):
            assert in_language(value) == "done"


def test_in_language_splits_on_the_first_separator_only_and_leaves_plain_text_whole():
    text = "节点“A”应于2025-04-30完成 / milestone “A / B” was due on 2025-04-30"
    with translation.override("en"):
        assert in_language(text) == "milestone “A / B” was due on 2025-04-30"
        assert in_language("只有中文") == "只有中文"
        assert in_language(Message("无数据", "")) == "无数据"  # no English: the Chinese, not nothing
        assert in_language(None) == ""
    with translation.override("zh-hans"):
        assert in_language(text) == "节点“A”应于2025-04-30完成"


def test_in_language_is_a_template_filter_of_accountability_tags():
    template = Template("{% load accountability_tags %}{{ reason|in_language }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"reason": Message("正常推进", "on track")})) == "正常推进"
