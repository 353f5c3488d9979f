import pytest

from semicluster.supply.analysis import NO_DOMESTIC_SOURCE, SINGLE_SOURCE, analyze
from semicluster.supply.bench import generate_synthetic_links, run_benchmark
from semicluster.supply.links import SurveyLinks


def test_synthetic_links_are_deterministic_and_plant_breakpoints():
    first = generate_synthetic_links(300, 3000, seed=7)
    assert first == generate_synthetic_links(300, 3000, seed=7)
    assert first != generate_synthetic_links(300, 3000, seed=8)
    result = analyze(SurveyLinks.from_records(first))
    both = {b.item for b in result.breakpoints if set(b.kinds) == {NO_DOMESTIC_SOURCE, SINGLE_SOURCE}}
    assert {f"equipment-{k:03d}" for k in range(5)} <= both


def test_generating_nothing_gives_an_empty_survey():
    assert generate_synthetic_links(0, 0, seed=1) == []


def test_benchmark_reports_timings_and_counts_on_a_small_survey():
    figures = run_benchmark(n_firms=200, n_links=2000, seed=3, repeats=1)
    assert figures["n_links"] == 2000
    assert figures["load_s"] > 0 and figures["analysis_s"] > 0
    assert figures["breakpoints"] >= 5


@pytest.mark.slow
def test_province_scale_analysis_meets_the_goals():
    figures = run_benchmark(n_firms=20_000, n_links=200_000, seed=2025, repeats=1)
    assert figures["analysis_s"] < 10
    assert figures["load_plus_analysis_over_load"] <= 5
    assert figures["process_peak_rss_mib"] < 1024
