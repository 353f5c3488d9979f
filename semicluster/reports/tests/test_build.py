"""The annual report built from known data: every section, numbers equal to the database, editions."""

from __future__ import annotations

import json
import sys
from decimal import Decimal

import pytest
from django.db.models import Sum

from semicluster.disclosure import TOTAL
from semicluster.documents.model import Paragraph, Section, Table, iter_paragraphs
from semicluster.documents.serialize import document_to_dict
from semicluster.enterprises.models import Enterprise, PeriodValue
from semicluster.monitoring.models import IndicatorValue
from semicluster.reports import sources
from semicluster.reports.build import SECTION_TITLES, View, build_annual_report, yi
from semicluster.reports.sdc import SUPPRESSION_SYMBOL

from .conftest import YEAR


def table(document, caption_part: str) -> Table:
    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                yield from walk(block.blocks)
            elif isinstance(block, Table):
                yield block

    found = [t for t in walk(document.sections) if caption_part in t.caption]
    assert found, f"no table with {caption_part!r}"
    return found[0]


def paragraph(document, key: str) -> Paragraph:
    return next(p for p in iter_paragraphs(document) if p.key == key)


def text_of(document) -> str:
    return json.dumps(document_to_dict(document), ensure_ascii=False, default=str)


def test_the_report_has_every_section_in_order(city):
    document = build_annual_report(YEAR, "internal").document
    assert [s.heading for s in document.sections] == list(SECTION_TITLES.values())


def test_the_scale_paragraph_states_the_database_total_and_growth(city):
    document = build_annual_report(YEAR, "internal").document
    this = PeriodValue.objects.filter(measure="revenue", year=YEAR, period_type="A").aggregate(
        t=Sum("value")
    )["t"]
    last = PeriodValue.objects.filter(measure="revenue", year=YEAR - 1, period_type="A").aggregate(
        t=Sum("value")
    )["t"]
    rate = ((this - last) * 100 / last).quantize(Decimal("0.1"))
    text = paragraph(document, "summary.scale").rendered_text
    assert f"全市半导体产业规模达{yi(this)}亿元，同比增长{rate}%" in text
    assert yi(this) == Decimal("47.55")


def test_goal_figures_equal_the_stored_indicators(city):
    document = build_annual_report(YEAR, "internal").document
    goals = table(document, "目标完成情况")
    stored = {
        row.goal.name: row
        for row in IndicatorValue.objects.filter(scope_kind="city", year=YEAR, month=0).select_related("goal")
    }
    assert len(goals.body_rows) == len(stored) == 5
    for name, _clause, _target, value, progress, _forecast, _status in goals.body_rows:
        row = stored[name]
        expected = yi(row.value) if row.goal.unit == "yuan" else row.value
        assert value == expected
        assert progress == row.progress.quantize(Decimal("0.1"))


def test_area_table_cells_equal_database_sums_in_the_internal_edition(city):
    document = build_annual_report(YEAR, "internal").document
    areas = table(document, "各区域分环节营业收入")
    header = areas.header_rows[0]
    for row in areas.body_rows:
        if row[0] == "合计":
            continue
        expected = PeriodValue.objects.filter(
            measure="revenue", year=YEAR, period_type="A", enterprise__area__name=row[0]
        ).aggregate(t=Sum("value"))["t"] or Decimal(0)
        assert row[header.index("合计")] == yi(expected)


def test_internal_edition_names_the_firm_that_crossed_one_billion(city):
    document = build_annual_report(YEAR, "internal").document
    crossing = city.firms[3].name
    assert crossing in paragraph(document, "goal.new-firms-above-1bn").rendered_text
    assert crossing in paragraph(document, "enterprises.summary").rendered_text


def test_public_edition_names_no_enterprise_and_no_credit_code(city):
    built = build_annual_report(YEAR, "public")
    text = text_of(built.document) + json.dumps([d.to_dict() for d in built.datasets], ensure_ascii=False)
    for name in city.names:
        assert name not in text
    for code in city.credit_codes:
        assert code not in text
    assert "前十位企业" not in text


