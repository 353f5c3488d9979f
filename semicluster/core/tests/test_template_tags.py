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
