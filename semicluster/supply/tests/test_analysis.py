from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from semicluster.supply.analysis import (
    ABROAD_DEPENDENT,
    DOMINANT_SUPPLIER,
    FIRMS_ON_ONE_SUPPLIER,
    LONG_LEAD_TIME,
    NO_DOMESTIC_SOURCE,
    SINGLE_SOURCE,
    AnalysisConfig,
    analyze,
    category_concentration,
    critical_suppliers,
    find_breakpoints,
    find_weak_points,
    item_concentration,
    local_supply_rates,
    overall_supply_rate,
)
from semicluster.supply.links import LEVELS, SurveyLinks

from .conftest import answer

D = Decimal


def _rate_graph(build):
    return build(
        answer(1, "f1", "wafer", "s1", "kunshan", "600"),
        answer(2, "f1", "wafer", "s2", "suzhou", "200"),
        answer(3, "f2", "gas", "s3", "abroad", "200", node="n-pack", area="a-dev"),
        answer(
            4,
            "f2",
            "litho",
            "s5",
            "abroad",
            "1000",
            country="NL",
            node="n-pack",
            area="a-dev",
            category="equipment",
        ),
        answer(5, "f2", "litho", "s6", "china", None, node="n-pack", area="a-dev", category="equipment"),
    )


# --- local supply rate ------------------------------------------------------------------------


def test_overall_local_rate_is_the_kunshan_share_of_purchase_value(build):
    rate = overall_supply_rate(_rate_graph(build))
    assert rate.total_value == D("2000.00")
    assert rate.local_value == D("600.00")
    assert rate.local_rate == D("0.3")
    assert rate.suzhou_value == D("800.00")
    assert rate.suzhou_rate == D("0.4")
    assert rate.value_by_level == {
        "kunshan": D("600"),
        "suzhou": D("200"),
        "jiangsu": D("0"),
        "china": D("0"),
        "abroad": D("1200"),
    }


def test_local_rate_drills_down_to_the_answers_behind_numerator_and_denominator(build):
    rate = overall_supply_rate(_rate_graph(build))
    assert rate.answer_ids == (1, 2, 3, 4)
    assert rate.local_answer_ids == (1,)
    assert rate.suzhou_answer_ids == (1, 2)
    assert rate.unvalued_answer_ids == (5,)


def test_local_rate_by_node_area_and_category(build):
    links = _rate_graph(build)
    by_node = local_supply_rates(links, "node")
    assert by_node["n-wafer"].local_rate == D("0.75")
    assert by_node["n-wafer"].suzhou_rate == D("1")
    assert by_node["n-pack"].local_rate == D("0")
    assert by_node["n-pack"].unvalued_answer_ids == (5,)
    assert local_supply_rates(links, "area")["a-dev"].total_value == D("1200")
    by_category = local_supply_rates(links, "category")
    assert set(by_category) == {"material", "equipment"}
    assert by_category["material"].local_rate == D("0.6")
    assert by_category["equipment"].local_rate == D("0")
    assert by_category["equipment"].answer_ids == (4,)


def test_a_group_without_any_purchase_value_has_no_rate(build):
    links = build(answer(1, "f1", "wafer", "s1", "kunshan"))
    rate = overall_supply_rate(links)
    assert rate.local_rate is None
    assert rate.total_value == D("0")
    assert rate.unvalued_answer_ids == (1,)


# --- breakpoints --------------------------------------------------------------------------------


def test_an_item_only_from_abroad_without_domestic_alternative_is_a_breakpoint(build):
    links = build(
        answer(1, "f1", "photoresist", "s7", "abroad", "100"),
        answer(2, "f2", "photoresist", "s8", "abroad", "300", country="US", node="n-pack"),
        answer(3, "f3", "photoresist", "s7", "abroad", "100", alt=True, alt_domestic=False),
        answer(4, "f1", "gas", "s9", "china", "50"),
        answer(5, "f2", "gas", "s10", "abroad", "50"),
    )
    (bp,) = find_breakpoints(links)
    assert (bp.category, bp.item) == ("material", "photoresist")
    assert bp.kinds == (NO_DOMESTIC_SOURCE,)
    assert bp.firm_count == 3
    assert bp.firm_ids == ("f1", "f2", "f3")
    assert bp.node_codes == ("n-wafer", "n-pack")
    assert bp.supplier_ids == ("s7", "s8")
    assert set(bp.countries) == {"JP", "US"}
    assert bp.total_value == D("500")
    assert bp.answer_ids == (1, 2, 3)
    assert bp.reasons[0].code == NO_DOMESTIC_SOURCE
    assert "3家本地企业" in bp.reasons[0].zh
    assert "3 local firms" in bp.reasons[0].en