def test_public_area_table_suppresses_the_two_firm_cell_with_a_secondary_suppression(city):
    built = build_annual_report(YEAR, "public")
    areas = table(built.document, "各区域分环节营业收入")
    header = areas.header_rows[0]
    rows = {row[0]: row for row in areas.body_rows}
    packaging = header.index("封装测试")
    design = header.index("芯片设计")
    manufacturing = header.index("晶圆制造与器件")
    # 高新区 × 封装测试 has two firms (primary, frequency rule); 开发区 × 晶圆制造 has one.
    assert rows["高新区"][packaging] == SUPPRESSION_SYMBOL
    assert rows["开发区"][manufacturing] == SUPPRESSION_SYMBOL
    # A lone suppressed cell in a row could be recomputed from the row total: a second one is hidden.
    hidden_in_gxq = [v for v in rows["高新区"][1:] if v == SUPPRESSION_SYMBOL]
    assert len(hidden_in_gxq) >= 2
    assert rows["高新区"][design] == SUPPRESSION_SYMBOL or rows["高新区"][-1] == SUPPRESSION_SYMBOL
    # Internally: gxq × packaging is a primary suppression and the gxq row has a secondary one.
    protected = View("public", built.facts).area_table
    assert protected is not None
    assert ("gxq", "packaging-testing") in protected.primary
    assert any(key[0] == "gxq" for key in protected.secondary)
    assert protected.audit.passed
    # The pattern is kept (internally) for the next release, and the footnote explains the symbol.
    assert ["gxq", "packaging-testing"] in built.suppression
    assert any("商业秘密" in note for note in areas.notes)


def test_public_edition_publishes_exact_values_for_safe_cells(city):
    built = build_annual_report(YEAR, "public")
    revenue = next(d for d in built.datasets if d.code == "revenue-by-area-segment")
    cells = {(r[2], r[5]): r[8] for r in revenue.rows}
    revenue_2025 = PeriodValue.objects.filter(measure="revenue", year=YEAR, period_type="A")

    def db(**lookup):
        return yi(revenue_2025.filter(**lookup).aggregate(t=Sum("value"))["t"])

    # Margins of many firms pass every rule and are published exactly.
    assert cells[("kfq", "total")] == db(enterprise__area__code="kfq")
    assert cells[("total", "design")] == db(enterprise__primary_node__segment__code="design")
    assert cells[("total", "total")] == db()
    assert cells[("gxq", "packaging-testing")] == SUPPRESSION_SYMBOL
    assert ("total", "total") in cells and TOTAL not in {r[2] for r in revenue.rows}


def test_edits_survive_regeneration_and_keep_the_generated_text_beside_them(city):
    edits = {"summary.scale": "编辑后的总体情况。"}
    document = build_annual_report(YEAR, "internal", edits=edits).document
    edited = paragraph(document, "summary.scale")
    assert edited.rendered_text == "编辑后的总体情况。"
    assert "全市半导体产业规模达" in (edited.generated_text or "")


def test_a_missing_app_leaves_its_section_saying_the_data_is_not_available(city, monkeypatch):
    # The finance selectors cannot be imported (as when that app has not landed yet).
    monkeypatch.setitem(sys.modules, "semicluster.finance.selectors", None)
    built = build_annual_report(YEAR, "internal")
    assert "finance" in built.facts.unavailable
    finance = next(s for s in built.document.sections if s.heading == SECTION_TITLES["finance"])
    assert "暂未接入" in finance.blocks[0].rendered_text  # type: ignore[union-attr]


def test_an_uninstalled_app_is_reported_as_not_installed(city, monkeypatch):
    real = sources.django_apps.is_installed
    monkeypatch.setattr(
        sources.django_apps,
        "is_installed",
        lambda name: False if name == "semicluster.supply" else real(name),
    )
    built = build_annual_report(YEAR, "public")
    assert built.facts.unavailable["supply"] == "app supply not installed"


def test_an_unknown_edition_is_refused(city):
    with pytest.raises(ValueError, match="edition"):
        build_annual_report(YEAR, "secret")


def test_two_firms_of_one_group_count_as_one_respondent_so_their_cell_is_withheld(city):
    def primary() -> set[tuple[str, ...]]:
        protected = View("public", build_annual_report(YEAR, "public").facts).area_table
        assert protected is not None and protected.audit.passed
        return set(protected.primary)

    # 高新区 × 芯片设计 has three independent firms: publishable.
    design = ("gxq", city.firms[6].primary_node.segment.code)
    assert design not in primary()
    # Two of them belong to one holding: two respondents only, and the group's share is revealed.
    Enterprise.objects.filter(pk__in=[city.firms[6].pk, city.firms[7].pk]).update(group_name="示例控股集团")
    assert design in primary()
