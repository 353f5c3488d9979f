"""Benchmark of the supply-chain analysis on a generated province-scale survey.

The floor is *loading the links*: turning the answer rows (as a database read hands them over,
one mapping per row, Decimal amounts) into :class:`SurveyLinks`. The analysis is everything in
:func:`analysis.analyze` on those links. Goal (issue 7): analysis under 10 s, and load + analysis
within 5× the load alone; memory under 1 GB.

Run: ``python -m semicluster.supply.bench [n_firms n_links seed]``.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from typing import Any

import numpy as np

from .analysis import analyze
from .links import CATEGORIES, LEVELS, SurveyLinks

# Items per category, and how likely a supplier of that category sits at each level (kunshan … abroad).
_ITEMS = {"material": 60, "equipment": 50, "eda_ip": 15, "components": 40, "services": 20}
_LEVEL_ODDS = {
    "material": (0.25, 0.2, 0.15, 0.2, 0.2),
    "equipment": (0.05, 0.1, 0.1, 0.25, 0.5),
    "eda_ip": (0.02, 0.03, 0.05, 0.2, 0.7),
    "components": (0.35, 0.25, 0.15, 0.15, 0.1),
    "services": (0.5, 0.25, 0.1, 0.1, 0.05),
}
_COUNTRIES = ("US", "JP", "NL", "DE", "KR", "TW", "SG", "GB")
_COUNTRY_ODDS = (0.3, 0.25, 0.1, 0.1, 0.1, 0.08, 0.04, 0.03)
_N_NODES, _N_AREAS = 24, 6
# Items planted as true breakpoints: one supplier abroad, the whole city depends on it.
_PLANTED_BREAKPOINTS = 5


def generate_synthetic_links(n_firms: int, n_links: int, seed: int = 2025) -> list[dict[str, Any]]:
    """Deterministic synthetic survey answers, one dict per supplier link (the shape of a DB read).

    Popular items are bought by many firms (Zipf-like); every item has its own supplier pool, the
    first few items of 'equipment' are planted breakpoints with a single supplier abroad.
    """
    rng = np.random.default_rng(seed)
    if n_links == 0 or n_firms == 0:
        return []
    firm_node = rng.integers(0, _N_NODES, n_firms)
    firm_area = rng.integers(0, _N_AREAS, n_firms)

    items: list[tuple[str, str]] = [(c, f"{c}-{k:03d}") for c in CATEGORIES for k in range(_ITEMS[c])]
    popularity = 1.0 / np.arange(1, len(items) + 1) ** 0.8
    popularity = rng.permutation(popularity)
    popularity /= popularity.sum()

    # Supplier pools: the pool size follows the item's popularity; suppliers are shared by nothing
    # else, which keeps the generator simple and the supplier count realistic (thousands).
    pool_start, pool_size = [], []
    supplier_level: list[int] = []
    supplier_country: list[str] = []
    planted = {i for i, (c, _) in enumerate(items) if c == "equipment"}
    planted = set(sorted(planted)[:_PLANTED_BREAKPOINTS])
    for i, (category, _) in enumerate(items):
        size = 1 if i in planted else int(3 + popularity[i] * 4000)
        pool_start.append(len(supplier_level))
        pool_size.append(size)
        levels = rng.choice(len(LEVELS), size=size, p=_LEVEL_ODDS[category])
        if i in planted:
            levels[:] = LEVELS.index("abroad")
        countries = rng.choice(len(_COUNTRIES), size=size, p=_COUNTRY_ODDS)
        supplier_level.extend(levels.tolist())
        supplier_country.extend(
            _COUNTRIES[c] if lv == 4 else "CN" for lv, c in zip(levels, countries, strict=True)
        )

    firm = rng.integers(0, n_firms, n_links)
    item = rng.choice(len(items), size=n_links, p=popularity)
    starts, sizes = np.asarray(pool_start), np.asarray(pool_size)
    supplier = starts[item] + (rng.random(n_links) * sizes[item]).astype(np.int64)
    share_pct = rng.integers(5, 101, n_links)
    value_fen = (rng.lognormal(13.0, 1.5, n_links)).astype(np.int64)  # around 4,400 yuan median
    has_value = rng.random(n_links) < 0.9
    has_alt = rng.random(n_links) < 0.4
    is_planted = np.isin(item, list(planted))
    has_alt[is_planted] = False
    # EDA/IP has no qualified alternatives in the synthetic city, so abroad-dependent weak points appear.
    has_alt[np.isin(item, [i for i, (c, _) in enumerate(items) if c == "eda_ip"])] = False
    lead = rng.integers(7, 240, n_links)

    level_names = [LEVELS[lv] for lv in supplier_level]
    records = []
    for n, (f, it, s, sh, v, hv, alt, ld) in enumerate(
        zip(
            firm.tolist(),
            item.tolist(),
            supplier.tolist(),
            share_pct.tolist(),
            value_fen.tolist(),
            has_value.tolist(),
            has_alt.tolist(),
            lead.tolist(),
            strict=True,
        )
    ):
        category, name = items[it]
        records.append(
            {
                "answer_id": n + 1,
                "firm_id": f"F{f:06d}",
                "node": f"node-{firm_node[f]:02d}",
                "area": f"area-{firm_area[f]}",
                "category": category,
                "item": name,
                "supplier_id": f"S{s:06d}",
                "supplier_name": f"供应商{s:06d}",
                "level": level_names[s],
                "country": supplier_country[s],
                "share": Decimal(sh).scaleb(-2),
                "purchase_value": Decimal(v).scaleb(-2) if hv else None,
                "has_alternative": alt,
                "lead_time_days": ld,
            }
        )
    return records


def _best_of(repeats: int, fn: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_benchmark(
    n_firms: int = 20_000, n_links: int = 200_000, seed: int = 2025, repeats: int = 3
) -> dict[str, Any]:
    """Time loading (the floor) and the full analysis; best of ``repeats``. Seconds and MiB."""
    start = time.perf_counter()
    records = generate_synthetic_links(n_firms, n_links, seed)
    generate_s = time.perf_counter() - start

    load_s, links = _best_of(repeats, lambda: SurveyLinks.from_records(records))
    analysis_s, result = _best_of(repeats, lambda: analyze(links))

    # One extra traced run for the analysis's own allocations (numpy reports to tracemalloc);
    # tracing slows the run, so its time is not used.
    gc.collect()
    tracemalloc.start()
    analyze(links)
    _, analysis_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    return {
        "n_firms": n_firms,
        "n_links": len(records),
        "seed": seed,
        "generate_s": round(generate_s, 3),
        "load_s": round(load_s, 3),
        "analysis_s": round(analysis_s, 3),
        "analysis_over_load": round(analysis_s / load_s, 2) if load_s else None,
        "load_plus_analysis_over_load": round((load_s + analysis_s) / load_s, 2) if load_s else None,
        "analysis_peak_alloc_mib": round(analysis_peak / 2**20, 1),
        "process_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "items": len(links.item_labels),
        "suppliers": len(links.supplier_labels),
        "breakpoints": len(result.breakpoints),
        "weak_points": len(result.weak_points),
    }


def main(argv: list[str] | None = None) -> None:
    args = [int(a) for a in (sys.argv[1:] if argv is None else argv)]
    figures = run_benchmark(*args)
    for key, value in figures.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