def test_a_reported_domestic_alternative_clears_the_no_domestic_source_breakpoint(build):
    links = build(
        answer(1, "f1", "photoresist", "s7", "abroad", "100"),
        answer(2, "f2", "photoresist", "s8", "abroad", "100", alt=True),
    )
    assert find_breakpoints(links) == []


def test_an_item_with_one_supplier_city_wide_is_a_single_source_breakpoint(build):
    links = build(
        answer(1, "f1", "target", "s9", "kunshan", "100"),
        answer(2, "f2", "target", "s9", "kunshan", "100", alt=True),
        answer(3, "f3", "wafer", "s1", "kunshan", "100"),
        answer(4, "f3", "wafer", "s2", "jiangsu", "100"),
    )
    (bp,) = find_breakpoints(links)
    assert bp.item == "target"
    assert bp.kinds == (SINGLE_SOURCE,)
    assert bp.firm_ids == ("f1", "f2")
    assert "s9公司" in bp.reasons[0].zh
    assert "1 answers report a qualified alternative" in bp.reasons[0].en


def test_a_plan_may_let_a_reported_alternative_clear_a_single_source(build):
    links = build(
        answer(1, "f1", "target", "s9", "kunshan", "100"),
        answer(2, "f2", "target", "s9", "kunshan", "100", alt=True),
    )
    config = AnalysisConfig(single_source_alternative_clears=True)
    assert find_breakpoints(links, config) == []


def test_a_single_supplier_abroad_is_both_kinds_of_breakpoint_and_counts_on_each_node(build):
    links = build(
        answer(1, "f1", "euv", "asml", "abroad", "900", country="NL", category="equipment"),
        answer(2, "f2", "euv", "asml", "abroad", "900", country="NL", category="equipment", node="n-pack"),
        answer(3, "f3", "wafer", "s1", "kunshan", "10", node="n-design"),
        answer(4, "f3", "wafer", "s2", "kunshan", "10", node="n-design"),
    )
    result = analyze(links)
    (bp,) = result.breakpoints
    assert bp.kinds == (NO_DOMESTIC_SOURCE, SINGLE_SOURCE)
    assert result.node_breakpoints == {"n-wafer": (("equipment", "euv"),), "n-pack": (("equipment", "euv"),)}
    assert result.breakpoint_count_by_node() == {"n-wafer": 1, "n-pack": 1}


def test_breakpoints_are_ordered_by_how_many_firms_depend_on_them(build):
    links = build(
        answer(1, "f1", "a", "s1", "kunshan", "1"),
        answer(2, "f1", "b", "s2", "kunshan", "1"),
        answer(3, "f2", "b", "s2", "kunshan", "1"),
    )
    assert [bp.item for bp in find_breakpoints(links)] == ["b", "a"]


# --- weak points --------------------------------------------------------------------------------


def test_an_item_80_percent_from_abroad_without_domestic_alternative_is_weak(build):
    links = build(
        answer(1, "f1", "gas", "s1", "abroad", "400"),
        answer(2, "f2", "gas", "s2", "abroad", "400", country="US"),
        answer(3, "f3", "gas", "s3", "china", "200", alt=True, alt_domestic=False),
    )
    (weak,) = find_weak_points(links)
    assert weak.kinds == (ABROAD_DEPENDENT,)
    assert weak.abroad_value_share == D("0.8")
    assert "80.0%" in weak.reasons[0].zh
    assert weak.answer_ids == (1, 2, 3)


def test_just_under_80_percent_from_abroad_is_not_weak(build):
    links = build(
        answer(1, "f1", "gas", "s1", "abroad", "399.99"),
        answer(2, "f2", "gas", "s2", "abroad", "400", country="US"),
        answer(3, "f3", "gas", "s3", "china", "200.01"),
    )
    assert find_weak_points(links) == []


def test_one_supplier_with_70_percent_of_value_and_no_alternative_is_weak(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", "700"),
        answer(2, "f2", "wafer", "s2", "kunshan", "300"),
    )
    (weak,) = find_weak_points(links)
    assert weak.kinds == (DOMINANT_SUPPLIER,)
    assert weak.top_supplier_id == "s1"
    assert weak.top_supplier_share == D("0.7")
    assert "s1公司" in weak.reasons[0].zh


