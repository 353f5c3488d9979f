"""ECharts options for the survey pages, built on the server (rendered by core's charts.js)."""

from __future__ import annotations

from typing import Any

from semicluster.supply.links import LEVEL_LABELS, LEVELS, SurveyLinks

LEVEL_COLOURS = {
    "kunshan": "#198754",
    "suzhou": "#20c997",
    "jiangsu": "#0dcaf0",
    "china": "#0d6efd",
    "abroad": "#dc3545",
}
FIRM_COLOUR = "#1f3b73"


def network_option(
    links: SurveyLinks,
    firm_names: dict[Any, str],
    max_suppliers: int = 120,
    breakpoint_suppliers: frozenset[Any] = frozenset(),
) -> dict[str, Any]:
    """A force graph: local firms and their suppliers, edges weighted by the number of links.

    The most-depended-on suppliers are kept (``max_suppliers``) so the view stays legible; the
    tables on the analysis page hold everything.
    """
    if not len(links):
        return {"series": []}
    pairs: dict[tuple[int, int], int] = {}
    dependents: dict[int, set[int]] = {}
    supplier_level: dict[int, int] = {}
    for f, s, lv in zip(links.firm.tolist(), links.supplier.tolist(), links.level.tolist(), strict=True):
        pairs[(f, s)] = pairs.get((f, s), 0) + 1
        dependents.setdefault(s, set()).add(f)
        supplier_level.setdefault(s, lv)
    kept = sorted(dependents, key=lambda s: (-len(dependents[s]), s))[:max_suppliers]
    kept_set = set(kept)
    firms = sorted({f for (f, s) in pairs if s in kept_set})
    categories = [{"name": "本地企业 local firm", "itemStyle": {"color": FIRM_COLOUR}}] + [
        {"name": f"{LEVEL_LABELS[lv][0]} {LEVEL_LABELS[lv][1]}", "itemStyle": {"color": LEVEL_COLOURS[lv]}}
        for lv in LEVELS
    ]
    nodes = [
        {
            "id": f"f{f}",
            "name": firm_names.get(links.firm_labels[f], str(links.firm_labels[f])),
            "category": 0,
            "symbolSize": 10,
        }
        for f in firms
    ]
    for s in kept:
        label = links.supplier_labels[s]
        nodes.append(
            {
                "id": f"s{s}",
                "name": links.supplier_names[s] + (" ⚠" if label in breakpoint_suppliers else ""),
                "category": 1 + supplier_level[s],
                "symbolSize": 6 + min(len(dependents[s]), 30),
                "value": len(dependents[s]),
            }
        )
    edges = [
        {"source": f"f{f}", "target": f"s{s}", "value": n} for (f, s), n in pairs.items() if s in kept_set
    ]
    return {
        "tooltip": {},
        "legend": [{"data": [c["name"] for c in categories], "top": 0}],
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "draggable": True,
                "categories": categories,
                "data": nodes,
                "links": edges,
                "force": {"repulsion": 60, "edgeLength": 40},
                "lineStyle": {"opacity": 0.4},
                "emphasis": {"focus": "adjacency"},
            }
        ],
    }
