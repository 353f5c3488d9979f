"""Template helpers shared by every app's pages."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def render(source: str) -> str:
    return Template("{% load semicluster %}" + source).render(Context()).strip()


def test_the_plan_term_shows_beside_an_english_title_with_its_clause():
    with translation.override("en"):
        html = render('{% zh_term "产业布局契合度" clause="二、1" %}')
    assert html == (
        '<small class="text-muted"><span lang="zh-Hans">产业布局契合度</span> '
        '<span class="source-clause">二、1</span></small>'
    )


def test_in_chinese_the_title_is_the_term_so_only_the_clause_remains():
    with translation.override("zh-hans"):
        assert render('{% zh_term "驾驶舱" %}') == ""
        assert render('{% zh_term "招商目标" clause="二、2" %}') == (
            '<small class="text-muted"><span class="source-clause">二、2</span></small>'
        )


def test_a_term_from_data_is_escaped():
    with translation.override("en"):
        html = Template("{% load semicluster %}{% zh_term term %}").render(Context({"term": "<b>"}))
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_a_word_several_apps_use_is_translated_for_its_own_app():
    from semicluster.cultivation.models import LeaderCandidate
    from semicluster.innovation.models import RDProject
    from semicluster.support.models import Status

    with translation.override("zh-hans"):
        assert str(RDProject.Status.ACTIVE.label) == "在研"
        assert str(Status.REJECTED.label) == "不予支持"
        assert str(LeaderCandidate.Decision.REJECTED.label) == "未入库"


def test_in_language_shows_the_half_of_a_bilingual_text_in_the_page_language():
    text = "缺少统一社会信用代码 / the credit code is missing"
    template = Template("{% load semicluster %}{{ value|in_language }}")
    for value in (text, {"zh": "缺少统一社会信用代码", "en": "the credit code is missing"}):
        with translation.override("zh-hans"):
            assert template.render(Context({"value": value})) == "缺少统一社会信用代码"
        with translation.override("en"):
            assert template.render(Context({"value": value})) == "the credit code is missing"
    with translation.override("en"):
        assert template.render(Context({"value": "只有中文"})) == "只有中文"


def test_several_bilingual_errors_join_in_one_language():
    from semicluster.core.formatting import join_in_language

    errors = ["金额须为正数 / the amount must be positive", "缺少日期 / the date is missing"]
    with translation.override("zh-hans"):
        assert join_in_language(errors) == "金额须为正数；缺少日期"
    with translation.override("en"):
        assert join_in_language(errors) == "the amount must be positive; the date is missing"


def test_month_names_are_english_in_english_and_chinese_in_chinese():
    template = Template("{% load semicluster %}{% for m in months %}{{ m|month_label }} {% endfor %}")
    context = {"months": [1, 2, 12, 13]}
    with translation.override("en"):
        assert template.render(Context(context)) == "Jan Feb Dec 13 "
    with translation.override("zh-hans"):
        assert template.render(Context(context)) == "1月 2月 12月 13 "