def test_a_dominant_supplier_with_a_reported_alternative_is_not_weak(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", "700", alt=True),
        answer(2, "f2", "wafer", "s2", "kunshan", "300"),
    )
    assert find_weak_points(links) == []


def test_half_the_firms_each_tied_to_one_supplier_makes_an_item_weak(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", "500", share="0.8"),
        answer(2, "f2", "wafer", "s2", "kunshan", "500", share="0.3"),
        answer(3, "f3", "gas", "s1", "kunshan", "500", share="0.69"),
        answer(4, "f4", "gas", "s2", "kunshan", "500", share="0.9", alt=True),
    )
    (weak,) = find_weak_points(links)
    assert weak.item == "wafer"
    assert weak.kinds == (FIRMS_ON_ONE_SUPPLIER,)
    assert weak.reasons[0].en.startswith("1 of 2 dependent firms")


def test_a_long_median_lead_time_makes_an_item_weak(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", "500", lead=200),
        answer(2, "f2", "wafer", "s2", "kunshan", "500", lead=160, alt=True),
        answer(3, "f3", "wafer", "s2", "kunshan", "500", lead=180),
    )
    (weak,) = find_weak_points(links)
    assert weak.kinds == (LONG_LEAD_TIME,)
    assert weak.median_lead_time_days == D("180")
    assert find_weak_points(links, AnalysisConfig(weak_lead_time_days=None)) == []


def test_an_even_number_of_lead_times_takes_the_mean_of_the_middle_two(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", "500", lead=170),
        answer(2, "f2", "wafer", "s2", "kunshan", "500", lead=191, alt=True),
        answer(3, "f3", "wafer", "s2", "kunshan", "500"),
    )
    (weak,) = find_weak_points(links)
    assert weak.median_lead_time_days == D("180.5")
    assert find_weak_points(links, AnalysisConfig(weak_lead_time_days=181)) == []


def test_a_breakpoint_is_not_listed_again_as_a_weak_point(build):
    links = build(answer(1, "f1", "euv", "asml", "abroad", "900", country="NL"))
    assert len(find_breakpoints(links)) == 1
    assert find_weak_points(links) == []


# --- concentration (HHI) ------------------------------------------------------------------------


def test_two_countries_fifty_fifty_give_hhi_5000(build):
    links = build(
        answer(1, "f1", "resist", "s1", "abroad", "100", country="JP"),
        answer(2, "f2", "resist", "s2", "abroad", "60", country="US"),
        answer(3, "f3", "resist", "s3", "abroad", "40", country="US"),
        answer(4, "f3", "resist", "s4", "abroad", None, country="KR"),
    )
    (conc,) = item_concentration(links)
    assert conc.hhi == D("5000")
    assert conc.country_values == (("JP", D("100")), ("US", D("100")))
    assert conc.answer_ids == (1, 2, 3)
    assert conc.unvalued_answer_ids == (4,)


def test_domestic_suppliers_count_as_one_country_and_three_equal_countries_give_a_third(build):
    links = build(
        answer(1, "f1", "gas", "s1", "kunshan", "100"),
        answer(2, "f1", "gas", "s2", "china", "100"),
        answer(3, "f2", "gas", "s3", "abroad", "100", country="JP"),
        answer(4, "f2", "gas", "s4", "abroad", "100", country="US"),
        answer(5, "f2", "euv", "s5", "abroad", "100", country="NL", category="equipment"),
    )
    by_item = {c.item: c for c in item_concentration(links)}
    assert by_item["gas"].hhi == D("3750")  # CN 50 %, JP 25 %, US 25 %
    assert by_item["euv"].hhi == D("10000")
    by_category = {c.category: c for c in category_concentration(links)}
    assert by_category["material"].hhi == D("3750")
    assert by_category["material"].item is None
    three = build(*(answer(i, "f1", "x", f"s{i}", "abroad", "1", country=c) for i, c in enumerate("ABC")))
    assert item_concentration(three)[0].hhi == D("3333.33")


def test_an_item_without_values_has_no_hhi(build):
    links = build(answer(1, "f1", "gas", "s1", "abroad"))
    (conc,) = item_concentration(links)
    assert conc.hhi is None
    assert conc.unvalued_answer_ids == (1,)


# --- critical suppliers -------------------------------------------------------------------------


