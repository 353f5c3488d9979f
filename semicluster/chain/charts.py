"""The chain map as an ECharts tree: segments → nodes (coloured by class) → communities around leaders."""

from __future__ import annotations

from typing import Any

from semicluster.chain.selectors import NodeRow, url

CLASS_COLOURS = {"strong": "#198754", "weak": "#e0a800", "missing": "#dc3545"}
PRIORITY_SIGNS = {"focus": "★", "gap": "◆", "strength": "▲"}


def node_label(row: NodeRow) -> str:
    signs = "".join(dict.fromkeys(PRIORITY_SIGNS[m.kind] for m in row.priorities if m.kind in PRIORITY_SIGNS))
    label = row.classification.label_zh if row.classification else ""
    return f"{signs}{row.node.name}（{label}·{row.firm_count}家）"


def chain_map_option(title: str, rows: list[NodeRow], segment_names: dict[int, str]) -> dict[str, Any]:
    by_segment: dict[int, list[NodeRow]] = {}
    for row in rows:
        by_segment.setdefault(row.node.segment_id, []).append(row)
    children = []
    for segment_id, seg_rows in by_segment.items():
        nodes = []
        for row in seg_rows:
            status = row.classification.status if row.classification else "missing"
            communities = [
                {
                    "name": f"共同体：{c.name}（{c.leader.name}）",
                    "link": url("chain:community_detail", c.pk),
                    "itemStyle": {"color": "#6f42c1"},
                    "children": [
                        {
                            "name": f"{m.get_role_display()} · {m.display_name}",
                            "itemStyle": {"color": "#adb5bd"},
                        }
                        for m in c.members.all()
                    ],
                    "collapsed": True,
                }
                for c in row.communities
            ]
            nodes.append(
                {
                    "name": node_label(row),
                    "value": row.firm_count,
                    "link": url("chain:node", row.node.code),
                    "itemStyle": {"color": CLASS_COLOURS[status], "borderColor": CLASS_COLOURS[status]},
                    "children": communities,
                    "collapsed": False,
                }
            )
        children.append({"name": segment_names[segment_id], "children": nodes})
    return {
        "tooltip": {"trigger": "item", "triggerOn": "mousemove"},
        "series": [
            {
                "type": "tree",
                "data": [{"name": title, "children": children}],
                "top": "2%",
                "left": "8%",
                "bottom": "2%",
                "right": "28%",
                "symbolSize": 9,
                "orient": "LR",
                "initialTreeDepth": 3,
                "expandAndCollapse": True,
                "label": {"position": "left", "verticalAlign": "middle", "align": "right", "fontSize": 12},
                "leaves": {"label": {"position": "right", "verticalAlign": "middle", "align": "left"}},
                "animationDuration": 300,
            }
        ],
    }