def test_critical_suppliers_rank_by_dependent_firms_then_value(build):
    links = build(
        answer(1, "f1", "gas", "sa", "kunshan", "1"),
        answer(2, "f2", "gas", "sa", "kunshan", "1"),
        answer(3, "f3", "wafer", "sa", "kunshan", "1"),
        answer(4, "f1", "wafer", "sb", "abroad", "500"),
        answer(5, "f2", "wafer", "sb", "abroad", "500"),
        answer(6, "f2", "wafer", "sb", "abroad", "500"),  # same firm twice counts once
        answer(7, "f1", "resist", "sc", "china", "100"),
        answer(8, "f3", "resist", "sc", "china", "100"),
        answer(9, "f4", "mask", "sd", "china", "5000"),
    )
    top = critical_suppliers(links, top_n=3)
    assert [(s.rank, s.supplier_id, s.firm_count) for s in top] == [(1, "sa", 3), (2, "sb", 2), (3, "sc", 2)]
    assert top[0].items == (("material", "gas"), ("material", "wafer"))
    assert top[1].total_value == D("1500")
    assert top[1].answer_ids == (4, 5, 6)
    assert top[1].countries == ("JP",)
    assert top[2].levels == ("china",)


# --- drill-down and edge cases ------------------------------------------------------------------


def test_drill_down_ids_add_up_to_the_overall_figure(build):
    links = _rate_graph(build)
    result = analyze(links)
    value = {i: links.value_fen[k] for k, i in enumerate(links.answer_ids)}
    for rates in (result.by_node, result.by_area, result.by_category):
        ids = sorted(i for rate in rates.values() for i in rate.answer_ids)
        assert ids == sorted(result.overall.answer_ids)
        for rate in rates.values():
            assert D(int(sum(value[i] for i in rate.answer_ids))) / 100 == rate.total_value
            assert D(int(sum(value[i] for i in rate.local_answer_ids))) / 100 == rate.local_value


_answers = st.lists(
    st.tuples(
        st.sampled_from(["f1", "f2", "f3"]),
        st.sampled_from(["n1", "n2"]),
        st.sampled_from(["material", "equipment"]),
        st.sampled_from(["x", "y"]),
        st.sampled_from(["s1", "s2", "s3"]),
        st.sampled_from(LEVELS),
        st.one_of(st.none(), st.integers(0, 10**9)),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(_answers)
def test_every_figure_is_the_sum_of_the_answers_it_names(rows):
    links = SurveyLinks.from_records(
        answer(n, f, i, s, lv, None if v is None else str(D(v) / 100), node=nd, category=c, country="JP")
        if lv == "abroad"
        else answer(n, f, i, s, lv, None if v is None else str(D(v) / 100), node=nd, category=c)
        for n, (f, nd, c, i, s, lv, v) in enumerate(rows)
    )
    value = {n: (D(v) / 100 if v is not None else None) for n, (*_, v) in enumerate(rows)}
    result = analyze(links)
    assert sum((value[i] for i in result.overall.answer_ids), D(0)) == result.overall.total_value
    assert len(result.overall.answer_ids) + len(result.overall.unvalued_answer_ids) == len(rows)
    for rate in result.by_node.values():
        assert sum((value[i] for i in rate.answer_ids), D(0)) == rate.total_value
        assert sum((value[i] for i in rate.local_answer_ids), D(0)) == rate.local_value
        if rate.local_rate is not None:
            assert abs(rate.local_rate - rate.local_value / rate.total_value) < D("0.000001")
    for conc in result.item_concentration:
        assert sum((v for _, v in conc.country_values), D(0)) == sum(
            (value[i] for i in conc.answer_ids), D(0)
        )
        if conc.hhi is not None:
            assert D("0") < conc.hhi <= D("10000")
    for found in result.breakpoints + result.weak_points:
        assert found.total_value == sum((value[i] or D(0) for i in found.answer_ids), D(0))


def test_empty_survey_does_not_crash():
    result = analyze(SurveyLinks.empty())
    assert result.overall.local_rate is None
    assert result.overall.answer_ids == ()
    assert result.by_node == {} and result.by_category == {}
    assert result.breakpoints == [] and result.weak_points == []
    assert result.item_concentration == [] and result.category_concentration == []
    assert result.critical_suppliers == []
    assert result.node_breakpoints == {}


def test_analysis_config_reads_plan_thresholds():
    config = AnalysisConfig.from_plan(
        {
            "thresholds": {
                "weak_abroad_value_share": 0.9,
                "weak_lead_time_days": None,
                "critical_supplier_top_n": 5,
            }
        }
    )
    assert config.weak_abroad_value_share == D("0.9")
    assert config.weak_lead_time_days is None
    assert config.critical_supplier_top_n == 5
    assert AnalysisConfig.from_plan(None) == AnalysisConfig()
